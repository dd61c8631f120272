package dev.pmemfs.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider's contract, method by method: every scenario runs twice, on the default provider in
 * a temporary directory and on a pmemfs file system, and the two transcripts (results, or the
 * java.nio.file exception type of each failure) must be equal. Where pmemfs must differ from the
 * default provider (nothing here), a test would say so. Both run as root, as the suite does.
 */
class ProviderContractTest {
    private static FileSystem pmem;

    @TempDir
    Path hostTmp;

    private Path host;
    private Path pm;

    @BeforeAll
    static void mount() throws IOException {
        pmem = FileSystems.newFileSystem(URI.create("pmemfs:/namespace0.0"), Map.of("create", "64m"));
    }

    @AfterAll
    static void unmount() throws IOException {
        pmem.close();
    }

    @BeforeEach
    void dirs() throws IOException {
        host = Files.createDirectory(hostTmp.resolve("t"));
        pm = Files.createDirectory(pmem.getPath("/t" + System.nanoTime()));
    }

    @AfterEach
    void clean() throws IOException {
        try (Stream<Path> s = Files.walk(pm)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** One scenario on a root directory; it records what it sees in the transcript. */
    private interface Scenario {
        void run(Path root, List<String> log) throws IOException;
    }

    /** Runs {@code s} on both providers and compares the transcripts. */
    private void same(Scenario s) throws IOException {
        List<String> expected = new ArrayList<>();
        s.run(host, expected);
        List<String> actual = new ArrayList<>();
        s.run(pm, actual);
        assertEquals(expected, actual, "default provider (expected) vs pmemfs (actual)");
    }

    private interface Call {
        Object call() throws IOException;
    }

    /** What a call returned, or which exception it threw (the java.nio.file type, or IOException for any other). */
    private static String outcome(Call c) {
        try {
            Object r = c.call();
            return "ok " + r;
        } catch (NoSuchFileException | FileAlreadyExistsException | DirectoryNotEmptyException
                 | NotDirectoryException | AccessDeniedException e) {
            return e.getClass().getSimpleName();
        } catch (IOException e) {
            return "IOException";
        } catch (UncheckedIOException | DirectoryIteratorException e) {
            return "unchecked " + e.getCause().getClass().getSimpleName();
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    private static List<String> names(Path root, Stream<Path> s) {
        try (s) {
            return s.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void createFileAndDirectory() throws IOException {
        same((r, log) -> {
            log.add(outcome(() -> r.relativize(Files.createFile(r.resolve("a")))));
            log.add(outcome(() -> Files.createFile(r.resolve("a"))));
            log.add(outcome(() -> Files.createFile(r.resolve("missing/a"))));
            log.add(outcome(() -> Files.createFile(r.resolve("a/b"))));
            log.add(outcome(() -> r.relativize(Files.createDirectory(r.resolve("d")))));
            log.add(outcome(() -> Files.createDirectory(r.resolve("d"))));
            log.add(outcome(() -> Files.createDirectory(r.resolve("a"))));
            log.add(outcome(() -> Files.createDirectory(r.resolve("x/y"))));
            log.add(outcome(() -> r.relativize(Files.createDirectories(r.resolve("p/q/r")))));
            log.add(outcome(() -> r.relativize(Files.createDirectories(r.resolve("p/q")))));
            log.add(outcome(() -> Files.createDirectories(r.resolve("a/q"))));
            log.add(outcome(() -> Files.getPosixFilePermissions(Files.createFile(r.resolve("perm"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----"))))));
            log.add(outcome(() -> Files.isDirectory(r.resolve("d")) + " " + Files.isRegularFile(r.resolve("a"))
                    + " " + Files.exists(r.resolve("nope")) + " " + Files.notExists(r.resolve("nope"))));
        });
    }

    @Test
    void readAndWrite() throws IOException {
        same((r, log) -> {
            Path f = r.resolve("f");
            log.add(outcome(() -> Files.readAllBytes(f)));
            log.add(outcome(() -> r.relativize(Files.writeString(f, "hello\nworld\n"))));
            log.add(outcome(() -> Files.readString(f)));
            log.add(outcome(() -> Files.readAllLines(f)));
            log.add(outcome(() -> Files.size(f)));
            log.add(outcome(() -> r.relativize(Files.writeString(f, "more\n", StandardOpenOption.APPEND))));
            log.add(outcome(() -> Files.readString(f)));
            log.add(outcome(() -> Files.write(f, new byte[] {1}, StandardOpenOption.CREATE_NEW)));
            log.add(outcome(() -> r.relativize(Files.write(f, new byte[] {1, 2, 3}))));
            log.add(outcome(() -> Files.size(f)));
            try (Stream<String> lines = Files.lines(r.resolve("nope"))) {
                log.add("lines opened " + lines.count());
            } catch (IOException e) {
                log.add(e.getClass().getSimpleName());
            }
            log.add(outcome(() -> Files.readAllBytes(r)));
            log.add(outcome(() -> Files.writeString(r, "x")));
            log.add(outcome(() -> Files.newByteChannel(f, StandardOpenOption.READ, StandardOpenOption.APPEND)));
            log.add(outcome(() -> Files.newByteChannel(f, StandardOpenOption.APPEND,
                    StandardOpenOption.TRUNCATE_EXISTING)));
            byte[] big = new byte[3 << 20];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31 + (i >> 12));
            }
            Files.write(r.resolve("big"), big);
            log.add(outcome(() -> java.util.Arrays.equals(big, Files.readAllBytes(r.resolve("big")))));
            try (var in = Files.newInputStream(r.resolve("big"))) {
                log.add("skip " + in.skip(1 << 20) + " read " + in.read() + " available>0 " + (in.available() >= 0));
            }
        });
    }

    @Test
    void deleteAndDeleteIfExists() throws IOException {
        same((r, log) -> {
            Files.createDirectories(r.resolve("d/e"));
            Files.createFile(r.resolve("d/e/f"));
            log.add(outcome(() -> {
                Files.delete(r.resolve("nope"));
                return null;
            }));
            log.add(outcome(() -> Files.deleteIfExists(r.resolve("nope"))));
            log.add(outcome(() -> {
                Files.delete(r.resolve("d"));
                return null;
            }));
            log.add(outcome(() -> Files.deleteIfExists(r.resolve("d/e/f"))));
            log.add(outcome(() -> Files.deleteIfExists(r.resolve("d/e"))));
            log.add(outcome(() -> {
                Files.delete(r.resolve("d"));
                return null;
            }));
            log.add(outcome(() -> Files.exists(r.resolve("d"))));
            log.add(outcome(() -> {
                Files.delete(r.resolve("d/x"));
                return null;
            }));
        });
    }

    @Test
    void copy() throws IOException {
        same((r, log) -> {
            Files.writeString(r.resolve("a"), "aaa");
            Files.writeString(r.resolve("b"), "bb");
            Files.createDirectories(r.resolve("full/x"));
            log.add(outcome(() -> r.relativize(Files.copy(r.resolve("a"), r.resolve("c")))));
            log.add(outcome(() -> Files.readString(r.resolve("c"))));
            log.add(outcome(() -> Files.copy(r.resolve("a"), r.resolve("b"))));
            log.add(outcome(() -> r.relativize(Files.copy(r.resolve("a"), r.resolve("b"), StandardCopyOption.REPLACE_EXISTING))));
            log.add(outcome(() -> Files.readString(r.resolve("b"))));
            log.add(outcome(() -> Files.copy(r.resolve("nope"), r.resolve("z"))));
            log.add(outcome(() -> r.relativize(Files.copy(r.resolve("full"), r.resolve("empty")))));
            log.add(names(r, Files.list(r.resolve("empty"))).toString());
            log.add(outcome(() -> Files.copy(r.resolve("a"), r.resolve("full"), StandardCopyOption.REPLACE_EXISTING)));
            log.add(outcome(() -> r.relativize(Files.copy(r.resolve("a"), r.resolve("a")))));
            log.add(outcome(() -> Files.copy(r.resolve("a"), r.resolve("nodir/a"))));
            Files.setPosixFilePermissions(r.resolve("a"), PosixFilePermissions.fromString("rwx------"));
            log.add(outcome(() -> Files.getPosixFilePermissions(Files.copy(r.resolve("a"), r.resolve("attrs"),
                    StandardCopyOption.COPY_ATTRIBUTES))));
        });
    }

    @Test
    void move() throws IOException {
        same((r, log) -> {
            Files.writeString(r.resolve("a"), "aaa");
            Files.writeString(r.resolve("b"), "bb");
            Files.createDirectories(r.resolve("full/x"));
            Files.createDirectories(r.resolve("emptydir"));
            log.add(outcome(() -> r.relativize(Files.move(r.resolve("a"), r.resolve("c")))));
            log.add(outcome(() -> Files.exists(r.resolve("a")) + " " + Files.readString(r.resolve("c"))));
            log.add(outcome(() -> Files.move(r.resolve("c"), r.resolve("b"))));
            log.add(outcome(() -> r.relativize(Files.move(r.resolve("c"), r.resolve("b"), StandardCopyOption.REPLACE_EXISTING))));
            log.add(outcome(() -> Files.readString(r.resolve("b"))));
            log.add(outcome(() -> Files.move(r.resolve("nope"), r.resolve("z"))));
            log.add(outcome(() -> Files.move(r.resolve("b"), r.resolve("full"), StandardCopyOption.REPLACE_EXISTING)));
            log.add(outcome(() -> r.relativize(Files.move(r.resolve("b"), r.resolve("emptydir"),
                    StandardCopyOption.REPLACE_EXISTING))));
            log.add(outcome(() -> Files.isRegularFile(r.resolve("emptydir"))));
            log.add(outcome(() -> r.relativize(Files.move(r.resolve("full"), r.resolve("moved"), StandardCopyOption.ATOMIC_MOVE))));
            log.add(names(r, Files.walk(r)).toString());
            log.add(outcome(() -> r.relativize(Files.move(r.resolve("moved"), r.resolve("moved")))));
            log.add(outcome(() -> Files.move(r.resolve("moved"), r.resolve("moved/x/in"))));
        });
    }

    @Test
    void directoryStreamsAndWalk() throws IOException {
        same((r, log) -> {
            for (String n : List.of("a.txt", "b.txt", "c.log", "d/e.txt", "d/f/g.txt")) {
                Files.createDirectories(r.resolve(n).getParent());
                Files.writeString(r.resolve(n), n);
            }
            List<String> listed = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(r)) {
                ds.forEach(p -> listed.add(r.relativize(p).toString()));
            }
            log.add(listed.stream().sorted().toList().toString());
            List<String> globbed = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(r, "*.txt")) {
                ds.forEach(p -> globbed.add(p.getFileName().toString()));
            }
            log.add(globbed.stream().sorted().toList().toString());
            log.add(outcome(() -> Files.newDirectoryStream(r.resolve("a.txt"))));
            log.add(outcome(() -> Files.newDirectoryStream(r.resolve("nope"))));
            log.add(names(r, Files.walk(r)).toString());
            log.add(names(r, Files.walk(r, 1)).toString());
            log.add(names(r, Files.find(r, 10, (p, a) -> a.isRegularFile() && p.toString().endsWith(".txt"))).toString());
            log.add(names(r, Files.list(r.resolve("d"))).toString());
            log.add(outcome(() -> names(r, Files.list(r.resolve("nope")))));
            PathMatcherCheck.check(r, log);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(r)) {
                ds.iterator();
                log.add(outcome(ds::iterator));
            }
        });
    }

    /** getPathMatcher's glob and regex syntaxes. */
    private static final class PathMatcherCheck {
        static void check(Path r, List<String> log) {
            var fs = r.getFileSystem();
            for (String pat : List.of("glob:*.txt", "glob:**/*.txt", "glob:{a,b}.txt", "glob:[ab].txt", "glob:?.log",
                    "glob:d/*", "regex:.*\\.log", "glob:[!a].txt")) {
                var m = fs.getPathMatcher(pat);
                log.add(pat + " " + List.of("a.txt", "b.txt", "c.log", "d/e.txt", "d/f/g.txt").stream()
                        .filter(n -> m.matches(fs.getPath(n))).toList());
            }
        }
    }

    @Test
    void attributes() throws IOException {
        same((r, log) -> {
            Path f = Files.writeString(r.resolve("f"), "12345");
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            log.add(a.size() + " " + a.isRegularFile() + " " + a.isDirectory() + " " + a.isSymbolicLink() + " " + a.isOther());
            log.add(outcome(() -> Files.readAttributes(r.resolve("nope"), BasicFileAttributes.class)));
            log.add(outcome(() -> Files.getAttribute(f, "basic:size")));
            log.add(outcome(() -> Files.readAttributes(f, "size,isDirectory").toString()));
            log.add(outcome(() -> Files.readAttributes(f, "posix:permissions,size")));
            log.add(outcome(() -> Files.readAttributes(f, "nosuchview:*")));
            log.add(outcome(() -> Files.getAttribute(f, "basic:nosuch")));
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-x---"));
            log.add(outcome(() -> PosixFilePermissions.toString(Files.getPosixFilePermissions(f))));
            Files.setAttribute(f, "posix:permissions", PosixFilePermissions.fromString("rw-------"));
            log.add(outcome(() -> PosixFilePermissions.toString(Files.getPosixFilePermissions(f))));
            log.add(outcome(() -> Files.getOwner(f).getName().equals("root") || Files.getOwner(f).getName().equals("0")));
            log.add(outcome(() -> Files.isSameFile(f, r.resolve("./f")) + " " + Files.isSameFile(f, r)));
            log.add(outcome(() -> Files.isSameFile(f, r.resolve("nope"))));
            log.add(outcome(() -> Files.isHidden(r.resolve(".hidden")) + " " + Files.isHidden(f)));
            log.add(outcome(() -> Files.isReadable(f) + " " + Files.isWritable(f) + " " + Files.isExecutable(f)
                    + " " + Files.isReadable(r.resolve("nope"))));
            log.add(outcome(() -> Files.getLastModifiedTime(f).toMillis() > 0));
            log.add(outcome(() -> r.relativize(f.toRealPath()).toString()));
            log.add(outcome(() -> r.resolve("nope").toRealPath()));
            log.add(outcome(() -> Files.getFileStore(f).getTotalSpace() > 0));
            log.add(outcome(() -> Files.getFileStore(r.resolve("nope"))));
        });
    }

    @Test
    void fileChannels() throws IOException {
        same((r, log) -> {
            Path f = r.resolve("ch");
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                log.add("write " + ch.write(ByteBuffer.wrap("abcdef".getBytes(StandardCharsets.US_ASCII))));
                log.add("pos " + ch.position() + " size " + ch.size());
                log.add("pwrite " + ch.write(ByteBuffer.wrap(new byte[] {'z'}), 10) + " size " + ch.size()
                        + " pos " + ch.position());
                ByteBuffer b = ByteBuffer.allocate(20);
                log.add("pread " + ch.read(b, 0) + " " + new String(b.array(), 0, b.position(), StandardCharsets.ISO_8859_1)
                        .replace('\0', '.'));
                log.add("at eof " + ch.read(ByteBuffer.allocate(4)) + " past eof " + ch.read(ByteBuffer.allocate(4), 100));
                log.add("empty dst " + ch.read(ByteBuffer.allocate(0), 0));
                ByteBuffer direct = ByteBuffer.allocateDirect(3);
                log.add("direct " + ch.read(direct, 1) + " " + (char) direct.get(0));
                ch.position(2);
                ByteBuffer[] bufs = {ByteBuffer.allocate(2), ByteBuffer.allocate(3)};
                log.add("scatter " + ch.read(bufs) + " pos " + ch.position());
                ch.position(0);
                log.add("gather " + ch.write(new ByteBuffer[] {ByteBuffer.wrap(new byte[] {'1', '2'}),
                        ByteBuffer.wrap(new byte[] {'3'})}) + " pos " + ch.position());
                log.add("truncate bigger " + ch.truncate(100).size());
                ch.position(8);
                log.add("truncate " + ch.truncate(4).size() + " pos " + ch.position());
                ch.force(true);
                log.add(outcome(() -> ch.position(-1)));
                log.add(outcome(() -> ch.read(ByteBuffer.allocate(1), -1)));
                var lock = ch.lock(0, 10, false);
                log.add("lock " + lock.isValid() + " " + lock.isShared() + " overlap " + outcome(() -> ch.tryLock(5, 10, false)));
                lock.release();
                log.add("released " + lock.isValid() + " relock " + outcome(() -> {
                    var l = ch.tryLock();
                    l.release();
                    return l.isValid();
                }));
                try (FileChannel out = FileChannel.open(r.resolve("copy"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    log.add("transferTo " + ch.transferTo(1, 100, out) + " size " + out.size());
                    log.add("transferFrom " + out.transferFrom(
                            java.nio.channels.Channels.newChannel(new java.io.ByteArrayInputStream(new byte[7])), 2, 50)
                            + " size " + out.size());
                }
            }
            try (SeekableByteChannel ro = Files.newByteChannel(f)) {
                log.add(outcome(() -> ro.write(ByteBuffer.allocate(1))));
                log.add(outcome(() -> ro.truncate(0)));
                log.add(outcome(() -> ((FileChannel) ro).lock()));
            }
            try (FileChannel ap = FileChannel.open(f, StandardOpenOption.APPEND)) {
                ap.write(ByteBuffer.wrap(new byte[] {'!'}));
                log.add("append size " + ap.size() + " pos " + ap.position());
                log.add(outcome(() -> ap.read(ByteBuffer.allocate(1))));
            }
            FileChannel closed = FileChannel.open(f);
            closed.close();
            log.add(outcome(() -> closed.read(ByteBuffer.allocate(1))));
            log.add(outcome(() -> closed.size()));
            log.add(outcome(() -> FileChannel.open(r.resolve("nope"))));
            log.add(outcome(() -> FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)));
            try (FileChannel del = FileChannel.open(r.resolve("tmp"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE)) {
                log.add("delete on close exists while open " + Files.exists(r.resolve("tmp")));
            }
            log.add("after close " + Files.exists(r.resolve("tmp")));
        });
    }

    @Test
    void pathsAreUnixPaths() throws IOException {
        same((r, log) -> {
            var fs = r.getFileSystem();
            for (String s : List.of("/a/b/../c/./d", "a//b/", "", "..", "/", "a/b")) {
                Path p = fs.getPath(s);
                log.add(s + " -> " + p + " abs " + p.isAbsolute() + " n " + p.getNameCount() + " name " + p.getFileName()
                        + " parent " + p.getParent() + " root " + p.getRoot() + " norm " + p.normalize());
            }
            Path a = fs.getPath("/x/y/z");
            Path b = fs.getPath("/x/q");
            log.add(a.relativize(b) + " " + b.relativize(a) + " " + a.resolve("w") + " " + a.resolve("/abs")
                    + " " + a.resolveSibling("s") + " " + a.subpath(1, 3) + " " + a.startsWith("/x") + " "
                    + a.endsWith("y/z") + " " + a.startsWith("x") + " " + fs.getPath("x", "y", "", "z"));
            log.add(outcome(() -> a.relativize(fs.getPath("rel"))));
            log.add(outcome(() -> a.getName(5)));
            log.add(String.valueOf(a.compareTo(b) > 0));
        });
    }
    @Test
    void linksAndTimes() throws IOException {
        same((r, log) -> {
            Path f = Files.writeString(r.resolve("f"), "data");
            Files.createDirectories(r.resolve("d/e"));
            log.add(outcome(() -> r.relativize(Files.createSymbolicLink(r.resolve("ln"), r.relativize(f)))));
            log.add(outcome(() -> Files.readSymbolicLink(r.resolve("ln"))));
            log.add(outcome(() -> Files.readSymbolicLink(f)));
            log.add(outcome(() -> Files.isSymbolicLink(r.resolve("ln")) + " " + Files.isRegularFile(r.resolve("ln"))
                    + " " + Files.isRegularFile(r.resolve("ln"), java.nio.file.LinkOption.NOFOLLOW_LINKS)));
            log.add(outcome(() -> Files.readString(r.resolve("ln"))));
            log.add(outcome(() -> Files.createSymbolicLink(r.resolve("ln"), f)));
            log.add(outcome(() -> r.relativize(Files.createSymbolicLink(r.resolve("dl"), r.resolve("d")))));
            log.add(outcome(() -> r.relativize(r.resolve("dl/e/..").toRealPath())));
            log.add(outcome(() -> r.relativize(Files.createSymbolicLink(r.resolve("dangling"), r.resolve("nope")))));
            log.add(outcome(() -> Files.exists(r.resolve("dangling")) + " "
                    + Files.exists(r.resolve("dangling"), java.nio.file.LinkOption.NOFOLLOW_LINKS)));
            log.add(outcome(() -> r.resolve("dangling").toRealPath()));
            log.add(outcome(() -> {
                Files.delete(r.resolve("dl"));
                return Files.isDirectory(r.resolve("d/e"));
            }));
            log.add(outcome(() -> r.relativize(Files.createLink(r.resolve("hard"), f))));
            log.add(outcome(() -> Files.isSameFile(f, r.resolve("hard")) + " " + Files.getAttribute(f, "basic:size")));
            log.add(outcome(() -> Files.createLink(r.resolve("hd"), r.resolve("d"))));
            log.add(outcome(() -> r.relativize(Files.copy(r.resolve("ln"), r.resolve("lncopy"), java.nio.file.LinkOption.NOFOLLOW_LINKS))));
            log.add(outcome(() -> Files.isSymbolicLink(r.resolve("lncopy")) + " " + Files.readSymbolicLink(r.resolve("lncopy"))));
            log.add(outcome(() -> r.relativize(Files.copy(r.resolve("ln"), r.resolve("lnfollowed")))));
            log.add(outcome(() -> Files.isSymbolicLink(r.resolve("lnfollowed")) + " " + Files.readString(r.resolve("lnfollowed"))));
            log.add(outcome(() -> r.relativize(Files.move(r.resolve("dangling"), r.resolve("moved")))));
            log.add(names(r, Files.walk(r)).toString());
            java.nio.file.attribute.FileTime t = java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_123L);
            Files.setLastModifiedTime(f, t);
            log.add(outcome(() -> Files.getLastModifiedTime(f)));
            Files.getFileAttributeView(f, java.nio.file.attribute.BasicFileAttributeView.class).setTimes(null, t, null);
            log.add(outcome(() -> Files.readAttributes(f, BasicFileAttributes.class).lastAccessTime()));
            log.add(outcome(() -> Files.getLastModifiedTime(Files.copy(f, r.resolve("c"), StandardCopyOption.COPY_ATTRIBUTES))));
            log.add(outcome(() -> Files.setLastModifiedTime(r.resolve("nope"), t)));
        });
    }
}
