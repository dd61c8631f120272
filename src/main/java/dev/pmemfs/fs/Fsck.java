package dev.pmemfs.fs;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.errno.ErrnoException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The offline checker (xfs_repair / e2fsck in spirit): superblock copies, journal state, every
 * metadata checksum, the inode table against the inode bitmap, extents against the block bitmap and
 * the rmap (no block owned twice), directory structure, parent pointers and link counts. With
 * {@code repair} it fixes what it safely can: a bad superblock copy, the journal (replayed), both
 * bitmaps and the rmap (rebuilt from the extents), block counts, link counts, dangling directory
 * entries, and unreferenced inodes with no links.
 */
public final class Fsck {
    private final DaxDevice dax;
    private final BlockDevice bdev;
    private final boolean repair;
    private final List<String> findings = new ArrayList<>();
    private int errors;
    private int corrected;
    private boolean uncorrectable;
    private MetaStore meta;
    private Geometry g;

    private Fsck(DaxDevice dax, BlockDevice bdev, boolean repair) {
        this.dax = dax;
        this.bdev = bdev;
        this.repair = repair;
    }

    /** Checks an unmounted device; with {@code repair}, fixes what it safely can. */
    public static FsckReport check(DaxDevice dax, BlockDevice bdev, boolean repair) {
        Fsck f = new Fsck(dax, bdev, repair);
        try {
            f.run();
        } catch (ErrnoException e) {
            // Only an error the device or the image answered means "cannot check" (exit 8); a runtime
            // exception is a bug in the checker and propagates as one, never dressed up as a verdict.
            f.findings.add("fsck stopped: " + e.getMessage());
            return new FsckReport(f.findings, f.errors, f.corrected, FsckReport.OPERATIONAL);
        }
        int code = f.errors == 0 ? FsckReport.CLEAN
                : f.uncorrectable || f.corrected < f.errors ? FsckReport.UNCORRECTED : FsckReport.CORRECTED;
        return new FsckReport(f.findings, f.errors, f.corrected, code);
    }

    /** Records an error; {@code fixable} errors count as corrected when repairs are applied. */
    private void error(String what, boolean fixable) {
        errors++;
        if (!fixable) {
            uncorrectable = true;
        }
        findings.add(what);
        fixableAt.add(fixable ? findings.size() - 1 : -1);
    }

    /** Marks every fixable finding fixed (repairs applied) or not. */
    private void settle(boolean applied) {
        for (int i : fixableAt) {
            if (i >= 0 && applied) {
                corrected++;
                findings.set(i, findings.get(i) + " (fixed)");
            }
        }
        if (repair && !applied) {
            for (int k = 0; k < findings.size(); k++) {
                if (fixableAt.contains(k) || !findings.get(k).startsWith("journal:")) {
                    findings.set(k, findings.get(k) + " (not fixed)");
                }
            }
        }
        fixableAt.clear();
    }

    private final List<Integer> fixableAt = new ArrayList<>();

    private void note(String what) {
        findings.add(what);
    }

    private void run() throws ErrnoException {
        java.util.Objects.requireNonNull(dax, "dax");
        java.util.Objects.requireNonNull(bdev, "bdev");
        Superblock sb = superblocks();
        g = sb.geometry();
        meta = new MetaStore(dax, bdev, sb);
        Journal j = new Journal(meta, g.journalStart(), g.journalLen(), sb.fsid(), sb.tailSeq(), sb.tailPos());
        Journal.Scan scan = j.scan(sb.tailSeq(), sb.tailPos());
        if (!scan.records().isEmpty()) {
            // Not corruption: the filesystem was not unmounted cleanly. Checking reads through the log
            // (as mount would replay it); repairing replays it, which changes the device.
            String what = "journal holds " + scan.records().size() + " committed transactions not yet written "
                    + "in place (the filesystem was not unmounted cleanly)";
            if (repair) {
                error(what + "; replayed", true);
            } else {
                note(what + "; checked as if replayed");
            }
            Map<Long, byte[]> overlay = new HashMap<>();
            for (Journal.Record r : scan.records()) {
                for (int i = 0; i < r.targets().size(); i++) {
                    overlay.put(r.targets().get(i), r.images().get(i));
                }
            }
            if (repair) {
                meta.replay();
            } else {
                meta.commitOverlay(overlay);
            }
            settle(repair);
        }
        if (scan.tornAt() >= 0) {
            note("journal: replay stops at block " + scan.tornAt() + " (" + scan.tornWhy()
                    + "); that transaction never committed and is ignored");
        }
        checkZeroPage();
        checkTree();
        if (repair && corrected > 0) {
            meta.checkpoint();
        }
    }

    /** The zero page must read as zeros: it is what read faults on holes map. */
    private void checkZeroPage() throws ErrnoException {
        String bad = null;
        try {
            if (!MetaBlock.allZero(DaxSeam.readBlock(dax, Geometry.ZERO_PAGE, "zero page"))) {
                bad = "zero page (block " + Geometry.ZERO_PAGE + ") is not all zeros";
            }
        } catch (ErrnoException e) {
            bad = "zero page (block " + Geometry.ZERO_PAGE + ") unreadable: " + e.getMessage();
        }
        if (bad != null) {
            error(bad, true);
            if (repair) {
                bdev.issueZeroout(Volume.sector(Geometry.ZERO_PAGE), 8);
                dax.fence();
            }
            settle(repair);
        }
    }

    private Superblock superblocks() throws ErrnoException {
        Superblock[] copies = new Superblock[2];
        String[] why = new String[2];
        for (int i = 0; i < 2; i++) {
            try {
                copies[i] = Superblock.decode(DaxSeam.readBlock(dax, i, "superblock"), i);
            } catch (ErrnoException e) {
                why[i] = e.getMessage();
            }
        }
        if (copies[0] == null && copies[1] == null) {
            throw new ErrnoException(dev.pmemfs.errno.Errno.EUCLEAN, "fsck", dax.name()
                    + " holds no valid pmemfs superblock: " + why[0]);
        }
        Superblock good = copies[0] != null ? copies[0] : copies[1];
        MetaStore m = new MetaStore(dax, bdev, good);
        for (int i = 0; i < 2; i++) {
            if (copies[i] == null) {
                error((i == 0 ? "primary" : "backup") + " superblock is unusable: " + why[i], true);
                if (repair) {
                    m.write(i, good.encode(i));
                    dax.fence();
                }
                settle(repair);
            } else if (copies[1 - i] != null && i == 1 && !copies[0].geometry().equals(copies[1].geometry())) {
                error("superblock copies disagree on the geometry", false);
            }
        }
        return good;
    }

    private void checkTree() throws ErrnoException {
        long total = g.totalBlocks();
        Bitmap used = null;
        Bitmap ibm = null;
        try {
            used = PmemFs.loadBitmap(meta, g.bbmStart(), g.bbmLen(), total, MetaBlock.MAGIC_BBITMAP, "block bitmap");
        } catch (ErrnoException e) {
            error("block bitmap unreadable: " + e.getMessage(), true);
        }
        try {
            ibm = PmemFs.loadBitmap(meta, g.ibmStart(), g.ibmLen(), g.inodeCount() + 1, MetaBlock.MAGIC_IBITMAP,
                    "inode bitmap");
        } catch (ErrnoException e) {
            error("inode bitmap unreadable: " + e.getMessage(), true);
        }
        Set<Long> orphans = new HashSet<>();
        try {
            orphans.addAll(OrphanList.read(meta));
        } catch (ErrnoException e) {
            error("orphan list unreadable: " + e.getMessage(), true);
        }
        InodeTable table = new InodeTable(meta, ibm != null ? ibm : new Bitmap(g.inodeCount() + 1));
        Bitmap claimed = new Bitmap(total);
        claimed.setRange(0, g.dataStart(), true);
        Map<Long, Inode> inodes = new HashMap<>();
        Bitmap found = new Bitmap(g.inodeCount() + 1);
        found.set(0, true);
        Rmap rmap = new Rmap(meta);
        // Pass 1: every inode-table block, every inode, its extents.
        for (long blk = g.itabStart(); blk < g.itabStart() + g.itabLen(); blk++) {
            byte[] img;
            try {
                img = meta.get(blk, MetaBlock.MAGIC_INODES, "inode table", true);
            } catch (ErrnoException e) {
                // A block whose inodes the (readable) inode bitmap shows all free holds nothing to lose:
                // it can be reset to the lazily-initialised empty state. Otherwise its inodes are gone.
                boolean holdsNone = ibm != null && noInodeInUse(ibm, blk);
                error("inode table block " + blk + ": " + e.getMessage()
                        + (holdsNone ? " (it holds no inode in use)" : ""), holdsNone);
                if (holdsNone) {
                    emptyInodeBlocks.add(blk);
                }
                continue;
            }
            if (img == null) {
                continue;
            }
            for (int slot = 0; slot < Geometry.INODES_PER_BLOCK; slot++) {
                long ino = (blk - g.itabStart()) * Geometry.INODES_PER_BLOCK + slot;
                if (ino == 0 || ino > g.inodeCount()) {
                    continue;
                }
                Inode in;
                try {
                    in = table.decode(img, g.itabSlotOffset(ino), ino);
                } catch (ErrnoException e) {
                    error("inode " + ino + ": " + e.getMessage(), false);
                    continue;
                }
                if (in == null) {
                    continue;
                }
                found.set(ino, true);
                inodes.put(ino, in);
                long counted = in.leaves.length + in.indexBlocks.length;
                for (long leaf : in.leaves) {
                    claim(claimed, rmap, leaf, 1, ino);
                    checkRmap(rmap, leaf, ino, Rmap.FLAG_EXTMAP);
                }
                for (long index : in.indexBlocks) {
                    claim(claimed, rmap, index, 1, ino);
                    checkRmap(rmap, index, ino, Rmap.FLAG_EXTMAP | Rmap.FLAG_INDEX);
                }
                for (Extent x : in.extents.all()) {
                    claim(claimed, rmap, x.devBlock(), x.count(), ino);
                    counted += x.count();
                    for (long i = 0; i < x.count(); i++) {
                        checkRmap(rmap, x.devBlock() + i, ino, x.fileBlock() + i);
                    }
                }
                if (counted != in.blocks) {
                    error("inode " + ino + " records " + in.blocks + " blocks but owns " + counted, true);
                    in.blocks = counted;
                    inodeFixes.add(in);
                }
            }
        }
        // Pass 2: directories — entries, parent pointers, link counts.
        Map<Long, Integer> links = new HashMap<>();
        Map<Long, Long> parentOf = new HashMap<>();
        Inode root = inodes.get(meta.superblock().rootIno());
        if (root == null || !root.isDir()) {
            error("root directory (inode " + meta.superblock().rootIno() + ") is missing", false);
        }
        List<Inode> dirs = new ArrayList<>();
        for (Inode in : inodes.values()) {
            if (in.isDir()) {
                dirs.add(in);
            }
        }
        for (Inode d : dirs) {
            Directory dir;
            try {
                dir = Directory.load(d, meta);
            } catch (ErrnoException e) {
                error("directory " + d.ino + ": " + e.getMessage(), false);
                continue;
            }
            d.dir = dir;
            links.merge(d.ino, 2, Integer::sum);
            for (DirEntry e : dir.list()) {
                Inode t = inodes.get(e.ino());
                if (t == null || t.type != e.type()) {
                    error("directory " + d.ino + " entry \"" + e.name() + "\" points to "
                            + (t == null ? "free inode " : "inode of another type ") + e.ino(), true);
                    danglingFixes.add(new Object[] {d, e.name()});
                    continue;
                }
                links.merge(e.ino(), e.type() == FileType.DIRECTORY ? 0 : 1, Integer::sum);
                if (e.type() == FileType.DIRECTORY) {
                    links.merge(d.ino, 1, Integer::sum);
                    if (parentOf.put(e.ino(), d.ino) != null) {
                        error("directory " + e.ino() + " has more than one name", false);
                    }
                } else {
                    parentOf.putIfAbsent(e.ino(), d.ino);
                }
                // A directory's parent pointer is its ".."; another inode's is a hint (hard links: path()
                // searches when the name it records is gone), so only directories are held to it.
                if (t.isDir() && t.parent != d.ino) {
                    error("inode " + e.ino() + " (\"" + e.name() + "\") names parent " + t.parent + " but lives in "
                            + d.ino, true);
                    t.parent = d.ino;
                    inodeFixes.add(t);
                }
            }
        }
        for (Inode in : inodes.values()) {
            int want = links.getOrDefault(in.ino, 0);
            if (in.ino == meta.superblock().rootIno()) {
                want = links.getOrDefault(in.ino, 2);
            } else if (in.isDir() && !parentOf.containsKey(in.ino)) {
                want = 0;
            }
            if (want == 0 && in.ino != meta.superblock().rootIno()) {
                if (orphans.contains(in.ino) && in.nlink == 0) {
                    continue; // unlinked while open, or being freed: mount finishes the job
                }
                error("inode " + in.ino + " is allocated but no directory names it (nlink " + in.nlink + ")",
                        in.nlink == 0);
                if (in.nlink == 0) {
                    freeFixes.add(in);
                }
                continue;
            }
            if (in.nlink != want) {
                error("inode " + in.ino + " has link count " + in.nlink + ", directories give " + want, true);
                in.nlink = want;
                inodeFixes.add(in);
            }
        }
        for (long o : orphans) {
            Inode in = inodes.get(o);
            if (in == null || in.nlink != 0) {
                error("orphan list names inode " + o + ", which is " + (in == null ? "free" : "still linked"), true);
                orphanFix = true;
            }
        }
        // Inode bitmap against the table.
        if (ibm != null) {
            for (long ino = 1; ino <= g.inodeCount(); ino++) {
                if (ibm.get(ino) != found.get(ino)) {
                    error("inode " + ino + " is " + (found.get(ino) ? "in use but marked free" : "marked in use but free")
                            + " in the inode bitmap", true);
                    ibmFix = true;
                }
            }
        } else {
            ibmFix = true;
        }
        // Block bitmap against the extents.
        if (used != null) {
            long b = 0;
            int reported = 0;
            while (b < total) {
                if (used.get(b) != claimed.get(b)) {
                    long e = b;
                    boolean u = used.get(b);
                    while (e < total && used.get(e) == u && claimed.get(e) != u) {
                        e++;
                    }
                    if (reported++ < 100) {
                        error("blocks " + b + "-" + (e - 1) + (u ? " are marked in use but nothing owns them (leaked)"
                                : " are owned but marked free"), true);
                    } else {
                        errors++;
                        if (repair) {
                            corrected++;
                        }
                    }
                    bbmFix = true;
                    b = e;
                } else {
                    b++;
                }
            }
        } else {
            bbmFix = true;
        }
        // Every rmap block must read, whether or not an owned block needs it yet: a garbage block left by
        // poison or by clear at unmount would otherwise fail the allocation that first touches it. The rmap
        // is derived from the extents, so an unreadable block is reset and rebuilt.
        for (long blk = g.rmapStart(); blk < g.rmapStart() + g.rmapLen(); blk++) {
            try {
                meta.get(blk, MetaBlock.MAGIC_RMAP, "rmap", true);
            } catch (ErrnoException e) {
                error("rmap block " + blk + ": " + e.getMessage() + " (reset and rebuilt from the extents)", true);
                resetRmapBlocks.add(blk);
                rmapBad++;
            }
        }
        // Rmap against the extents (checked entry by entry in pass 1).
        if (rmapBad > 0) {
            error("rmap: " + rmapBad + " owned blocks have a missing or wrong reverse-map entry", true);
        }
        // Rebuilding bitmaps and the rmap from what was readable would drop everything behind an
        // unreadable block: repair only a structure whose every piece could be read.
        boolean apply = repair && !uncorrectable;
        if (repair && uncorrectable) {
            note("repairs skipped: unreadable or inconsistent metadata must be dealt with first; nothing was written");
        }
        if (apply) {
            for (long blk : emptyInodeBlocks) {
                // Zeros are an empty inode-table block (lazy initialisation); the write through the block
                // path also clears any poison under it.
                bdev.issueZeroout(Volume.sector(blk), FileSystem.BLOCK_SIZE >> BlockDevice.SECTOR_SHIFT);
            }
            for (long blk : resetRmapBlocks) {
                bdev.issueZeroout(Volume.sector(blk), FileSystem.BLOCK_SIZE >> BlockDevice.SECTOR_SHIFT);
            }
            dax.fence();
            applyFixes(inodes, claimed, found, rmapBad > 0, table);
        }
        settle(apply);
    }

    private int rmapBad;

    /** Unreadable rmap blocks: reset to empty (then rebuilt) when repairing. */
    private final List<Long> resetRmapBlocks = new ArrayList<>();

    /** Unreadable inode-table blocks with no inode in use: reset to empty when repairing. */
    private final List<Long> emptyInodeBlocks = new ArrayList<>();

    private boolean noInodeInUse(Bitmap ibm, long itabBlock) {
        for (int slot = 0; slot < Geometry.INODES_PER_BLOCK; slot++) {
            long ino = (itabBlock - g.itabStart()) * Geometry.INODES_PER_BLOCK + slot;
            if (ino != 0 && ino <= g.inodeCount() && ibm.get(ino)) {
                return false;
            }
        }
        return true;
    }

    /** Compares one block's rmap entry with what its owner's extents say. */
    private void checkRmap(Rmap rmap, long block, long ino, long fileBlockAndFlags) {
        try {
            Rmap.Entry r = rmap.get(block);
            if (r.ino() != ino || r.fileBlockAndFlags() != fileBlockAndFlags) {
                rmapBad++;
            }
        } catch (ErrnoException e) {
            rmapBad++;
        }
    }

    private final List<Inode> inodeFixes = new ArrayList<>();
    private final List<Object[]> danglingFixes = new ArrayList<>();
    private final List<Inode> freeFixes = new ArrayList<>();
    private boolean ibmFix;
    private boolean bbmFix;
    private boolean orphanFix;

    /** Marks blocks owned by {@code ino}; a block claimed twice is named with the rmap's owner. */
    private void claim(Bitmap claimed, Rmap rmap, long start, long count, long ino) {
        for (long b = start; b < start + count; b++) {
            if (b < g.dataStart() || b >= g.totalBlocks()) {
                error("inode " + ino + " maps block " + b + " outside the data area", false);
                return;
            }
            if (claimed.get(b)) {
                String other;
                try {
                    other = "inode " + rmap.get(b).ino() + " (per the rmap)";
                } catch (ErrnoException e) {
                    other = "another inode";
                }
                error("block " + b + " is owned twice: by " + other + " and inode " + ino, false);
                continue;
            }
            claimed.set(b, true);
        }
    }

    /** Writes the repaired structures in place (offline: no other writer), fenced. */
    private void applyFixes(Map<Long, Inode> inodes, Bitmap claimed, Bitmap found, boolean rebuildRmap,
            InodeTable table) throws ErrnoException {
        Transaction tx = new Transaction(meta);
        Allocator alloc = new Allocator(claimed, g.dataStart());
        Rmap rmap = new Rmap(meta);
        for (Object[] d : danglingFixes) {
            Inode dir = (Inode) d[0];
            String name = (String) d[1];
            int bi = dir.dir.blockOf(name);
            dir.dir.remove(name);
            Extent x = dir.extents.find(bi);
            dir.dir.logBlock(tx, bi, x.devBlock() + (bi - x.fileBlock()));
        }
        for (Inode in : freeFixes) {
            for (Extent x : in.extents.all()) {
                claimed.setRange(x.devBlock(), x.devEnd(), false);
            }
            for (long b : in.listBlocks()) {
                claimed.set(b, false);
            }
            byte[] img = tx.edit(g.itabBlock(in.ino), MetaBlock.MAGIC_INODES, "inode table", true);
            java.util.Arrays.fill(img, g.itabSlotOffset(in.ino), g.itabSlotOffset(in.ino) + Geometry.INODE_SIZE,
                    (byte) 0);
            found.set(in.ino, false);
            inodeFixes.remove(in);
            ibmFix = true;
            bbmFix = true;
        }
        for (Inode in : inodeFixes) {
            table.log(tx, in, alloc, rmap);
        }
        if (rebuildRmap) {
            for (Inode in : inodes.values()) {
                if (freeFixes.contains(in)) {
                    continue;
                }
                for (Extent x : in.extents.all()) {
                    rmap.set(tx, x.devBlock(), x.count(), in.ino, x.fileBlock(), 0);
                }
                for (long leaf : in.leaves) {
                    rmap.set(tx, leaf, 1, in.ino, 0, Rmap.FLAG_EXTMAP);
                }
                for (long index : in.indexBlocks) {
                    rmap.set(tx, index, 1, in.ino, 0, Rmap.FLAG_EXTMAP | Rmap.FLAG_INDEX);
                }
            }
        }
        if (orphanFix) {
            List<Long> keep = new ArrayList<>();
            for (long o : OrphanList.read(meta)) {
                Inode in = inodes.get(o);
                if (in != null && in.nlink == 0 && !freeFixes.contains(in)) {
                    keep.add(o);
                }
            }
            tx.put(Geometry.ORPHAN_BLOCK, MetaBlock.MAGIC_ORPHAN, OrphanList.image(keep));
        }
        if (bbmFix) {
            for (long k = 0; k < g.bbmLen(); k++) {
                byte[] img = new byte[MetaBlock.SIZE];
                alloc.storeBlock(k, img);
                tx.put(g.bbmStart() + k, MetaBlock.MAGIC_BBITMAP, img);
            }
        }
        if (ibmFix) {
            for (long k = 0; k < g.ibmLen(); k++) {
                byte[] img = new byte[MetaBlock.SIZE];
                long from = k * Geometry.BITS_PER_BITMAP_BLOCK;
                found.store(from, Math.min(Geometry.BITS_PER_BITMAP_BLOCK, found.size() - from), img, MetaBlock.HEADER);
                tx.put(g.ibmStart() + k, MetaBlock.MAGIC_IBITMAP, img);
            }
        }
        for (Map.Entry<Long, byte[]> e : tx.sealed(meta.fsid()).entrySet()) {
            meta.write(e.getKey(), e.getValue());
        }
        dax.fence();
    }
}
