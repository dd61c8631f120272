package dev.pmemfs.cli.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmemfs.testing.MountedVfs;
import dev.pmemfs.testing.xfs.XfsScratch;
import dev.pmemfs.vfs.Syscalls;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The io session against real {@code xfs_io} on a real XFS (loop device): the same command lines on
 * a new file of each, stdout, stderr and exit status compared byte for byte. Covers what pmemfs must
 * print exactly as xfs_io does: {@code stat}'s fsxattr and dioattr lines (with and without the
 * immutable and append-only flags), a command line xfs_io does not know (an {@code @file} word
 * included) and a wrong argument count, which print a message and leave the exit status 0, and
 * {@code -b} buffer sizes no process can allocate.
 *
 * <p>Normalised on both sides before comparing: timing lines (fstests' {@code _filter_xfs_io}), the
 * inode number, the scratch directory in front of the file name. On the XFS side, the has-xattr bit
 * (0x80000000, "X"): this kernel gives every new XFS inode an attribute fork (no attribute is listed),
 * and pmemfs has no extended attributes. The cases avoid fallocate, whose XFS_DIFLAG_PREALLOC flag
 * pmemfs does not store.
 */
class XfsIoOutputDifferentialTest {
    @TempDir
    static Path dir;
    static XfsScratch xfs;
    static MountedVfs pmemfs;
    static int files;

    @BeforeAll
    static void mount() throws Exception {
        xfs = XfsScratch.mountOrSkip(Files.createDirectory(dir.resolve("xfs")));
        pmemfs = new MountedVfs(Files.createDirectory(dir.resolve("pmemfs")), 32L << 20, MountedVfs.LINUX);
    }

    @AfterAll
    static void unmount() throws Exception {
        try {
            if (pmemfs != null) {
                pmemfs.close();
            }
        } finally {
            if (xfs != null) {
                xfs.close();
            }
        }
    }

    record Run(int exit, String out, String err) {}

    @Test
    void stat_printsXfsIosFsxattrAndDioattrLines() throws Exception {
        same("pwrite -q 0 8k", "stat");
        same("pwrite -q 0 4k", "pwrite -q 8k 4k", "stat");
        same("truncate 1m", "stat");
        same("stat");
    }

    @Test
    void stat_showsImmutableAndAppendOnly() throws Exception {
        same("pwrite -q 0 4k", "chattr +i", "stat", "chattr -i", "stat");
        same("chattr +a", "stat", "chattr +i", "stat", "chattr -ia", "stat");
    }

    @Test
    void unknownCommandsAndAtFileWords_messageAndExitZero() throws Exception {
        Path args = Files.writeString(dir.resolve("args"), "pwrite 0 1\n");
        same("@" + args, "bogus", "truncate 1 2", "pread", "pwrite -q 0 1");
    }

    @Test
    void impossibleBufferSizes_refusedAsMemalignRefusesThem() throws Exception {
        for (String b : List.of("9223372036854775807", "1p", "7e", "18446744073709551616")) {
            same("pwrite -b " + b + " 0 4096");
            same("pwrite -q 0 4096", "pread -b " + b + " 0 4096");
        }
        same("pwrite -b 2^64 0 4096");
        same("pwrite -b 16e 0 4096", "pread -b 0 0 4096");
    }

    /** Runs the command lines on a new file of each filesystem and compares what they printed and returned. */
    private static void same(String... commands) throws Exception {
        String name = "f" + files++;
        Run real = xfsIo(xfs.root().resolve(name), commands);
        Run ours = pmemfsIo("/" + name, commands);
        String prefix = xfs.root() + "/";
        Run expected = new Run(real.exit(), normalise(real.out().replace(prefix, "/"), true),
                normalise(real.err().replace(prefix, "/"), true));
        Run actual = new Run(ours.exit(), normalise(ours.out(), false), normalise(ours.err(), false));
        assertEquals(expected, actual, "xfs_io -f " + String.join(" ", commands.length == 0 ? new String[0]
                : List.of(commands).stream().map(c -> "-c '" + c + "'").toArray(String[]::new)));
    }

    private static Run xfsIo(Path file, String... commands) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("xfs_io", "-f"));
        for (String c : commands) {
            argv.add("-c");
            argv.add(c);
        }
        argv.add(file.toString());
        Path out = dir.resolve("xfs_io.out");
        Path err = dir.resolve("xfs_io.err");
        Process p = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("xfs_io did not finish in 60 s: " + argv);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Run pmemfsIo(String file, String... commands) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (Syscalls p = pmemfs.root()) {
            IoSession s = new IoSession(p, new PrintWriter(out, true), new PrintWriter(err, true), System::nanoTime);
            int exit = s.openInitial(file, Syscalls.O_RDWR | Syscalls.O_CREAT, 0600) ? s.run(List.of(commands)) : 1;
            return new Run(exit, out.toString(), err.toString());
        }
    }

    private static final Pattern XFLAGS = Pattern.compile("(?m)^fsxattr\\.xflags = 0x([0-9a-f]+) \\[([^\\]]*)\\]$");
    private static final int FS_XFLAG_HASATTR = 0x80000000;

    private static String normalise(String text, boolean xfsSide) {
        String s = text.replaceAll("(?m)^[0-9.]+ [A-Za-z]+, \\d+ ops; .*$",
                        "XXX Bytes, X ops; XX:XX:XX.X (XXX YYY/sec and XXX ops/sec)")
                .replaceAll("(?m)^stat\\.ino = \\d+$", "stat.ino = INO");
        if (!xfsSide) {
            return s;
        }
        Matcher m = XFLAGS.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            int flags = (int) Long.parseLong(m.group(1), 16) & ~FS_XFLAG_HASATTR;
            String letters = m.group(2).endsWith("X") ? m.group(2).substring(0, m.group(2).length() - 1) + "-" : m.group(2);
            m.appendReplacement(b, Matcher.quoteReplacement(
                    "fsxattr.xflags = 0x" + Integer.toHexString(flags) + " [" + letters + "]"));
        }
        m.appendTail(b);
        return b.toString();
    }
}
