package dev.pmemfs.fs;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Applies a fsck repair plan, offline (no other writer), in a fixed order: blocks reset through the
 * block path first (which clears poison), then inodes freed, cleared and re-listed, a new root, the
 * directory blocks and entries, {@code /lost+found} and the inodes reconnected into it, the inodes
 * rewritten (an entry dropped is gone from the in-core directory pass 2 built, and its block is
 * rewritten), and last the structures derived from all that (reverse map, orphan list, both bitmaps),
 * all written in place and fenced; the superblock copies at the very end.
 */
final class FsckRepairer {
    static final String LOST_FOUND = "lost+found";

    private final FsckScan s;
    private final Geometry g;
    private final Transaction tx;

    private FsckRepairer(FsckScan s) {
        this.s = s;
        this.g = s.g;
        this.tx = new Transaction(s.meta);
    }

    static void apply(FsckScan s) throws ErrnoException {
        new FsckRepairer(s).apply();
    }

    private <T extends Repair> List<T> all(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Repair r : s.plan) {
            if (type.isInstance(r)) {
                out.add(type.cast(r));
            }
        }
        return out;
    }

    private void apply() throws ErrnoException {
        for (Repair.CopyReplica c : all(Repair.CopyReplica.class)) {
            s.meta.writeOne(c.to(), DaxSeam.readBlock(s.dax, c.from(), "metadata"));
        }
        for (Repair.ZeroBlock z : all(Repair.ZeroBlock.class)) {
            s.bdev.issueZeroout(Volume.sector(z.block()), FileSystem.BLOCK_SIZE >> BlockDevice.SECTOR_SHIFT);
            long copy = g.replicaOf(z.block());
            if (copy >= 0) {
                s.bdev.issueZeroout(Volume.sector(copy), FileSystem.BLOCK_SIZE >> BlockDevice.SECTOR_SHIFT);
            }
        }
        s.dax.fence();
        for (Repair.ClearInode c : all(Repair.ClearInode.class)) {
            clearSlot(c.ino());
            s.found.set(c.ino(), false);
        }
        for (Repair.FreeInode f : all(Repair.FreeInode.class)) {
            Inode in = s.inodes.remove(f.ino());
            for (Extent x : in.extents.all()) {
                s.claimed.setRange(x.devBlock(), x.devEnd(), false);
                if (in.hasMetadataBlocks()) {
                    unclaimCopies(x.devBlock(), x.devEnd());
                }
            }
            unclaimList(in);
            clearSlot(in.ino);
            s.found.set(in.ino, false);
        }
        for (Repair.RebuildExtentList r : all(Repair.RebuildExtentList.class)) {
            // The list is written afresh from the extents that could be read; its old blocks are freed.
            Inode in = s.inodes.get(r.ino());
            if (in == null) {
                continue;
            }
            unclaimList(in);
            in.leaves = new long[0];
            in.leafStart = new long[0];
            in.leafHash = new long[0];
            in.indexBlocks = new long[0];
            in.blocks = in.extents.mappedBlocks();
            tx.dirty(in);
        }
        Allocator alloc = new Allocator(s.claimed, g.dataStart(), g.twinDistance());
        InodeTable table = new InodeTable(s.meta, s.found);
        // fsck keeps its own time (the wall clock), as e2fsck stamps what it changes.
        Volume vol = new Volume(s.dax, s.bdev, s.sb.defaults(), s.meta, alloc, table, java.time.InstantSource.system());
        Namei namei = new Namei(vol, new Inactivation(vol));
        long now = vol.now();
        if (!all(Repair.RecreateRoot.class).isEmpty()) {
            recreateRoot(now);
        }
        for (Repair.RewriteDirBlock r : all(Repair.RewriteDirBlock.class)) {
            rewriteDirBlock(vol, s.inodes.get(r.dirIno()), r.fileBlock());
        }
        if (!s.unnamed.isEmpty()) {
            reconnect(namei, table, now);
        }
        for (Repair r : s.plan) {
            if (r instanceof Repair.RewriteInode(long ino) && s.inodes.containsKey(ino)) {
                tx.dirty(s.inodes.get(ino));
            }
        }
        for (Inode in : new ArrayList<>(tx.inodes())) {
            table.log(tx, in, alloc, vol.rmap);
        }
        if (s.plan.contains(new Repair.RebuildRmap())) {
            for (Inode in : s.inodes.values()) {
                for (Extent x : in.extents.all()) {
                    vol.rmap.set(tx, x.devBlock(), x.count(), in.ino, x.fileBlock(), 0);
                }
                for (long leaf : in.leaves) {
                    vol.rmap.set(tx, leaf, 1, in.ino, 0, Rmap.FLAG_EXTMAP);
                }
                for (long index : in.indexBlocks) {
                    vol.rmap.set(tx, index, 1, in.ino, 0, Rmap.FLAG_EXTMAP | Rmap.FLAG_INDEX);
                }
            }
        }
        tx.put(Geometry.ORPHAN_BLOCK, MetaBlock.MAGIC_ORPHAN, OrphanList.image(FsckSpacePass.rebuiltOrphans(s)));
        for (long k = 0; k < g.bbmLen(); k++) {
            byte[] img = new byte[MetaBlock.SIZE];
            alloc.storeBlock(k, img);
            tx.put(g.bbmStart() + k, MetaBlock.MAGIC_BBITMAP, img);
        }
        for (long k = 0; k < g.ibmLen(); k++) {
            byte[] img = new byte[MetaBlock.SIZE];
            long from = k * Geometry.BITS_PER_BITMAP_BLOCK;
            s.found.store(from, Math.min(Geometry.BITS_PER_BITMAP_BLOCK, s.found.size() - from), img, MetaBlock.HEADER);
            tx.put(g.ibmStart() + k, MetaBlock.MAGIC_IBITMAP, img);
        }
        for (Map.Entry<Long, byte[]> e : tx.sealed(s.meta.fsid()).entrySet()) {
            s.meta.write(e.getKey(), e.getValue());
        }
        s.dax.fence();
        for (Repair.RewriteSuperblock r : all(Repair.RewriteSuperblock.class)) {
            s.meta.write(r.copy(), s.sb.encode(r.copy()));
            s.dax.fence();
        }
        if (s.sb.dataParity() > 0) {
            // Every repair above wrote around parity (fsck works on the bare device): recompute it all
            // last, whether or not the plan names it.
            Parity.format(s.dax, s.bdev, ParityLayout.of(g, s.sb.dataParity()));
        }
    }

    private void unclaimList(Inode in) {
        for (long b : s.listBlocks.getOrDefault(in.ino, List.of())) {
            s.claimed.set(b, false);
            unclaimCopies(b, b + 1);
        }
    }

    /** The copies of metadata blocks [from, to) are freed with them (meta_replicas=2). */
    private void unclaimCopies(long from, long to) {
        for (long b = from; b < to; b++) {
            if (g.twinDistance() > 0 && g.metadataHome(b)) {
                s.claimed.set(b + g.twinDistance(), false);
            }
        }
    }

    /** Zeroes an inode's slot in its inode-table block (the block may have been reset to empty). */
    private void clearSlot(long ino) throws ErrnoException {
        byte[] img = tx.edit(g.itabBlock(ino), MetaBlock.MAGIC_INODES, "inode table", true);
        Arrays.fill(img, g.itabSlotOffset(ino), g.itabSlotOffset(ino) + Geometry.INODE_SIZE, (byte) 0);
    }

    /** e2fsck's "Root inode not allocated. Allocate?": a new empty root, mode 0755. */
    private void recreateRoot(long now) {
        Inode root = new Inode(s.rootIno());
        root.type = FileType.DIRECTORY;
        root.mode = PmemFs.ROOT_MODE;
        root.nlink = 2;
        root.parent = root.ino;
        root.atimeNs = root.mtimeNs = root.ctimeNs = now;
        root.dir = new Directory(root);
        s.inodes.put(root.ino, root);
        s.found.set(root.ino, true);
        tx.dirty(root);
    }

    /** Rewrites directory block {@code i} from the entries kept; an unmapped block gets a new one. */
    private void rewriteDirBlock(Volume vol, Inode d, long i) throws ErrnoException {
        long dev = Directory.devBlock(d, i);
        if (dev < 0) {
            long[] run = vol.allocateMeta(tx, g.dataStart(), 1);
            if (run == null) {
                throw new ErrnoException(Errno.ENOSPC, "fsck", "no free block to rebuild "
                        + "directory inode " + d.ino + " block " + i);
            }
            d.extents.remove(i, i + 1);
            d.extents.insert(new Extent(i, run[0], 1, false));
            vol.rmap.set(tx, run[0], 1, d.ino, i, 0);
            d.blocks++;
            dev = run[0];
        }
        d.dir.logBlock(tx, (int) i, dev);
        tx.dirty(d);
    }

    /**
     * e2fsck's pass 3/4 answer: /lost+found (made in the root when missing, mode 0700) gets an entry
     * "#ino" for each inode that has links but no name; a directory reconnected there names it as parent.
     */
    private void reconnect(Namei namei, InodeTable table, long now) throws ErrnoException {
        Inode root = s.inodes.get(s.rootIno());
        DirEntry existing = root.dir.lookup(LOST_FOUND);
        Inode lf = existing != null && existing.type() == FileType.DIRECTORY ? s.inodes.get(existing.ino()) : null;
        if (lf == null) {
            String name = LOST_FOUND;
            if (existing != null) {
                name = LOST_FOUND + ".fsck";
            }
            lf = table.allocate(tx, FileType.DIRECTORY, 0700, 0, 0, root.ino, now);
            s.inodes.put(lf.ino, lf);
            namei.addEntry(tx, root, new DirEntry(name, lf.ino, FileType.DIRECTORY));
            root.nlink++;
            root.mtimeNs = root.ctimeNs = now;
        }
        for (long ino : s.unnamed) {
            Inode in = s.inodes.get(ino);
            String name = "#" + ino;
            for (int k = 1; lf.dir.lookup(name) != null; k++) {
                name = "#" + ino + "." + k;
            }
            namei.addEntry(tx, lf, new DirEntry(name, ino, in.type));
            in.parent = lf.ino;
            if (in.isDir()) {
                lf.nlink++;
                in.nlink = s.links.getOrDefault(ino, 2);
            } else {
                in.nlink = 1;
            }
            tx.dirty(in);
        }
        lf.mtimeNs = lf.ctimeNs = now;
        tx.dirty(lf);
    }
}
