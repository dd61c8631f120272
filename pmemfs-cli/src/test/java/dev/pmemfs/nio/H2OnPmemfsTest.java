package dev.pmemfs.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.store.fs.FilePath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * H2's MVStore, unchanged, on a pmemfs file: H2 reaches files through its FilePath abstraction, so
 * the test registers a FilePath for scheme {@code pmemfs:} that is nothing but java.nio.file calls on
 * the provider's paths (the "nio:"-style file system H2 offers for the default provider). The store
 * creates, commits and reopens; poison in its file is reported as an MVStoreException whose cause is
 * the MediaErrorException, never silently read.
 */
class H2OnPmemfsTest {
    private static FileSystem fs;

    @BeforeEach
    void mount() throws IOException {
        fs = FileSystems.newFileSystem(URI.create("pmemfs:/namespace0.0"), Map.of("create", "64m"));
        FilePath.register(new NioFilePath());
    }

    @AfterEach
    void unmount() throws IOException {
        FilePath.unregister(new NioFilePath());
        fs.close();
    }

    private static String value(int i) {
        return "value " + i + " " + "x".repeat(100 + i % 50);
    }

    @Test
    void createCommitReopenThenPoisonIsReported() throws IOException {
        String name = "pmemfs:/db/store.mv.db";
        Files.createDirectories(fs.getPath("/db"));
        try (MVStore s = new MVStore.Builder().fileName(name).open()) {
            MVMap<Integer, String> m = s.openMap("data");
            for (int i = 0; i < 3000; i++) {
                m.put(i, value(i));
            }
            s.commit();
        }
        Path file = fs.getPath("/db/store.mv.db");
        long size = Files.size(file);
        assertTrue(size > 64 * 4096, "store of " + size + " bytes");
        try (MVStore s = new MVStore.Builder().fileName(name).open()) {
            MVMap<Integer, String> m = s.openMap("data");
            assertEquals(3000, m.size());
            assertEquals(value(1234), m.get(1234));
        }

        long bad = size / 2 / 4096 * 4096;
        PmemFiles.inject(file, bad, 4096);
        RuntimeException e = assertThrows(RuntimeException.class, () -> {
            try (MVStore s = new MVStore.Builder().fileName(name).open()) {
                MVMap<Integer, String> m = s.openMap("data");
                for (int i = 0; i < 3000; i++) {
                    assertEquals(value(i), m.get(i), "a value read back must be the one written");
                }
            }
        });
        MediaErrorException media = null;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof MediaErrorException me) {
                media = me;
            }
        }
        assertNotNull(media, "the media error is in H2's cause chain: " + e);
        assertEquals(bad, media.offset());
        assertEquals("/db/store.mv.db", media.file());
    }

    /** H2's FilePath for {@code pmemfs:/path}: java.nio.file calls on the test's pmemfs file system. */
    static final class NioFilePath extends FilePath {
        private static final String SCHEME = "pmemfs";

        NioFilePath() {
            this.name = SCHEME + ":/";
        }

        private NioFilePath(String name) {
            this.name = name;
        }

        private Path path() {
            return fs.getPath(name.substring(SCHEME.length() + 1));
        }

        private static RuntimeException unchecked(IOException e) {
            return new UncheckedIOException(e);
        }

        @Override
        public long size() {
            try {
                return Files.size(path());
            } catch (IOException e) {
                return 0;
            }
        }

        @Override
        public void moveTo(FilePath newName, boolean atomicReplace) {
            try {
                Path to = ((NioFilePath) newName).path();
                if (atomicReplace) {
                    Files.move(path(), to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.move(path(), to);
                }
            } catch (IOException e) {
                throw unchecked(e);
            }
        }

        @Override
        public boolean createFile() {
            try {
                Files.createFile(path());
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (IOException e) {
                throw unchecked(e);
            }
        }

        @Override
        public boolean exists() {
            return Files.exists(path());
        }

        @Override
        public void delete() {
            try {
                Files.deleteIfExists(path());
            } catch (IOException e) {
                throw unchecked(e);
            }
        }

        @Override
        public List<FilePath> newDirectoryStream() {
            List<FilePath> out = new ArrayList<>();
            try (Stream<Path> s = Files.list(path())) {
                s.forEach(p -> out.add(new NioFilePath(SCHEME + ":" + p)));
            } catch (IOException e) {
                throw unchecked(e);
            }
            return out;
        }

        @Override
        public FilePath toRealPath() {
            return new NioFilePath(SCHEME + ":" + path().toAbsolutePath().normalize());
        }

        @Override
        public FilePath getParent() {
            Path p = path().getParent();
            return p == null ? null : new NioFilePath(SCHEME + ":" + p);
        }

        @Override
        public boolean isDirectory() {
            return Files.isDirectory(path());
        }

        @Override
        public boolean isRegularFile() {
            return Files.isRegularFile(path());
        }

        @Override
        public boolean isAbsolute() {
            return path().isAbsolute();
        }

        @Override
        public long lastModified() {
            try {
                return Files.getLastModifiedTime(path()).toMillis();
            } catch (IOException e) {
                return 0;
            }
        }

        @Override
        public boolean canWrite() {
            return Files.isWritable(path());
        }

        @Override
        public void createDirectory() {
            try {
                Files.createDirectories(path());
            } catch (IOException e) {
                throw unchecked(e);
            }
        }

        @Override
        public FileChannel open(String mode) throws IOException {
            return mode.equals("r") ? FileChannel.open(path(), StandardOpenOption.READ)
                    : FileChannel.open(path(), StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        }

        @Override
        public boolean setReadOnly() {
            return false;
        }

        @Override
        public String getScheme() {
            return SCHEME;
        }

        @Override
        public FilePath getPath(String path) {
            return new NioFilePath(path);
        }
    }
}
