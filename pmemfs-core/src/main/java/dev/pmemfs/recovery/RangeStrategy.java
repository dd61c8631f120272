package dev.pmemfs.recovery;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Fiemap;
import java.util.ArrayList;
import java.util.List;

/**
 * A strategy that repairs a file range by range. It records where the file's bytes lived before and
 * after, so the outcome says from observation — not from what the design promises — whether the
 * repair happened in place or moved the file to other blocks.
 */
abstract class RangeStrategy implements Strategy {
    private final String name;
    private final Privilege privilege;
    private final String summary;

    RangeStrategy(String name, Privilege privilege, String summary) {
        this.name = name;
        this.privilege = privilege;
        this.summary = summary;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Privilege privilege() {
        return privilege;
    }

    @Override
    public final String summary() {
        return summary;
    }

    /** Repairs one fs-block-aligned range of the open file. */
    abstract void repair(RecoveryTarget target, DamagedFile file, FileRange range) throws ErrnoException;

    /** Whether the repaired bytes hold whatever the firmware left rather than zeros. */
    boolean leavesUndefinedContent() {
        return false;
    }

    @Override
    public Outcome recover(RecoveryTarget target, List<FileRange> bad) throws ErrnoException {
        List<FileRange> lost = new ArrayList<>();
        long moved = 0;
        long total = 0;
        try (DamagedFile file = DamagedFile.openForWrite(target)) {
            for (FileRange r : bad) {
                FileRange inFile = r.clipTo(file.size);
                List<Fiemap.Extent> before = inFile == null ? List.of() : file.placement(inFile);
                repair(target, file, r);
                if (inFile == null) {
                    continue;
                }
                lost.add(inFile);
                total += inFile.length();
                moved += movedBytes(before, file.placement(inFile));
            }
        }
        return new Outcome(name, lost, leavesUndefinedContent(), note(moved, total));
    }

    private static String note(long moved, long total) {
        if (total == 0) {
            return "nothing inside the file's size needed repair";
        }
        if (moved == 0) {
            return "repaired in place: the file keeps its physical blocks";
        }
        return "remapped " + moved + " of " + total + " bytes to other device blocks (the file moved)";
    }

    /** Bytes of {@code before}'s written mappings that no longer sit at the same device offset. */
    private static long movedBytes(List<Fiemap.Extent> before, List<Fiemap.Extent> after) {
        long moved = 0;
        for (Fiemap.Extent b : before) {
            long kept = 0;
            for (Fiemap.Extent a : after) {
                if (a.physical() - a.logical() != b.physical() - b.logical()) {
                    continue;
                }
                long from = Math.max(a.logical(), b.logical());
                // Unsigned ends: the last block of the largest file ends at 2^63 (see Fiemap.Extent#end).
                long aEnd = a.logical() + a.length();
                long bEnd = b.logical() + b.length();
                long to = Long.compareUnsigned(aEnd, bEnd) < 0 ? aEnd : bEnd;
                kept += Long.compareUnsigned(to, from) > 0 ? to - from : 0;
            }
            moved += b.length() - kept;
        }
        return moved;
    }
}
