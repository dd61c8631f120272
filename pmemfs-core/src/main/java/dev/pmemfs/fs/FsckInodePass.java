package dev.pmemfs.fs;

import dev.pmemfs.errno.ErrnoException;
import java.util.ArrayList;
import java.util.List;

/**
 * Pass 1 of fsck (e2fsck's pass 1): every inode-table block and inode, each inode's extent list, the
 * blocks each owns (none owned twice, none outside the data area), block counts and reverse-map
 * entries. An unreadable inode-table block loses the inodes in it; an inode whose fields fail their
 * checks is lost; an unreadable extent-list block loses the mappings it held (the file keeps the
 * rest, and the report says which file blocks now read as a hole).
 */
final class FsckInodePass {
    private final FsckScan s;
    private final Geometry g;
    private final InodeTable table;
    private final Rmap rmap;

    private FsckInodePass(FsckScan s) {
        this.s = s;
        this.g = s.g;
        this.table = new InodeTable(s.meta, s.storedInodes != null ? s.storedInodes : new Bitmap(g.inodeCount() + 1));
        this.rmap = new Rmap(s.meta);
    }

    static void run(FsckScan s) throws ErrnoException {
        s.claimed = new Bitmap(s.g.totalBlocks());
        s.claimed.setRange(0, s.g.dataStart(), true);
        s.found = new Bitmap(s.g.inodeCount() + 1);
        s.found.set(0, true);
        new FsckInodePass(s).scan();
        // With replicas each of them has its copy half the data area further (unowned by any inode).
        long twin = s.g.twinDistance();
        if (twin > 0) {
            for (long b : s.metaBlocks) {
                if (s.g.metadataHome(b)) {
                    s.claimed.set(b + twin, true);
                }
            }
        }
    }

    private void scan() throws ErrnoException {
        for (long blk = g.itabStart(); blk < g.itabStart() + g.itabLen(); blk++) {
            byte[] img;
            try {
                img = s.meta.get(blk, MetaBlock.MAGIC_INODES, "inode table", true);
            } catch (ErrnoException e) {
                unreadableBlock(blk, e.getMessage());
                continue;
            }
            if (img == null) {
                neverWritten(blk);
                continue;
            }
            for (int slot = 0; slot < Geometry.INODES_PER_BLOCK; slot++) {
                long ino = firstIno(blk) + slot;
                if (ino != 0 && ino <= g.inodeCount()) {
                    inode(img, ino);
                }
            }
        }
    }

    private long firstIno(long itabBlock) {
        return (itabBlock - g.itabStart()) * Geometry.INODES_PER_BLOCK;
    }

    /** Inodes of block {@code blk} the stored inode bitmap has in use (all of them when it is unreadable). */
    private List<Long> inUse(long blk) {
        List<Long> out = new ArrayList<>();
        for (int slot = 0; slot < Geometry.INODES_PER_BLOCK; slot++) {
            long ino = firstIno(blk) + slot;
            if (ino != 0 && ino <= g.inodeCount() && (s.storedInodes == null || s.storedInodes.get(ino))) {
                out.add(ino);
            }
        }
        return out;
    }

    /**
     * An unreadable inode-table block: it is reset to the empty state (zeros, which also clears poison).
     * The inodes in it are lost; directories that name them lose those entries in pass 2.
     */
    private void unreadableBlock(long blk, String why) {
        List<Long> gone = s.storedInodes == null ? List.of() : inUse(blk);
        if (s.storedInodes != null && gone.isEmpty()) {
            s.error("inode table block " + blk + ": " + why + " (it holds no inode in use)",
                    new Repair.ZeroBlock(blk, "inode table"));
            return;
        }
        for (long ino : s.storedInodes == null ? inUseAny(blk) : gone) {
            s.lost.put(ino, "its inode-table block " + blk + " is unreadable");
            s.damaged.add(ino);
        }
        s.plan.add(new Repair.RebuildInodeBitmap());
        s.error("inode table block " + blk + ": " + why + "; "
                + (s.storedInodes == null ? "the inodes it held (" + firstIno(blk) + "-" + (firstIno(blk) + 14)
                        + ") are lost" : "inodes " + gone + " in it are lost")
                + "; the block is reset to empty", new Repair.ZeroBlock(blk, "inode table"));
    }

    private List<Long> inUseAny(long blk) {
        List<Long> out = new ArrayList<>();
        for (int slot = 0; slot < Geometry.INODES_PER_BLOCK; slot++) {
            long ino = firstIno(blk) + slot;
            if (ino != 0 && ino <= g.inodeCount()) {
                out.add(ino);
            }
        }
        return out;
    }

    /**
     * A block that reads as never written (all zeros, or sealed by an earlier mkfs) is empty by the
     * lazy-initialisation rule; if the inode bitmap has inodes of it in use, they were lost (a zeroed
     * block). The bitmap and the entries naming them are corrected in passes 2 and 3.
     */
    private void neverWritten(long blk) {
        if (s.storedInodes == null) {
            return;
        }
        List<Long> gone = inUse(blk);
        if (!gone.isEmpty()) {
            for (long ino : gone) {
                s.lost.put(ino, "its inode-table block " + blk + " reads as never written");
                s.damaged.add(ino);
            }
            s.error("inode table block " + blk + " reads as never written (zeros), but the inode bitmap has inodes "
                    + gone + " in it in use: they are lost", new Repair.RebuildInodeBitmap());
        }
    }

    private void inode(byte[] img, long ino) throws ErrnoException {
        List<ExtentListBlocks.LostBlock> lostList = new ArrayList<>();
        Inode in;
        try {
            in = table.decode(img, g.itabSlotOffset(ino), ino, lostList);
        } catch (FsCorruptedException e) {
            // The slot's own fields cannot be trusted: the inode is lost (its blocks become free).
            s.lost.put(ino, e.getMessage());
            s.damaged.add(ino);
            s.error("inode " + ino + ": " + e.getMessage() + "; the inode is cleared", new Repair.ClearInode(ino));
            return;
        }
        if (in == null) {
            return;
        }
        s.found.set(ino, true);
        s.inodes.put(ino, in);
        if (!lostList.isEmpty()) {
            List<String> what = new ArrayList<>();
            for (ExtentListBlocks.LostBlock l : lostList) {
                what.add(l.structure() + " block " + l.block() + " (" + l.why() + ") held file blocks "
                        + l.from() + (l.to() == Long.MAX_VALUE ? " to the end" : "-" + (l.to() - 1)));
            }
            s.lostMaps.put(ino, what);
            s.damaged.add(ino);
            s.plan.add(new Repair.RebuildExtentList(ino));
        }
        long counted = in.leaves.length + in.indexBlocks.length;
        for (long leaf : in.leaves) {
            claimOne(leaf, ino);
            checkRmap(leaf, ino, Rmap.FLAG_EXTMAP);
        }
        for (long index : in.indexBlocks) {
            claimOne(index, ino);
            checkRmap(index, ino, Rmap.FLAG_EXTMAP | Rmap.FLAG_INDEX);
        }
        List<Extent> taken = new ArrayList<>();
        for (Extent x : in.extents.all()) {
            long b = x.devBlock();
            while (b < x.devEnd()) {
                long e = b;
                while (e < x.devEnd() && !s.claimed.get(e)) {
                    e++;
                }
                s.claimed.setRange(b, e, true);
                if (in.hasMetadataBlocks()) {
                    for (long k = b; k < e; k++) {
                        s.metaBlocks.add(k);
                    }
                }
                if (e == x.devEnd()) {
                    break;
                }
                // Block e is already owned: this inode loses the run owned twice, the first owner keeps it.
                long t = e;
                while (t < x.devEnd() && s.claimed.get(t)) {
                    t++;
                }
                taken.add(new Extent(x.fileBlock() + (e - x.devBlock()), e, t - e, x.unwritten()));
                b = t;
            }
        }
        for (Extent x : taken) {
            String other;
            try {
                other = "inode " + rmap.get(x.devBlock()).ino() + " (per the rmap)";
            } catch (ErrnoException e) {
                other = "another inode";
            }
            s.error("blocks " + x.devBlock() + "-" + (x.devEnd() - 1) + " are owned twice: by " + other
                    + " and inode " + ino + " (file blocks " + x.fileBlock() + "-" + (x.end() - 1)
                    + "); inode " + ino + " loses them and reads a hole there", new Repair.RewriteInode(ino));
            in.extents.remove(x.fileBlock(), x.end());
            s.damaged.add(ino);
        }
        for (Extent x : in.extents.all()) {
            counted += x.count();
            for (long i = 0; i < x.count(); i++) {
                checkRmap(x.devBlock() + i, ino, x.fileBlock() + i);
            }
        }
        if (counted != in.blocks) {
            s.error("inode " + ino + " records " + in.blocks + " blocks but owns " + counted,
                    new Repair.RewriteInode(ino));
            in.blocks = counted;
        }
    }

    /** A single extent-list block; one owned already is a corrupt list (the decoder keeps lists apart). */
    private void claimOne(long block, long ino) {
        if (s.claimed.get(block)) {
            s.error("extent-list block " + block + " of inode " + ino + " is also owned by another inode; "
                    + "the list is rebuilt elsewhere", new Repair.RebuildExtentList(ino));
            s.damaged.add(ino);
            return;
        }
        s.claimed.set(block, true);
        s.metaBlocks.add(block);
        s.listBlocks.computeIfAbsent(ino, k -> new ArrayList<>()).add(block);
    }

    /** Compares one block's rmap entry with what its owner's extents say. */
    private void checkRmap(long block, long ino, long fileBlockAndFlags) {
        try {
            Rmap.Entry r = rmap.get(block);
            if (r.ino() != ino || r.fileBlockAndFlags() != fileBlockAndFlags) {
                s.rmapBad++;
            }
        } catch (ErrnoException e) {
            s.rmapBad++;
        }
    }
}
