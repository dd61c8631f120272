package dev.pmemfs.cli.io;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Fiemap;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code fiemap [-alv] [-n nx] [offset [len]]} as io/fiemap.c prints it: 512-byte units, holes shown
 * between extents and up to EOF (or the end of the range), the verbose table's column widths taken
 * from the first batch of 32 extents.
 */
final class FiemapCommand {
    private static final int EXTENT_BATCH = 32;
    /** {@code sizeof(lbuf)} and {@code sizeof(bbuf)} in io/fiemap.c's calc_print_format. */
    private static final int FORMAT_BUFFER = 32;

    private final IoSession s;
    private final PrintWriter out;
    private boolean verbose;
    private boolean lflag;
    private int maxExtents = -1;
    private int foffW = 16;
    private int boffW = 16;
    private int totW = 5;
    private int flgW = 5;

    private FiemapCommand(IoSession s) {
        this.s = s;
        this.out = s.out();
    }

    static void run(IoSession s, List<String> argv) {
        new FiemapCommand(s).fiemap(argv);
    }

    private void fiemap(List<String> argv) {
        Getopt.Parsed p = s.getopt(argv, "aln:v", "fiemap");
        if (p == null) {
            return;
        }
        int flags = Fiemap.FIEMAP_FLAG_SYNC;
        for (Getopt.Opt o : p.opts()) {
            switch (o.letter()) {
                case 'a' -> flags |= Fiemap.FIEMAP_FLAG_XATTR;
                case 'l' -> lflag = true;
                case 'n' -> {
                    CvtNum.ParsedLong v = CvtNum.strtoll(o.arg());
                    maxExtents = v == null ? 0 : (int) v.value();
                }
                default -> verbose = true;
            }
        }
        long lastLogical = 0;
        long rangeEnd = -1;
        List<String> ops = p.operands();
        if (!ops.isEmpty()) {
            long start = CvtNum.parse(ops.get(0));
            if (start < 0) {
                s.failOut("non-numeric offset argument -- " + ops.get(0));
                return;
            }
            lastLogical = start;
            if (ops.size() > 1) {
                long length = CvtNum.parse(ops.get(1));
                if (length < 0) {
                    s.failOut("non-numeric len argument -- " + ops.get(1));
                    return;
                }
                rangeEnd = start + length;
            }
        }
        String name = s.file().name();
        int fd = s.file().fd();
        out.println(name + ":");
        int cur = 0;
        boolean done = false;
        while (!done) {
            Fiemap m;
            try {
                m = s.sys().fiemap(fd, lastLogical, rangeEnd - lastLogical, flags, EXTENT_BATCH);
            } catch (ErrnoException e) {
                s.failErr(IoSession.PROGNAME + ": ioctl(FS_IOC_FIEMAP) [\"" + name + "\"]: " + e.errno().text());
                return;
            }
            if (m.mappedExtents() == 0) {
                break;
            }
            for (Fiemap.Extent e : m.extents()) {
                if (verbose && cur == 0) {
                    calcFormat(m.extents());
                }
                cur += verbose ? printVerbose(e, cur, lastLogical) : printPlain(e, cur, lastLogical);
                lastLogical = e.logical() + e.length();
                if (e.last() || Long.compareUnsigned(lastLogical, rangeEnd) >= 0 || cur == maxExtents) {
                    done = true;
                    break;
                }
            }
        }
        if (cur == maxExtents) {
            return;
        }
        long size;
        try {
            size = s.sys().fstat(fd).size();
        } catch (ErrnoException e) {
            s.failErr(IoSession.PROGNAME + ": fstat failed: " + e.errno().text());
            return;
        }
        long end = Long.compareUnsigned(rangeEnd, size) < 0 ? rangeEnd : size;
        if (cur != 0 && Long.compareUnsigned(lastLogical, end) < 0) {
            printHole(cur, !verbose, lastLogical >>> 9, end >>> 9);
        }
    }

    private void calcFormat(List<Fiemap.Extent> extents) {
        for (Fiemap.Extent e : extents) {
            long logical = e.logical() >>> 9;
            long len = e.length() >>> 9;
            long block = e.physical() >>> 9;
            // calc_print_format formats into char[32] buffers: a column is never wider than 31, even
            // when an offset near 2^63 makes the text longer (the rows then overflow the column).
            foffW = Math.max(foffW, Math.min(FORMAT_BUFFER - 1, ("[" + logical + ".." + (logical + len - 1) + "]").length()));
            boffW = Math.max(boffW, Math.min(FORMAT_BUFFER - 1, (block + ".." + (block + len - 1)).length()));
            totW = Math.max(totW, Long.toString(len).length());
            flgW = Math.max(flgW, Integer.toHexString(e.flags()).length());
            if (e.last()) {
                break;
            }
        }
    }

    private int printVerbose(Fiemap.Extent e, int cur, long lastLogical) {
        long llast = lastLogical >>> 9;
        long lstart = e.logical() >>> 9;
        long len = e.length() >>> 9;
        long block = e.physical() >>> 9;
        int printed = 0;
        if (cur == 0) {
            out.println(String.format("%4s: %-" + foffW + "s %-" + boffW + "s %" + totW + "s %" + flgW + "s",
                    "EXT", "FILE-OFFSET", "BLOCK-RANGE", "TOTAL", "FLAGS"));
        }
        if (lstart > llast) {
            printHole(cur, false, llast, lstart);
            cur++;
            printed++;
        }
        if (cur == maxExtents) {
            return printed;
        }
        out.println(String.format("%4d: %-" + foffW + "s %-" + boffW + "s %" + totW + "d %" + flgW + "s", cur,
                "[" + lstart + ".." + (lstart + len - 1) + "]:", block + ".." + (block + len - 1), len,
                "0x" + Integer.toHexString(e.flags())));
        return printed + 1;
    }

    private int printPlain(Fiemap.Extent e, int cur, long lastLogical) {
        long llast = lastLogical >>> 9;
        long lstart = e.logical() >>> 9;
        long len = e.length() >>> 9;
        long block = e.physical() >>> 9;
        int printed = 0;
        if (lstart > llast) {
            printHole(cur, true, llast, lstart);
            cur++;
            printed++;
        }
        if (cur == maxExtents) {
            return printed;
        }
        out.println("\t" + cur + ": [" + lstart + ".." + (lstart + len - 1) + "]: " + block + ".."
                + (block + len - 1) + (lflag ? " " + len + " blocks" : ""));
        return printed + 1;
    }

    private void printHole(int cur, boolean plain, long llast, long lstart) {
        if (plain) {
            out.println("\t" + cur + ": [" + llast + ".." + (lstart - 1) + "]: hole"
                    + (lflag ? " " + (lstart - llast) + " blocks" : ""));
        } else {
            out.println(String.format("%4d: %-" + foffW + "s %-" + boffW + "s %" + totW + "d", cur,
                    "[" + llast + ".." + (lstart - 1) + "]:", "hole", lstart - llast));
        }
    }
}
