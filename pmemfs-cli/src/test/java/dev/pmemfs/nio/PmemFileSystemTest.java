package dev.pmemfs.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceBusyException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file system's life: opening by URI, persistence, one owner, closing, space figures, credentials, threads. */
class PmemFileSystemTest {
    private static final URI NS0 = URI.create("pmemfs:/namespace0.0");

    @TempDir
    Path home;

    private FileSystem open(Map<String, ?> env) throws IOException {
        return FileSystems.newFileSystem(NS0, env);
    }

    @Test
    void createWriteCloseReopenRead() throws IOException {
        try (FileSystem fs = open(Map.of("home", home, "create", "64m", "profile", "linux-5.19"))) {
            assertEquals("pmemfs", fs.provider().getScheme());
            Files.createDirectories(fs.getPath("/db/segments"));
            Files.writeString(fs.getPath("/db/segments/s1"), "committed");
        }
        assertTrue(Files.exists(home.resolve("namespace0.0.img")));
        try (FileSystem fs = open(Map.of("home", home.toString()))) {
            assertEquals("committed", Files.readString(fs.getPath("/db/segments/s1")));
        }
    }

    @Test
    void missingNamespaceWithoutCreateIsNoSuchFile() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> open(Map.of("home", home)));
        assertTrue(e.getMessage().contains("create"), e.getMessage());
    }

    @Test
    void badEnvironmentIsRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> open(Map.of("home", home, "create", "lots")))
                .getMessage().contains("create=lots"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> open(Map.of("home", home, "create", "3m")))
                .getMessage().contains("multiple"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> open(Map.of("hom", home)))
                .getMessage().contains("unknown pmemfs option 'hom'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> open(Map.of("home", home, "create", "64m", "profile", "linux-9.99")))
                .getMessage().contains("linux-9.99"));
        assertThrows(IllegalArgumentException.class,
                () -> FileSystems.newFileSystem(URI.create("pmemfs:/pmem0"), Map.of()));
        assertFalse(Files.exists(home.resolve("namespace0.0.img")), "a refused profile leaves no image behind");
    }

    @Test
    void temporaryNamespaceIsRemovedOnClose() throws IOException {
        Path image;
        try (FileSystem fs = open(Map.of())) {
            image = ((PmemFileSystem) fs).image();
            assertTrue(Files.exists(image));
            Files.writeString(fs.getPath("/x"), "x");
        }
        assertFalse(Files.exists(image));
        assertFalse(Files.exists(image.getParent()));
    }

    @Test
    void pathUrisRoundTrip() throws IOException {
        try (FileSystem fs = open(Map.of("home", home, "create", "64m"))) {
            Files.createDirectory(fs.getPath("/dir with space"));
            Path p = Files.writeString(fs.getPath("/dir with space/f"), "u");
            URI u = p.toUri();
            assertEquals("pmemfs", u.getScheme());
            assertEquals(p, Path.of(u));
            assertEquals(p, Path.of(URI.create("pmemfs:/namespace0.0/dir%20with%20space/f")), "unambiguous without home");
            assertSame(fs, FileSystems.getFileSystem(NS0));
            assertEquals(fs.getPath("/"), Path.of(NS0));
        }
        assertThrows(FileSystemNotFoundException.class, () -> FileSystems.getFileSystem(NS0));
    }

    @Test
    void aNamespaceHasOneOwner() throws IOException {
        try (FileSystem fs = open(Map.of("home", home, "create", "64m"))) {
            assertThrows(FileSystemAlreadyExistsException.class, () -> open(Map.of("home", home)));
            // and any other opener (the command line, another provider instance) is refused by the owner lock
            assertThrows(NamespaceBusyException.class, () -> Namespace.open(home.resolve("namespace0.0.img")));
            Files.writeString(fs.getPath("/still"), "mine");
            assertEquals("mine", Files.readString(fs.getPath("/still")));
        }
        try (FileSystem again = open(Map.of("home", home))) {
            assertEquals("mine", Files.readString(again.getPath("/still")), "free again once closed");
        }
    }

    @Test
    void closingTheFileSystemClosesItsChannels() throws IOException {
        FileSystem fs = open(Map.of("home", home, "create", "64m"));
        Path f = fs.getPath("/f");
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        var in = Files.newInputStream(f);
        fs.close();
        assertFalse(fs.isOpen());
        assertFalse(ch.isOpen());
        assertThrows(ClosedChannelException.class, () -> ch.read(ByteBuffer.allocate(1), 0));
        assertThrows(ClosedChannelException.class, ch::size);
        assertThrows(IOException.class, in::read);
        assertThrows(ClosedFileSystemException.class, () -> Files.readAllBytes(f));
        assertThrows(ClosedFileSystemException.class, () -> Files.createFile(fs.getPath("/g")));
        assertThrows(ClosedFileSystemException.class, () -> FileChannel.open(f));
        fs.close(); // idempotent
    }

    @Test
    void fileStoreFiguresAreStatfs() throws IOException {
        try (FileSystem fs = open(Map.of("home", home, "create", "64m"))) {
            FileStore store = Files.getFileStore(fs.getPath("/"));
            var st = ((PmemFileSystem) fs).stack().fs().statfs();
            assertEquals(st.totalBlocks() * st.blockSize(), store.getTotalSpace());
            assertTrue(store.getTotalSpace() > 32L << 20 && store.getTotalSpace() < 64L << 20, "" + store.getTotalSpace());
            long before = store.getUsableSpace();
            Files.write(fs.getPath("/mb"), new byte[1 << 20]);
            long after = store.getUsableSpace();
            assertTrue(before - after >= 1 << 20, before + " -> " + after);
            assertEquals("pmem0", store.name());
            assertEquals("pmemfs", store.type());
            assertTrue(store.supportsFileAttributeView("pmem"));
            assertEquals(4096, store.getBlockSize());
        }
    }

    @Test
    void permissionsAreTheOpenersAndTheVfsLayers() throws IOException {
        try (FileSystem fs = open(Map.of("home", home, "create", "64m", "uid", 1000, "gid", 1000))) {
            Path f = Files.writeString(fs.getPath("/mine"), "secret");
            assertEquals("1000", Files.getOwner(f).getName());
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
            assertThrows(AccessDeniedException.class, () -> Files.readString(f));
            assertFalse(Files.isReadable(f));
            FileSystemException eperm = assertThrows(FileSystemException.class, () -> Files.setOwner(f,
                    fs.getUserPrincipalLookupService().lookupPrincipalByName("0")));
            assertEquals("Operation not permitted", eperm.getReason(), "EPERM, as the default provider reports it");
        }
        try (FileSystem other = open(Map.of("home", home, "uid", "2000", "gid", "2000"))) {
            assertThrows(AccessDeniedException.class, () -> Files.createFile(other.getPath("/theirs")));
            assertThrows(AccessDeniedException.class, () -> Files.readString(other.getPath("/mine")));
            assertThrows(AccessDeniedException.class, () -> Files.delete(other.getPath("/mine")));
            assertThrows(AccessDeniedException.class, () -> PmemFiles.inject(other.getPath("/mine"), 0, 1));
        }
        try (FileSystem reader = open(Map.of("home", home, "uid", "2000", "caps", "CAP_DAC_READ_SEARCH"))) {
            assertEquals("secret", Files.readString(reader.getPath("/mine")), "CAP_DAC_READ_SEARCH reads anything");
            assertThrows(AccessDeniedException.class, () -> Files.writeString(reader.getPath("/mine"), "x"));
        }
    }

    @Test
    void threadsWithTheirOwnChannelsOnOneFileSystem() throws Exception {
        try (FileSystem fs = open(Map.of("home", home, "create", "128m"))) {
            int threads = 4;
            int blocks = 64;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<byte[]>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    done.add(pool.submit(() -> {
                        Path dir = Files.createDirectories(fs.getPath("/t" + id));
                        byte[] expected = new byte[blocks * 4096];
                        try (FileChannel ch = FileChannel.open(dir.resolve("data"), StandardOpenOption.CREATE,
                                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                            for (int b = 0; b < blocks; b++) {
                                byte[] block = new byte[4096];
                                java.util.Arrays.fill(block, (byte) (id * 64 + b));
                                System.arraycopy(block, 0, expected, b * 4096, 4096);
                                ch.write(ByteBuffer.wrap(block), b * 4096L);
                                Files.writeString(dir.resolve("meta" + (b % 4)), "b" + b);
                            }
                            ch.force(true);
                        }
                        try (FileChannel ch = FileChannel.open(dir.resolve("data"))) {
                            ByteBuffer all = ByteBuffer.allocate(blocks * 4096);
                            while (all.hasRemaining() && ch.read(all) > 0) {
                                // read until full
                            }
                            assertArrayEquals(expected, all.array());
                        }
                        return expected;
                    }));
                }
                for (int t = 0; t < threads; t++) {
                    assertArrayEquals(done.get(t).get(), Files.readAllBytes(fs.getPath("/t" + t + "/data")));
                }
            } finally {
                pool.shutdownNow();
            }
            try (var s = Files.list(fs.getPath("/"))) {
                assertEquals(threads, s.count());
            }
        }
    }

    @Test
    void theImageIsANamespaceTheCommandLineOpens() throws IOException {
        try (FileSystem fs = open(Map.of("home", home, "create", "64m"))) {
            Files.writeString(fs.getPath("/f"), "x");
        }
        try (Namespace ns = Namespace.open(home.resolve("namespace0.0.img"))) {
            assertEquals("namespace0.0", ns.name());
        }
        try (FileSystem temp = FileSystems.newFileSystem(NS0, Map.of())) {
            assertInstanceOf(PmemFileSystemProvider.class, temp.provider(), "found through META-INF/services");
        }
    }
}
