package dev.pmemfs.cli.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.testing.MountedVfs;
import dev.pmemfs.vfs.Syscalls;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fallocate MODE off len} and {@code fwzero [-k]} against the syscall they stand for: every
 * combination of the nine known flag bits (0x1 to 0x100), each higher bit alone and -1, written as a hex number, a decimal number or flag names, run through the io
 * session on one file and through {@code fallocate(2)} directly on a twin file. The answer (success or
 * "fallocate: strerror") and the file afterwards (size and bytes) must be the same: the command adds
 * no check of its own and loses none, whatever the kernel profile decides (LTP fallocate02's invalid
 * modes, vfs_fallocate's EOPNOTSUPP for an unknown bit, Linux 6.17's WRITE_ZEROES).
 */
class RawFallocateTest {
    @TempDir
    Path dir;

    @Test
    void everyModeWord_answersAsTheSyscall_linuxProfile() throws Exception {
        everyMode(MountedVfs.LINUX, "linux");
    }

    @Test
    void everyModeWord_answersAsTheSyscall_pmemfsProfile() throws Exception {
        everyMode(MountOptions.DEFAULTS, "pmemfs");
    }

    private void everyMode(MountOptions options, String name) throws Exception {
        try (MountedVfs m = new MountedVfs(Files.createDirectory(dir.resolve(name)), 32L << 20, options)) {
            List<Integer> modes = new ArrayList<>();
            for (int mode = 0; mode < 1 << 9; mode++) {
                modes.add(mode);
            }
            for (int bit = 9; bit < 32; bit++) {
                modes.add(1 << bit);
            }
            modes.add(-1);
            for (int mode : modes) {
                String word = switch (Math.floorMod(mode, 3)) {
                    case 0 -> "0x" + Integer.toHexString(mode);
                    case 1 -> Integer.toString(mode);
                    default -> names(mode);
                };
                same(m, "fallocate " + word + " 4096 8192", mode);
            }
            same(m, "fwzero 4096 8192", 0x80);
            same(m, "fwzero -k 4096 8192", 0x81);
            same(m, "fallocate FALLOC_FL_WRITE_ZEROES 4096 8192", 0x80);
            same(m, "fallocate keep_size|punch_hole 4096 8192", 0x3);
            same(m, "fallocate PUNCH_HOLE|0x1 4096 8192", 0x3);
        }
    }

    @Test
    void badModeWords_refusedBeforeTheSyscall() throws Exception {
        try (MountedVfs m = new MountedVfs(Files.createDirectory(dir.resolve("bad")), 16L << 20, MountOptions.DEFAULTS)) {
            for (String word : List.of("BOGUS", "KEEP_SIZE|", "|", "0x100000000", "-2147483649", "3x", "2^7")) {
                Outcome io = io(m, "/bad", "fallocate " + word + " 0 4096");
                assertEquals(1, io.exit(), word);
                assertEquals("", io.err(), word);
                assertEquals("non-numeric mode -- " + word + " (a number, or flags joined by |: ALLOCATE_RANGE, "
                        + "KEEP_SIZE, PUNCH_HOLE, NO_HIDE_STALE, COLLAPSE_RANGE, ZERO_RANGE, INSERT_RANGE, "
                        + "UNSHARE_RANGE, WRITE_ZEROES, ZEROINIT_RANGE)\n", io.out(), word);
            }
            Outcome usage = io(m, "/bad", "fallocate 0 4096");
            assertEquals("bad argument count 2 to fallocate, expected 3 arguments\n", usage.err());
        }
    }

    /** Flag names for the known bits of {@code mode} joined by "|", a number for the rest. */
    private static String names(int mode) {
        List<String> parts = new ArrayList<>();
        int rest = mode;
        for (Map.Entry<String, Integer> e : PreallocCommands.MODE_FLAGS.entrySet()) {
            if (e.getValue() != 0 && (rest & e.getValue()) == e.getValue()) {
                parts.add((parts.size() % 2 == 0 ? "FALLOC_FL_" : "") + e.getKey());
                rest &= ~e.getValue();
            }
        }
        if (rest != 0 || parts.isEmpty()) {
            parts.add("0x" + Integer.toHexString(rest));
        }
        return String.join("|", parts);
    }

    record Outcome(int exit, String out, String err, long size, byte[] bytes) {}

    /** The command line on one new file, fallocate(2) with {@code mode} on its twin: same answer, same file. */
    private static void same(MountedVfs m, String line, int mode) throws ErrnoException {
        Outcome io = io(m, "/io", line);
        Outcome sys = syscall(m, "/sys", mode);
        String what = line + " vs fallocate(fd, 0x" + Integer.toHexString(mode) + ", 4096, 8192)";
        assertEquals(sys.exit(), io.exit(), what + ": " + io.err());
        assertEquals(sys.err(), io.err(), what);
        assertEquals("", io.out(), what);
        assertEquals(sys.size(), io.size(), what);
        assertArrayEquals(sys.bytes(), io.bytes(), what);
    }

    private static Outcome io(MountedVfs m, String file, String line) throws ErrnoException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (Syscalls p = m.root()) {
            int fd = prepare(p, file);
            p.close(fd);
            IoSession s = new IoSession(p, new PrintWriter(out, true), new PrintWriter(err, true), () -> 0);
            s.openInitial(file, Syscalls.O_RDWR, 0);
            int exit = s.run(List.of(line));
            return finish(p, file, exit, out.toString(), err.toString());
        }
    }

    private static Outcome syscall(MountedVfs m, String file, int mode) throws ErrnoException {
        try (Syscalls p = m.root()) {
            int fd = prepare(p, file);
            String err = "";
            try {
                p.fallocate(fd, mode, 4096, 8192);
            } catch (ErrnoException e) {
                err = "fallocate: " + e.errno().text() + "\n";
            } finally {
                p.close(fd);
            }
            return finish(p, file, err.isEmpty() ? 0 : 1, "", err);
        }
    }

    /** A new 16 KiB file of 'a's. */
    private static int prepare(Syscalls p, String file) throws ErrnoException {
        int fd = p.open(file, Syscalls.O_RDWR | Syscalls.O_CREAT | Syscalls.O_TRUNC, 0600);
        byte[] a = new byte[16384];
        Arrays.fill(a, (byte) 'a');
        p.pwrite(fd, a, 0, a.length, 0);
        return fd;
    }

    private static Outcome finish(Syscalls p, String file, int exit, String out, String err) throws ErrnoException {
        int fd = p.open(file, Syscalls.O_RDONLY, 0);
        try {
            long size = p.fstat(fd).size();
            byte[] b = new byte[(int) size];
            int n = 0;
            while (n < b.length) {
                int r = p.pread(fd, b, n, b.length - n, n);
                if (r == 0) {
                    break;
                }
                n += r;
            }
            return new Outcome(exit, out, err, size, b);
        } finally {
            p.close(fd);
            p.unlink(file);
        }
    }
}
