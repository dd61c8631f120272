package dev.pmemfs.fs;

import dev.pmemfs.errno.ErrnoException;
import java.util.List;

/**
 * Pass 5 of fsck (e2fsck's group summaries): the block and inode bitmaps against what pass 1 found,
 * every reverse-map block and entry, and the orphan list. All four are derived structures: whatever
 * is wrong with them is rebuilt from the inodes.
 */
final class FsckSpacePass {
    /** Bitmap ranges reported one by one; the rest are counted in one summary line. */
    private static final int REPORTED_RANGES = 100;

    private FsckSpacePass() {}

    /** Reads the bitmaps and the orphan list (before pass 1, which needs the inode bitmap). */
    static void load(FsckScan s) {
        Geometry g = s.g;
        try {
            s.storedBlocks = PmemFs.loadBitmap(s.meta, g.bbmStart(), g.bbmLen(), g.totalBlocks(),
                    MetaBlock.MAGIC_BBITMAP, "block bitmap");
        } catch (ErrnoException e) {
            s.error("block bitmap unreadable: " + e.getMessage() + "; rebuilt from the extents",
                    new Repair.RebuildBlockBitmap());
        }
        try {
            s.storedInodes = PmemFs.loadBitmap(s.meta, g.ibmStart(), g.ibmLen(), g.inodeCount() + 1,
                    MetaBlock.MAGIC_IBITMAP, "inode bitmap");
        } catch (ErrnoException e) {
            s.error("inode bitmap unreadable: " + e.getMessage() + "; rebuilt from the inode table",
                    new Repair.RebuildInodeBitmap());
        }
        try {
            s.orphans = OrphanList.read(s.meta);
        } catch (ErrnoException e) {
            s.error("orphan list unreadable: " + e.getMessage() + "; rebuilt from the link counts",
                    new Repair.RebuildOrphanList());
        }
    }

    static void run(FsckScan s) {
        inodeBitmap(s);
        blockBitmap(s);
        rmap(s);
        orphans(s);
    }

    private static void inodeBitmap(FsckScan s) {
        if (s.storedInodes == null) {
            return;
        }
        for (long ino = 1; ino <= s.g.inodeCount(); ino++) {
            // A lost inode was reported with its block; the bitmap is rebuilt without it.
            if (s.storedInodes.get(ino) != s.found.get(ino) && !s.lost.containsKey(ino)) {
                s.error("inode " + ino + " is " + (s.found.get(ino) ? "in use but marked free" : "marked in use but free")
                        + " in the inode bitmap", new Repair.RebuildInodeBitmap());
            }
        }
    }

    private static void blockBitmap(FsckScan s) {
        if (s.storedBlocks == null) {
            return;
        }
        long total = s.g.totalBlocks();
        long b = 0;
        int reported = 0;
        while (b < total) {
            if (s.storedBlocks.get(b) == s.claimed.get(b)) {
                b++;
                continue;
            }
            long e = b;
            boolean u = s.storedBlocks.get(b);
            while (e < total && s.storedBlocks.get(e) == u && s.claimed.get(e) != u) {
                e++;
            }
            if (reported++ < REPORTED_RANGES) {
                s.error("blocks " + b + "-" + (e - 1) + (u ? " are marked in use but nothing owns them (leaked)"
                        : " are owned but marked free"), new Repair.RebuildBlockBitmap());
            } else {
                s.findings.silentError(true);
            }
            b = e;
        }
        if (reported > REPORTED_RANGES) {
            s.note((reported - REPORTED_RANGES) + " more block bitmap ranges disagree (counted, not listed)");
        }
    }

    /**
     * Every rmap block must read, whether or not an owned block needs it yet: a garbage block left by
     * poison or by clear at unmount would otherwise fail the allocation that first touches it. The rmap
     * is derived from the extents, so an unreadable block is reset and rebuilt.
     */
    private static void rmap(FsckScan s) {
        Geometry g = s.g;
        for (long blk = g.rmapStart(); blk < g.rmapStart() + g.rmapLen(); blk++) {
            try {
                s.meta.get(blk, MetaBlock.MAGIC_RMAP, "rmap", true);
            } catch (ErrnoException e) {
                s.error("rmap block " + blk + ": " + e.getMessage() + " (reset and rebuilt from the extents)",
                        new Repair.ZeroBlock(blk, "rmap"));
                s.plan.add(new Repair.RebuildRmap());
            }
        }
        if (s.rmapBad > 0) {
            s.error("rmap: " + s.rmapBad + " owned blocks have a missing or wrong reverse-map entry",
                    new Repair.RebuildRmap());
        }
    }

    private static void orphans(FsckScan s) {
        if (s.orphans == null) {
            return;
        }
        for (long o : s.orphans) {
            Inode in = s.inodes.get(o);
            if (in == null || in.nlink != 0) {
                s.error("orphan list names inode " + o + ", which is " + (in == null ? "free" : "still linked"),
                        new Repair.RebuildOrphanList());
            }
        }
    }

    /** The orphan list fsck writes: every inode kept with no links (mount frees them). */
    static List<Long> rebuiltOrphans(FsckScan s) {
        return s.inodes.values().stream().filter(in -> in.nlink == 0).map(in -> in.ino).toList();
    }
}
