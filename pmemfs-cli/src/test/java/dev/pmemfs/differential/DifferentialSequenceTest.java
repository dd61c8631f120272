package dev.pmemfs.differential;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.Falloc;
import dev.pmemfs.testing.Gen;
import dev.pmemfs.testing.fileops.FileTarget;
import dev.pmemfs.testing.fileops.OpGenerator;
import dev.pmemfs.testing.xfs.NativeFile;
import dev.pmemfs.testing.xfs.XfsScratch;
import dev.pmemfs.vfs.Fiemap;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The comparison itself: an identical subject (a second XFS file) passes, and subjects with one
 * planted deviation each fail with a message naming the seed, the op and both answers. A differential
 * test that could not fail this way would prove nothing about pmemfs.
 */
class DifferentialSequenceTest {
    private static final int BS = XfsScratch.BLOCK_SIZE;

    @TempDir
    static Path dir;
    static XfsScratch xfs;

    @BeforeAll
    static void mount() throws IOException {
        xfs = XfsScratch.mountOrSkip(dir);
    }

    @AfterAll
    static void unmount() throws IOException {
        if (xfs != null) {
            xfs.close();
        }
    }

    /** Runs seed {@code seed} with XFS as reference and {@code wrap} around a second XFS file as subject. */
    private static void run(long seed, int ops, Function<NativeFile, FileTarget> wrap) {
        comparison(wrap).run(new Gen(seed), ops, 20);
    }

    private static DifferentialCase comparison(Function<NativeFile, FileTarget> wrap) {
        DifferentialCase.Files plain = DifferentialCase.Files.onXfs(xfs);
        DifferentialCase.Files wrapped = new DifferentialCase.Files() {
            @Override
            public FileTarget create(String name) throws ErrnoException {
                return wrap.apply(xfs.createFile("subject-" + name));
            }

            @Override
            public FileTarget open(String name) throws ErrnoException {
                return wrap.apply(NativeFile.open("xfs", xfs.root().resolve("subject-" + name)));
            }

            @Override
            public void remove(String name) throws ErrnoException {
                plain.remove("subject-" + name);
            }
        };
        return new DifferentialCase(plain, wrapped, BS, OpGenerator.standard(), 5_000);
    }

    private static int minimizedLength(String message) {
        Matcher m = Pattern.compile("minimized to (\\d+) of").matcher(message);
        assertTrue(m.find(), message);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void run_identicalSubject_passes() {
        for (long seed = 1; seed <= 4; seed++) {
            run(seed, 300, f -> f);
        }
    }

    @Test
    void run_subjectZeroRangeAsPunch_failsOnBlockMap_minimized() {
        AssertionError e = assertThrows(AssertionError.class, () -> {
            for (long seed = 1; seed <= 10; seed++) {
                run(seed, 300, ZeroRangeAsPunch::new);
            }
        });
        assertTrue(e.getMessage().startsWith("seed "), e.getMessage());
        assertTrue(e.getMessage().contains("FIEMAP block map differs"), e.getMessage());
        assertTrue(minimizedLength(e.getMessage()) <= 3, e.getMessage());
    }

    @Test
    void run_remountKeepingEverything_passes() {
        comparison(f -> f).remountingAtEnd(() -> { }).run(new Gen(5), 200, 20);
    }

    /** A "remount" that loses the subject's data must be caught by the comparison after it. */
    @Test
    void run_remountLosingData_failsAfterRemount() {
        DifferentialCase c = comparison(Same::new).remountingAtEnd(() -> {
            try (var files = Files.list(xfs.root())) {
                for (Path p : files.filter(p -> p.getFileName().toString().startsWith("subject-")).toList()) {
                    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                        f.setLength(0);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        AssertionError e = assertThrows(AssertionError.class, () -> c.run(new Gen(5), 200, 20));
        assertTrue(e.getMessage().contains("(after unmount and mount): mutant state differs from xfs: size 0 vs "),
                e.getMessage());
    }

    @Test
    void run_subjectWithWrongCollapseErrno_failsOnThatOp() {
        AssertionError e = assertThrows(AssertionError.class, () -> run(3, 300, WrongCollapseErrno::new));
        assertTrue(e.getMessage().matches("(?s)seed 3\\b[^\\n]*, op #\\d+ \\(fcollapse .*"), e.getMessage());
        assertTrue(e.getMessage().contains("-1 EOPNOTSUPP") && e.getMessage().contains("-1 EINVAL"), e.getMessage());
    }

    /** A file that forwards every call to a real XFS file. */
    private abstract static class Forwarding implements FileTarget {
        final NativeFile f;

        Forwarding(NativeFile f) {
            this.f = f;
        }

        @Override
        public String name() {
            return "mutant";
        }

        @Override
        public int pwrite(byte[] buf, long pos) throws ErrnoException {
            return f.pwrite(buf, pos);
        }

        @Override
        public int pread(byte[] buf, long pos) throws ErrnoException {
            return f.pread(buf, pos);
        }

        @Override
        public void ftruncate(long length) throws ErrnoException {
            f.ftruncate(length);
        }

        @Override
        public void fallocate(int mode, long offset, long len) throws ErrnoException {
            f.fallocate(mode, offset, len);
        }

        @Override
        public long lseek(long offset, int whence) throws ErrnoException {
            return f.lseek(offset, whence);
        }

        @Override
        public Fiemap fiemap(long start, long length, int flags, int extentCount) throws ErrnoException {
            return f.fiemap(start, length, flags, extentCount);
        }

        @Override
        public long size() throws ErrnoException {
            return f.size();
        }

        @Override
        public void settle() throws ErrnoException {
            f.settle();
        }

        @Override
        public void close() throws ErrnoException {
            f.close();
        }
    }

    /** Changes nothing: a second, equal XFS file under another name. */
    private static final class Same extends Forwarding {
        Same(NativeFile f) {
            super(f);
        }
    }

    /** Zeroes a range by punching it (same bytes, but holes where XFS leaves unwritten extents). */
    private static final class ZeroRangeAsPunch extends Forwarding {
        ZeroRangeAsPunch(NativeFile f) {
            super(f);
        }

        @Override
        public void fallocate(int mode, long offset, long len) throws ErrnoException {
            if ((mode & Falloc.FALLOC_FL_ZERO_RANGE) != 0 && offset >= 0 && len > 0) {
                long size = f.size();
                f.fallocate(Falloc.FALLOC_FL_PUNCH_HOLE | Falloc.FALLOC_FL_KEEP_SIZE, offset, len);
                if ((mode & Falloc.FALLOC_FL_KEEP_SIZE) == 0 && offset + len > size) {
                    f.ftruncate(offset + len);
                }
                return;
            }
            f.fallocate(mode, offset, len);
        }
    }

    /** Reports a failed collapse as EOPNOTSUPP instead of EINVAL. */
    private static final class WrongCollapseErrno extends Forwarding {
        WrongCollapseErrno(NativeFile f) {
            super(f);
        }

        @Override
        public void fallocate(int mode, long offset, long len) throws ErrnoException {
            try {
                f.fallocate(mode, offset, len);
            } catch (ErrnoException e) {
                if (mode == Falloc.FALLOC_FL_COLLAPSE_RANGE) {
                    throw new ErrnoException(Errno.EOPNOTSUPP, "fallocate", "mutant");
                }
                throw e;
            }
        }
    }
}
