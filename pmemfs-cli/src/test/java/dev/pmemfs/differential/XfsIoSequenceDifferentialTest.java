package dev.pmemfs.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmemfs.cli.io.IoSession;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.testing.Gen;
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
 * Seeded xfs_io command sequences ({@link XfsIoSequences}: arguments near loff_t's maximum, and the
 * immutable and append-only inode flags) run by real {@code xfs_io} on a new file of a real XFS (loop
 * device) and by pmemfs's io session on a new file of a pmemfs mounted with Linux's behaviour; what
 * each prints (stdout and stderr interleaved, as on a terminal: xfs_io runs under {@code stdbuf -oL})
 * must be the same, line for line, so every return value, errno, byte read, SEEK_DATA/SEEK_HOLE
 * answer, size, flag and FIEMAP extent is compared. A sequence may end one xfs_io process and open
 * the same file again in a new one ({@code xfs_io -r}, {@code -a}, {@code -t} or read-write), so the
 * open(2) checks of the flags are compared too.
 *
 * <p>Normalised on both sides: timing lines (fstests' {@code _filter_xfs_io}), the inode number, the
 * program name in messages, the file's path, and FIEMAP's device block ranges (where each filesystem
 * put a block differs; the column whitespace that depends on their width is collapsed). On the XFS
 * side only, two inode flag bits pmemfs does not keep: has-xattr (0x80000000, "X": this kernel gives
 * every new XFS inode an attribute fork) and prealloc (0x2, "p": XFS_DIFLAG_PREALLOC after
 * fallocate). Exit statuses are not compared: pmemfs's io sets 1 after any failed command, xfs_io
 * only after some.
 *
 * <p>XFS here is not DAX (loop devices cannot be), so before every seek and fiemap the XFS side also
 * runs {@code fsync} and {@code fadvise -d 0 0} (silent), as {@code testing.xfs.NativeFile.settle} does:
 * without it, pages a pread cached over an unwritten extent read as data to SEEK_DATA, which on DAX
 * (no page cache) they never do.
 *
 * <p>A failing sequence is replayed prefix by prefix on new files to name the first command after
 * which the outputs differ; the message gives the seed, that command, both outputs and the whole
 * sequence as an xfs_io command line.
 */
class XfsIoSequenceDifferentialTest {
    static final int SEQUENCES = 30;
    static final int COMMANDS = 14;

    @TempDir
    static Path dir;
    static XfsScratch xfs;
    static MountedVfs pmemfs;
    static int files;

    @BeforeAll
    static void mountBoth() throws Exception {
        xfs = XfsScratch.mountOrSkip(Files.createDirectory(dir.resolve("xfs")));
        pmemfs = new MountedVfs(Files.createDirectory(dir.resolve("pmemfs")), 32L << 20, MountedVfs.LINUX);
    }

    @AfterAll
    static void unmountBoth() throws Exception {
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

    @Test
    void nearLoffMaxArguments_printTheSameAsXfs() {
        Gen.forAll("xfs-io-near-max", SEQUENCES, g -> same(XfsIoSequences.nearMax(g, COMMANDS)));
    }

    @Test
    void immutableAndAppendOnlyFlags_printTheSameAsXfs() {
        Gen.forAll("xfs-io-flags", SEQUENCES, g -> same(XfsIoSequences.flags(g, COMMANDS)));
    }

    /**
     * The largest file's last block: FIEMAP reports it whole, 4096 bytes ending at 2^63, as XFS does
     * (pmemfs once reported 4095, its end saturated at 2^63 - 1), and xfs_io's verbose table keeps its
     * 31-character columns however long the offsets get.
     */
    @Test
    void largestFile_lastBlock_fiemapAsXfs() {
        long last = XfsIoSequences.LAST_BLOCK;
        same(List.of("truncate " + XfsIoSequences.MAX, "pwrite -S 0x41 " + last + " 4095", "pwrite -S 0x42 0 4096",
                "fiemap -v", "fiemap -v " + last + " 4096", "fiemap " + (XfsIoSequences.MAX - 1) + " 1",
                "fiemap -l " + last, "seek -a -r 0", "pread -v " + (XfsIoSequences.MAX - 8) + " 8",
                "pread -v " + (XfsIoSequences.MAX - 8) + " 9", "stat"));
    }

    /**
     * The immutable flag set under an open descriptor: XFS lets pwrite and ftruncate through, not
     * fallocate; a new open for writing (or appending, or truncating) is refused, a read-only one is not.
     */
    @Test
    void immutable_setUnderAnOpenDescriptor_asXfs() {
        String reopen = XfsIoSequences.REOPEN;
        same(List.of("pwrite -S 0x61 0 8192", "chattr +i", "pwrite -S 0x62 0 4096", "truncate 4096", "falloc 0 8192",
                "fpunch 0 4096", reopen, reopen + " -a", reopen + " -t", reopen + " -r", "pread -v 0 8", "chattr -i", "stat"));
    }

    /** Append-only: only O_APPEND opens for writing, no truncate, no fallocate but preallocation. */
    @Test
    void appendOnly_asXfs() {
        String reopen = XfsIoSequences.REOPEN;
        same(List.of("pwrite -S 0x61 0 8192", "chattr +a", "pwrite -S 0x62 0 4096", reopen, reopen + " -a",
                "pwrite -S 0x63 0 1", "truncate 0", "fpunch 0 4096", "falloc -k 8192 4096", "falloc 8192 4096",
                "fzero -k 0 4096", "stat", reopen + " -r", "chattr -a", "stat"));
    }

    /** Runs {@code commands} on a new file of each filesystem and asserts the normalised outputs are equal. */
    private static void same(List<String> commands) {
        Outputs whole = run(commands);
        if (whole.agree()) {
            return;
        }
        // Find the first command after which they differ, on new files each time.
        for (int k = 1; k <= commands.size(); k++) {
            Outputs prefix = run(commands.subList(0, k));
            if (!prefix.agree() && xfsCollapseCorruption(commands.get(k - 1), prefix)) {
                System.out.println("XFS reported corruption for " + commands.get(k - 1) + " (a known XFS defect, README"
                        + " limits); the rest of this sequence is not compared: " + commandLine(commands.subList(0, k)));
                return;
            }
            if (!prefix.agree()) {
                assertEquals(prefix.xfs(), prefix.pmemfs(), "pmemfs's io prints differently from xfs_io on XFS after command #"
                        + k + " (" + commands.get(k - 1) + ") of " + commandLine(commands));
            }
        }
        assertEquals(whole.xfs(), whole.pmemfs(), "pmemfs's io prints differently from xfs_io on XFS (only when run"
                + " whole, not in any prefix) for " + commandLine(commands));
    }

    private static final String EUCLEAN_LINE = "fallocate: Structure needs cleaning\n";

    /**
     * The one known way XFS itself goes wrong here (Linux 6.18): collapsing a range that starts some
     * megabytes into a file whose extents reach near 2^63 makes {@code xfs_bmap_collapse_extents}
     * report corruption (EUCLEAN, "Corruption detected. Unmount and run xfs_repair" in the kernel
     * log) and change nothing, where the same collapse at offset 4096, or of extents lower down,
     * succeeds. pmemfs does the collapse. Recognised only as exactly that: the fcollapse is the first
     * command whose output differs, and XFS printed nothing else for it.
     */
    private static boolean xfsCollapseCorruption(String command, Outputs o) {
        return command.startsWith("fcollapse ") && o.xfs().endsWith(EUCLEAN_LINE)
                && o.xfs().substring(0, o.xfs().length() - EUCLEAN_LINE.length()).equals(o.pmemfs());
    }

    private record Outputs(String xfs, String pmemfs) {
        boolean agree() {
            return xfs.equals(pmemfs);
        }
    }

    private static Outputs run(List<String> commands) {
        String name = "s" + files++;
        try {
            StringBuilder real = new StringBuilder();
            StringBuilder ours = new StringBuilder();
            for (Stage stage : stages(commands)) {
                String header = "== xfs_io" + stage.options() + "\n";
                real.append(header).append(xfsIo(name, stage));
                ours.append(header).append(pmemfsIo(name, stage).replace("/" + name, name));
            }
            return new Outputs(normalise(real.toString().replace(xfs.root() + "/", ""), true), normalise(ours.toString(), false));
        } finally {
            removeBoth(name);
        }
    }

    /** One xfs_io process: its options (" -r", " -a", " -t" or "") and its commands. */
    private record Stage(String options, List<String> commands) {
        int openFlags() {
            int flags = options.contains("-r") ? Syscalls.O_RDONLY : Syscalls.O_RDWR;
            if (options.contains("-a")) {
                flags |= Syscalls.O_APPEND;
            }
            if (options.contains("-t")) {
                flags |= Syscalls.O_TRUNC;
            }
            return flags;
        }
    }

    /** Splits a sequence at its {@link XfsIoSequences#REOPEN} steps; the first process is {@code xfs_io -f}. */
    private static List<Stage> stages(List<String> commands) {
        List<Stage> stages = new ArrayList<>();
        String options = " -f";
        List<String> current = new ArrayList<>();
        for (String c : commands) {
            if (c.startsWith(XfsIoSequences.REOPEN)) {
                stages.add(new Stage(options, current));
                options = c.substring(XfsIoSequences.REOPEN.length());
                current = new ArrayList<>();
            } else {
                current.add(c);
            }
        }
        stages.add(new Stage(options, current));
        return stages;
    }

    private static String xfsIo(String name, Stage stage) {
        List<String> argv = new ArrayList<>(List.of("stdbuf", "-oL", "xfs_io"));
        argv.addAll(List.of(stage.options().strip().split(" ")).stream().filter(o -> !o.isEmpty()).toList());
        for (String c : stage.commands()) {
            if (c.startsWith("seek ") || c.startsWith("fiemap")) {
                // As NativeFile.settle: a page-cache filesystem answers SEEK_DATA with cached pages over
                // unwritten extents (a pread is enough to cache them), DAX answers from the extent map;
                // with the file synced and its cache dropped XFS answers from the map too. Both print
                // nothing when they succeed.
                argv.addAll(List.of("-c", "fsync", "-c", "fadvise -d 0 0"));
            }
            argv.add("-c");
            argv.add(c);
        }
        argv.add(name);
        try {
            Path out = dir.resolve("xfs_io.out");
            // Standard input is empty: xfs_io with no -c (a reopen only) would otherwise wait for commands.
            Process p = new ProcessBuilder(argv).directory(xfs.root().toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("xfs_io did not finish in 60 s: " + argv);
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("running " + argv + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + argv, e);
        }
    }

    private static String pmemfsIo(String name, Stage stage) {
        StringWriter both = new StringWriter();
        PrintWriter w = new PrintWriter(both, true);
        try (Syscalls p = pmemfs.root()) {
            IoSession s = new IoSession(p, w, w, System::nanoTime);
            int create = stage.options().contains("-f") ? Syscalls.O_CREAT : 0;
            if (s.openInitial("/" + name, stage.openFlags() | create, 0600)) {
                s.run(stage.commands());
            }
        }
        return both.toString();
    }

    /** Clears the flags a sequence may have left (they forbid unlink) and removes the file from both sides. */
    private static void removeBoth(String name) {
        Path real = xfs.root().resolve(name);
        try {
            if (Files.exists(real)) {
                Process p = new ProcessBuilder("xfs_io", "-r", "-c", "chattr -ia", real.toString()).redirectErrorStream(true)
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() != 0 || !out.isEmpty()) {
                    throw new AssertionError("clearing the flags of " + real + " failed: " + out);
                }
                Files.delete(real);
            }
        } catch (IOException e) {
            throw new AssertionError("removing " + real + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted removing " + real, e);
        }
        try (Syscalls p = pmemfs.root()) {
            int fd = p.open("/" + name, Syscalls.O_RDONLY, 0);
            p.setFlags(fd, 0);
            p.close(fd);
            p.unlink("/" + name);
        } catch (ErrnoException e) {
            throw new AssertionError("removing /" + name + " from pmemfs failed: " + e, e);
        }
    }

    private static String commandLine(List<String> commands) {
        StringBuilder b = new StringBuilder();
        for (Stage stage : stages(commands)) {
            b.append(b.isEmpty() ? "" : "; ").append("xfs_io").append(stage.options());
            for (String c : stage.commands()) {
                b.append(" -c '").append(c).append('\'');
            }
            b.append(" FILE");
        }
        return b.toString();
    }

    private static final Pattern XFLAGS = Pattern.compile("(?m)^fsxattr\\.xflags = 0x([0-9a-f]+) \\[([^\\]]*)\\]$");
    /** FS_XFLAG_HASATTR and FS_XFLAG_PREALLOC, and their letters' positions in xfs_io's flag string. */
    private static final int XFS_ONLY_FLAGS = 0x80000000 | 0x2;
    private static final Pattern FIEMAP_ROW = Pattern.compile("(?m)^(\\s*\\d+: \\[\\d+\\.\\.\\d+\\]:\\s+)\\d+\\.\\.\\d+");

    private static final Pattern ROW = Pattern.compile("(\\d+): \\[(\\d+)\\.\\.(\\d+)\\]: (P\\.\\.P|hole)(?: (\\d+))?(?: (0x[0-9a-f]+))?");

    /**
     * Joins FIEMAP rows that continue each other (same kind and flags, the next starting where the
     * previous ended) and numbers the rows again: each allocator splits free space its own way, so one
     * logical run of blocks may be one extent on XFS and two on pmemfs; with the device block ranges
     * gone, that split is the only trace of it. {@code fsxattr.nextents} counts the same split and is
     * masked for the same reason; the blocks a file holds ({@code stat.blocks}) are still compared.
     */
    private static String coalesceFiemapRows(String text) {
        List<String> out = new ArrayList<>();
        String[] row = null; // index, start, end, kind, total, flags
        int index = 0;
        for (String line : text.split("\n", -1)) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                String[] r = {m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)};
                boolean continues = row != null && r[3].equals("P..P") && row[3].equals("P..P")
                        && Long.parseLong(r[1]) == Long.parseLong(row[2]) + 1
                        && (Integer.decode(r[5] == null ? "0" : r[5]) & ~1) == Integer.decode(row[5] == null ? "0" : row[5]);
                if (continues) {
                    row[2] = r[2];
                    row[4] = r[4] == null ? null : Long.toString(Long.parseLong(row[4]) + Long.parseLong(r[4]));
                    row[5] = r[5];
                    continue;
                }
                if (row != null) {
                    out.add(format(row, index++));
                }
                row = r;
                if (r[0].equals("0")) {
                    index = 0;
                }
                continue;
            }
            if (row != null) {
                out.add(format(row, index++));
                row = null;
            }
            out.add(line);
        }
        if (row != null) {
            out.add(format(row, index));
        }
        return String.join("\n", out);
    }

    private static String format(String[] row, int index) {
        return index + ": [" + row[1] + ".." + row[2] + "]: " + row[3] + (row[4] == null ? "" : " " + row[4])
                + (row[5] == null ? "" : " " + row[5]);
    }

    private static String normalise(String text, boolean xfsSide) {
        String s = text.replaceAll("(?m)^[0-9.]+ [A-Za-z]+, \\d+ ops; .*$", "XXX Bytes, X ops; XX:XX:XX.X (XXX YYY/sec and XXX ops/sec)")
                .replaceAll("(?m)^stat\\.ino = \\d+$", "stat.ino = INO")
                .replaceAll("(?m)^(xfs_io|" + "pmemfs" + "): ", "PROG: ");
        s = FIEMAP_ROW.matcher(s).replaceAll("$1P..P");
        // FIEMAP's verbose table: column widths follow the device block numbers, so collapse its spacing.
        s = Pattern.compile("(?m)^( EXT: .*|\\s*\\d+: \\[\\d+\\.\\.\\d+\\]:.*)$").matcher(s)
                .replaceAll(m -> Matcher.quoteReplacement(m.group(1).strip().replaceAll("\\s+", " ")));
        s = coalesceFiemapRows(s).replaceAll("(?m)^fsxattr\\.nextents = \\d+$", "fsxattr.nextents = N");
        if (!xfsSide) {
            return s;
        }
        Matcher m = XFLAGS.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            int flags = (int) Long.parseLong(m.group(1), 16) & ~XFS_ONLY_FLAGS;
            char[] letters = m.group(2).toCharArray();
            for (int i = 0; i < letters.length; i++) {
                if (letters[i] == 'X' || letters[i] == 'p') {
                    letters[i] = '-';
                }
            }
            m.appendReplacement(b, Matcher.quoteReplacement("fsxattr.xflags = 0x" + Integer.toHexString(flags) + " ["
                    + new String(letters) + "]"));
        }
        m.appendTail(b);
        return b.toString();
    }
}
