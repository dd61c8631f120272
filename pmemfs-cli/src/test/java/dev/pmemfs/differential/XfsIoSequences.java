package dev.pmemfs.differential;

import dev.pmemfs.testing.Gen;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws seeded xfs_io command sequences for {@link XfsIoSequenceDifferentialTest}, in two classes the
 * fsx-style op generator ({@code testing.fileops.OpGenerator}) cannot reach, because its whole-file
 * model and state capture need files that fit in memory:
 *
 * <ul>
 *   <li><b>near loff_t max</b>: offsets and lengths around 2^63 - 1 (the largest file on XFS), 2^63 -
 *       4096 (its last block), 2^62 and 8 TiB, so that {@code pos + count} overflows, the range ends
 *       exactly at the largest file or just past it, and the file grows to 2^63 - 1 bytes; answered by
 *       pwrite, pread, truncate, falloc, fpunch, fzero, fcollapse, finsert, seek and fiemap;</li>
 *   <li><b>inode flags</b>: {@code chattr +i / +a} (and off again) between writes, truncates,
 *       fallocate calls and new opens of the same file (read-only, read-write, O_APPEND, O_TRUNC),
 *       including descriptors opened before the flag was set.</li>
 * </ul>
 *
 * <p>xfs_io's own {@code open} command is not drawn: with two files open, xfs_io runs every later
 * command on each of them in turn, which pmemfs's io session does not model; a new process per
 * reopen ({@link #REOPEN}) tests the same open(2) checks.
 *
 * <p>Every sequence stays cheap on both sides: a length that would make a filesystem allocate or
 * write more than 64 KiB is drawn only where {@code offset + length} overflows loff_t (so the call
 * fails at once), and each sequence starts from a new file.
 */
final class XfsIoSequences {
    /**
     * Not an xfs_io command: the step that ends the current xfs_io process and starts a new one on the
     * same file, with the xfs_io options that follow ({@code "#reopen -a"}).
     */
    static final String REOPEN = "#reopen";

    static final long MAX = Long.MAX_VALUE;
    /** The offset of the last block of the largest file. */
    static final long LAST_BLOCK = MAX - 4095;
    private static final long TIB8 = 1L << 43;
    private static final List<Long> NEAR_MAX_OFFSETS = List.of(MAX, MAX - 1, LAST_BLOCK, LAST_BLOCK - 1,
            LAST_BLOCK - 4096, LAST_BLOCK + 1, 1L << 62, TIB8, TIB8 - 4096, TIB8 + 1);
    private static final List<Long> SMALL_OFFSETS = List.of(0L, 1L, 4096L, 8192L, 65536L);
    private static final List<Long> SMALL_LENGTHS = List.of(1L, 4095L, 4096L, 8192L, 65536L);
    private static final List<Long> BIG_LENGTHS = List.of(MAX, MAX - 4095, 1L << 62, LAST_BLOCK - 4096, 4097L);
    /** Lengths at most this are always safe to write, allocate or read. */
    private static final long CHEAP = 65536;

    private XfsIoSequences() {}

    /** {@code count} commands of the near-loff_t-max class. */
    static List<String> nearMax(Gen g, int count) {
        List<String> cmds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cmds.add(nearMaxCommand(g));
        }
        return cmds;
    }

    private static String nearMaxCommand(Gen g) {
        int pick = g.intBetween(0, 99);
        long off = offset(g);
        if (pick < 16) {
            long len = ioLength(g, off);
            return "pwrite -S 0x" + Integer.toHexString(g.intBetween(1, 255)) + " " + off + " " + len;
        }
        if (pick < 26) {
            long len = ioLength(g, off);
            return (len <= 512 ? "pread -v " : "pread ") + off + " " + len;
        }
        if (pick < 38) {
            // Now and then a size xfs_io itself refuses: negative, or 2^63 (cvtnum overflows).
            return "truncate " + (g.chance(0.05) ? g.oneOf("-1", "9223372036854775808") : Long.toString(off));
        }
        if (pick < 46) {
            return (g.chance(0.5) ? "falloc -k " : "falloc ") + off + " " + length(g, off, false);
        }
        if (pick < 52) {
            return "fpunch " + off + " " + length(g, off, true);
        }
        if (pick < 58) {
            return (g.chance(0.5) ? "fzero -k " : "fzero ") + off + " " + length(g, off, false);
        }
        if (pick < 64) {
            return "fcollapse " + off + " " + length(g, off, true);
        }
        if (pick < 70) {
            return "finsert " + off + " " + length(g, off, true);
        }
        if (pick < 82) {
            return g.oneOf("seek -d ", "seek -h ", "seek -a -r ", "seek -a ") + off;
        }
        if (pick < 94) {
            return switch (g.intBetween(0, 3)) {
                case 0 -> "fiemap -v";
                case 1 -> "fiemap -v " + off;
                case 2 -> "fiemap " + off + " " + length(g, off, true);
                default -> "fiemap -v " + off + " " + length(g, off, true);
            };
        }
        return "stat";
    }

    /** Mostly near the largest file, sometimes at its start (so both ends of a huge file hold data). */
    private static long offset(Gen g) {
        return g.chance(0.7) ? g.pick(NEAR_MAX_OFFSETS) : g.pick(SMALL_OFFSETS);
    }

    /**
     * A length for a call at {@code off}: a big one only where {@code off + length} overflows loff_t
     * (or, when {@code anyBig}, for calls that cost nothing for a big range: punch, collapse, insert,
     * fiemap), otherwise at most {@link #CHEAP}.
     */
    private static long length(Gen g, long off, boolean anyBig) {
        if (g.chance(0.4)) {
            long big = g.pick(BIG_LENGTHS);
            if (anyBig || big > CHEAP && off > MAX - big) {
                return big;
            }
        }
        return g.pick(SMALL_LENGTHS);
    }

    /**
     * A length for pwrite or pread at {@code off}: xfs_io moves data in buffers of at most 64 KiB, one
     * syscall each, so a big length is drawn only where the first 64 KiB already reach past loff_t
     * (the data moved stays under 64 KiB before a call fails).
     */
    private static long ioLength(Gen g, long off) {
        return g.chance(0.4) && off > MAX - CHEAP ? g.pick(BIG_LENGTHS) : g.pick(SMALL_LENGTHS);
    }

    /**
     * {@code count} steps of the inode-flags class: commands on the open file, and now and then a new
     * xfs_io process ({@link #REOPEN} and its options: none (read-write), {@code -r}, {@code -a}
     * (O_APPEND), {@code -t} (O_TRUNC)) that opens the same file again and meets its flags; at the end
     * the flags are cleared. Descriptors opened before a flag was set are the ones each process keeps.
     */
    static List<String> flags(Gen g, int count) {
        List<String> cmds = new ArrayList<>();
        cmds.add("pwrite -S 0x" + Integer.toHexString(g.intBetween(1, 255)) + " 0 16384");
        for (int i = 0; i < count; i++) {
            int pick = g.intBetween(0, 99);
            if (pick < 24) {
                cmds.add("chattr " + g.oneOf("+i", "-i", "+a", "-a", "+ia", "-ia", "+i", "+a"));
            } else if (pick < 36) {
                cmds.add(REOPEN + g.oneOf("", " -r", " -a", " -t", " -a", " -r"));
            } else if (pick < 52) {
                cmds.add("pwrite -S 0x" + Integer.toHexString(g.intBetween(1, 255)) + " " + g.oneOf(0L, 4096L, 16384L, 20480L)
                        + " " + g.oneOf(1L, 4096L, 8192L));
            } else if (pick < 60) {
                cmds.add("pread -v " + g.oneOf(0L, 4096L, 16380L, 20480L) + " " + g.oneOf(8L, 64L));
            } else if (pick < 68) {
                cmds.add("truncate " + g.oneOf(0L, 4096L, 16384L, 32768L, 40000L));
            } else if (pick < 86) {
                long off = g.oneOf(0L, 4096L, 8192L, 16384L, 32768L);
                long len = g.oneOf(4096L, 8192L);
                cmds.add(g.oneOf("falloc ", "falloc -k ", "fpunch ", "fzero ", "fzero -k ", "fcollapse ", "finsert ")
                        + off + " " + len);
            } else if (pick < 92) {
                cmds.add(g.oneOf("fsync", "fdatasync", "seek -a -r 0", "fiemap -v"));
            } else {
                cmds.add("stat");
            }
        }
        cmds.add(REOPEN + " -r");
        cmds.add("chattr -ia");
        cmds.add("stat");
        return cmds;
    }
}
