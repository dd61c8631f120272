package dev.pmemfs.vfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.Falloc;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.testing.Gen;
import dev.pmemfs.testing.MountedVfs;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An fsx-style property (fstests ltp/fsx.c): random pwrite, truncate, preallocate, punch, zero range,
 * collapse and insert through the syscall layer, checked against a byte-array model after every
 * operation's batch, on both the Linux-behaviour and the pmemfs default mount. fsx's skip rules apply:
 * collapse and insert are block aligned, collapse never reaches EOF, insert starts before EOF.
 */
class FsxPropertyTest {
    private static final int BS = 4096;
    private static final int MAX_FILE = 512 * 1024;

    @TempDir
    Path tmp;

    /** The expected contents: bytes past {@code size} are always zero, as a file's unread tail is. */
    private static final class Model {
        byte[] data = new byte[MAX_FILE * 2];
        int size;

        void write(int off, byte[] b) {
            System.arraycopy(b, 0, data, off, b.length);
            size = Math.max(size, off + b.length);
        }

        void truncate(int len) {
            if (len < size) {
                Arrays.fill(data, len, size, (byte) 0);
            }
            size = len;
        }

        void zero(int off, int len, boolean keep) {
            Arrays.fill(data, off, Math.min(off + len, data.length), (byte) 0);
            if (!keep) {
                size = Math.max(size, off + len);
            }
        }

        void collapse(int off, int len) {
            System.arraycopy(data, off + len, data, off, size - off - len);
            Arrays.fill(data, size - len, size, (byte) 0);
            size -= len;
        }

        void insert(int off, int len) {
            System.arraycopy(data, off, data, off + len, size - off);
            Arrays.fill(data, off, off + len, (byte) 0);
            size += len;
        }
    }

    @Test
    void randomOperations_matchTheModel_onBothMounts() throws ErrnoException {
        for (MountOptions options : List.of(MountedVfs.LINUX, MountOptions.DEFAULTS)) {
            Path dir = tmp.resolve(options.zeroRange().name());
            try {
                java.nio.file.Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
            try (MountedVfs m = new MountedVfs(dir, 32L << 20, options)) {
                Syscalls sys = m.root();
                int[] n = {0};
                Gen.forAll("fsx-" + options.zeroRange(), 12, g -> {
                    try {
                        runCase(sys, "/fsx" + n[0]++, g);
                    } catch (ErrnoException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }
    }

    private static void runCase(Syscalls sys, String path, Gen g) throws ErrnoException {
        int fd = sys.open(path, Syscalls.O_CREAT | Syscalls.O_RDWR | Syscalls.O_TRUNC, 0644);
        Model model = new Model();
        List<String> log = new ArrayList<>();
        for (int op = 0; op < 40; op++) {
            int kind = g.intBetween(0, 6);
            int off = g.intBetween(0, MAX_FILE - 1);
            int len = g.intBetween(1, 32 * 1024);
            switch (kind) {
                case 0 -> {
                    byte[] b = g.bytes(Math.min(len, MAX_FILE - off));
                    log.add("pwrite " + off + " " + b.length);
                    assertEquals(b.length, sys.pwrite(fd, b, 0, b.length, off));
                    model.write(off, b);
                }
                case 1 -> {
                    log.add("truncate " + off);
                    sys.ftruncate(fd, off);
                    model.truncate(off);
                }
                case 2 -> {
                    boolean keep = g.chance(0.5);
                    log.add("falloc" + (keep ? " -k " : " ") + off + " " + len);
                    sys.fallocate(fd, keep ? Falloc.FALLOC_FL_KEEP_SIZE : 0, off, len);
                    if (!keep) {
                        model.size = Math.max(model.size, off + len);
                    }
                }
                case 3 -> {
                    // fsx skips punches that start at or beyond EOF.
                    if (off >= model.size) {
                        continue;
                    }
                    log.add("fpunch " + off + " " + len);
                    sys.fallocate(fd, Falloc.FALLOC_FL_PUNCH_HOLE | Falloc.FALLOC_FL_KEEP_SIZE, off, len);
                    model.zero(off, Math.min(len, model.size - off), true);
                }
                case 4 -> {
                    boolean keep = g.chance(0.5);
                    log.add("fzero" + (keep ? " -k " : " ") + off + " " + len);
                    sys.fallocate(fd, Falloc.FALLOC_FL_ZERO_RANGE | (keep ? Falloc.FALLOC_FL_KEEP_SIZE : 0), off, len);
                    model.zero(off, len, keep);
                }
                case 5 -> {
                    int boff = off / BS * BS;
                    int blen = Math.max(BS, len / BS * BS);
                    if (model.size == 0 || boff + blen >= model.size) {
                        continue;
                    }
                    log.add("fcollapse " + boff + " " + blen);
                    sys.fallocate(fd, Falloc.FALLOC_FL_COLLAPSE_RANGE, boff, blen);
                    model.collapse(boff, blen);
                }
                default -> {
                    int boff = off / BS * BS;
                    int blen = Math.max(BS, len / BS * BS);
                    if (boff >= model.size || model.size + blen > MAX_FILE * 2 - BS) {
                        continue;
                    }
                    log.add("finsert " + boff + " " + blen);
                    sys.fallocate(fd, Falloc.FALLOC_FL_INSERT_RANGE, boff, blen);
                    model.insert(boff, blen);
                }
            }
            if (op % 5 == 4) {
                check(sys, fd, model, log);
            }
        }
        check(sys, fd, model, log);
        sys.close(fd);
        sys.unlink(path);
    }

    private static void check(Syscalls sys, int fd, Model model, List<String> log) throws ErrnoException {
        assertEquals(model.size, sys.fstat(fd).size(), () -> "size after " + log);
        byte[] actual = new byte[model.size];
        int done = 0;
        while (done < actual.length) {
            int r = sys.pread(fd, actual, done, actual.length - done, done);
            if (r == 0) {
                break;
            }
            done += r;
        }
        assertEquals(model.size, done, () -> "short read after " + log);
        assertArrayEquals(Arrays.copyOf(model.data, model.size), actual, () -> "contents after " + log);
    }
}
