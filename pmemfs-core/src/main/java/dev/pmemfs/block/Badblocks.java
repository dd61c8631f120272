package dev.pmemfs.block;

import dev.pmemfs.media.BadRange;
import java.util.ArrayList;
import java.util.List;

/**
 * How a badblocks table is shown: Linux's entries hold at most {@link #BB_MAX_LEN} sectors, so a long
 * run is several entries, and the sysfs file lists them as {@code "start len"} lines. Mirrors
 * badblocks_show and the BB_MAX_LEN split of badblocks_set (block/badblocks.c; reference §2.3).
 */
public final class Badblocks {
    /** Sectors one entry of Linux's table holds. */
    public static final int BB_MAX_LEN = 512;

    private Badblocks() {}

    /** {@code badblocks_show}: "start len" lines of {@link #entries}. */
    public static String show(List<BadRange> ranges) {
        StringBuilder sb = new StringBuilder();
        for (BadRange r : entries(ranges)) {
            sb.append(r.startSector()).append(' ').append(r.nrSectors()).append('\n');
        }
        return sb.toString();
    }

    /**
     * The ranges as Linux's table would hold them: a run longer than BB_MAX_LEN sectors is several
     * entries. What the sysfs file and ndctl's JSON list.
     */
    public static List<BadRange> entries(List<BadRange> ranges) {
        List<BadRange> out = new ArrayList<>();
        for (BadRange r : ranges) {
            long s = r.startSector();
            long left = r.nrSectors();
            while (left > 0) {
                long n = Math.min(left, BB_MAX_LEN);
                out.add(new BadRange(s, n));
                s += n;
                left -= n;
            }
        }
        return out;
    }
}
