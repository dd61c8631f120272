package dev.pmemfs.fs;

import static dev.pmemfs.fs.MediaStruct.U32;
import static dev.pmemfs.fs.MediaStruct.U64;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The blocks that hold an extent list too long for the inode (XFS's bmap btree blocks, flattened to
 * two levels): leaf blocks of up to 169 extents, each a contiguous run of the sorted list, and index
 * blocks of up to 508 leaf pointers. Reads and validates them when an inode is loaded, and rewrites
 * only the leaves whose contents changed when it is logged.
 *
 * <pre>
 * leaf:  header (magic "PEXT") | owner u64 | count u32 (1..169) | reserved u32 | extents (24 bytes each)
 * index: header (magic "PEXI") | owner u64 | count u32 (1..508) | reserved u32 | u64 leaf block numbers
 * </pre>
 */
final class ExtentListBlocks {
    static final MediaStruct BLOCK = new MediaStruct(MediaStruct.bytes(MetaBlock.HEADER, "header"),
            U64.withName("owner"), U32.withName("count"), U32.withName("reserved"));
    private static final MediaStruct.Long64 OWNER = BLOCK.u64("owner");
    private static final MediaStruct.Int32 COUNT = BLOCK.u32("count");
    static final int FIRST = (int) BLOCK.size();
    static final int EXTENTS_PER_BLOCK = (MetaBlock.SIZE - FIRST) / InodeCodec.EXTENT_SIZE;
    static final int POINTERS_PER_INDEX = (MetaBlock.SIZE - FIRST) / 8;
    /** Entries a leaf is filled to when split, leaving room to grow in place. */
    static final int SPLIT_FILL = 128;

    private final MetaStore meta;
    private final InodeCodec codec;

    ExtentListBlocks(MetaStore meta, InodeCodec codec) {
        this.meta = meta;
        this.codec = codec;
    }

    /**
     * A block of an inode's extent list that could not be read (fsck's salvage), and the file blocks
     * {@code [from, to)} its extents must have covered: from the end of the last extent read before it to
     * the first one read after it ({@code Long.MAX_VALUE} when none follows).
     */
    record LostBlock(long block, String structure, String why, long from, long to) {}

    /**
     * Reads the list a format-1 or format-2 inode points to (validating owner, counts, block numbers and
     * order across leaves) into {@code in}: its extents, leaves, leaf starts and hashes, index blocks.
     */
    void load(InodeCodec.Slot slot) throws ErrnoException {
        load(slot, null);
    }

    /**
     * As {@link #load(InodeCodec.Slot)}; with {@code lost} non-null (fsck), a leaf or index block that
     * cannot be read or fails its checks is recorded there and skipped: the inode keeps the extents of
     * the blocks that could be read, and its leaves and index blocks are only those.
     */
    void load(InodeCodec.Slot slot, List<LostBlock> lost) throws ErrnoException {
        Inode in = slot.inode();
        long ino = in.ino;
        // The leaves in file order; a null stands for the leaves of an index block that was lost.
        List<Long> leaves = new ArrayList<>();
        List<Long> index = new ArrayList<>();
        List<LostBlock> lostIndex = new ArrayList<>();
        for (long ptr : slot.pointers()) {
            if (slot.format() == InodeCodec.FMT_LEAVES) {
                leaves.add(ptr);
                continue;
            }
            List<Long> these = new ArrayList<>();
            try {
                MemorySegment ib = MediaStruct.of(meta.get(ptr, MetaBlock.MAGIC_EXTINDEX, "extent index", false));
                long n = COUNT.getUnsigned(ib, 0);
                if (OWNER.get(ib, 0) != ino || n == 0 || n > POINTERS_PER_INDEX) {
                    throw new FsCorruptedException("iget", ptr, "extent index",
                            "owner " + OWNER.get(ib, 0) + " count " + n + ", expected inode " + ino + " and 1.."
                                    + POINTERS_PER_INDEX);
                }
                if (leaves.size() + n > (long) InodeCodec.MAX_EXTENTS) {
                    throw new FsCorruptedException("iget", ptr, "extent index", "inode " + ino + " has more leaves "
                            + "than extents it may have");
                }
                for (int i = 0; i < n; i++) {
                    these.add(codec.checkedBlock(ib.get(U64, FIRST + 8L * i), ino, "extent leaf"));
                }
            } catch (ErrnoException e) {
                if (lost == null) {
                    throw e;
                }
                leaves.add(null);
                lostIndex.add(new LostBlock(ptr, "extent index", e.getMessage(), 0, 0));
                continue;
            }
            index.add(ptr);
            leaves.addAll(these);
        }
        List<Extent> list = new ArrayList<>(slot.extentCount());
        List<Long> good = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        List<Long> hashes = new ArrayList<>();
        List<LostBlock> pending = new ArrayList<>();
        long prevEnd = 0;
        int lostIndexAt = 0;
        for (Long eb : leaves) {
            if (eb == null) {
                LostBlock li = lostIndex.get(lostIndexAt++);
                pending.add(new LostBlock(li.block(), li.structure(), li.why(), prevEnd, -1));
                continue;
            }
            List<Extent> leaf;
            try {
                leaf = readLeaf(eb, ino, slot.extentCount() - list.size());
            } catch (ErrnoException e) {
                if (lost == null) {
                    throw e;
                }
                pending.add(new LostBlock(eb, "extent list", e.getMessage(), prevEnd, -1));
                continue;
            }
            for (LostBlock p : pending) {
                lost.add(new LostBlock(p.block(), p.structure(), p.why(), p.from(), leaf.getFirst().fileBlock()));
            }
            pending.clear();
            good.add(eb);
            starts.add(good.size() == 1 ? 0 : leaf.getFirst().fileBlock());
            hashes.add(hash(leaf));
            list.addAll(leaf);
            prevEnd = leaf.getLast().end();
        }
        for (LostBlock p : pending) {
            lost.add(new LostBlock(p.block(), p.structure(), p.why(), p.from(), Long.MAX_VALUE));
        }
        in.indexBlocks = toArray(index);
        in.leaves = toArray(good);
        in.leafStart = toArray(starts);
        in.leafHash = toArray(hashes);
        if (list.size() != slot.extentCount() && (lost == null || lost.isEmpty())) {
            throw new FsCorruptedException("iget", meta.geometry().itabBlock(ino), "inode table",
                    "inode " + ino + " has " + list.size() + " extents in its blocks, expected " + slot.extentCount());
        }
        InodeCodec.checkOrder(list, ino, in.leaves.length > 0 ? in.leaves[0] : -1, "extent list");
        in.extents = new ExtentMap(list);
    }

    /** One leaf's extents, checked: owner, count (at most {@code room} more than read so far), each extent. */
    private List<Extent> readLeaf(long eb, long ino, long room) throws ErrnoException {
        MemorySegment e = MediaStruct.of(meta.get(eb, MetaBlock.MAGIC_EXTENTS, "extent list", false));
        long n = COUNT.getUnsigned(e, 0);
        if (OWNER.get(e, 0) != ino || n == 0 || n > EXTENTS_PER_BLOCK) {
            throw new FsCorruptedException("iget", eb, "extent list",
                    "owner " + OWNER.get(e, 0) + " count " + n + ", expected inode " + ino + " and 1.."
                            + EXTENTS_PER_BLOCK);
        }
        if (n > room) {
            throw new FsCorruptedException("iget", eb, "extent list", "inode " + ino + " leaves hold more than "
                    + "the extents its inode records");
        }
        List<Extent> leaf = new ArrayList<>((int) n);
        for (int i = 0; i < n; i++) {
            leaf.add(codec.decodeExtent(e, FIRST + (long) InodeCodec.EXTENT_SIZE * i, ino, eb, "extent list"));
        }
        return leaf;
    }

    private static long[] toArray(List<Long> l) {
        long[] a = new long[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }

    /** A content hash of one leaf's extents, to skip rewriting leaves that did not change. */
    static long hash(List<Extent> leaf) {
        long h = leaf.size();
        for (Extent x : leaf) {
            h = h * 0x9E3779B97F4A7C15L + x.fileBlock();
            h = h * 0x9E3779B97F4A7C15L + x.devBlock();
            h = h * 0x9E3779B97F4A7C15L + (x.count() << 1 | (x.unwritten() ? 1 : 0));
        }
        return h;
    }

    /**
     * Writes the list of {@code in} (more than 8 extents) into leaves, and into index blocks when there
     * are more than 24 leaves; returns the fork format and the pointers the inode keeps.
     */
    long[] log(Transaction tx, Inode in, List<Extent> ex, Allocator alloc, Rmap rmap) throws ErrnoException {
        logLeaves(tx, in, ex, alloc, rmap);
        if (in.leaves.length <= InodeCodec.INODE_POINTERS) {
            freeIndexBlocks(in, alloc, 0);
            return in.leaves;
        }
        logIndex(tx, in, alloc, rmap);
        return in.indexBlocks;
    }

    private long allocMeta(Transaction tx, Inode in, Allocator alloc, Rmap rmap, long goal, long flags)
            throws ErrnoException {
        long[] run = alloc.allocateMeta(goal, 1);
        if (run == null) {
            throw new ErrnoException(Errno.ENOSPC, "bmap", "no space for the extent list of inode " + in.ino);
        }
        tx.mutated();
        rmap.set(tx, run[0], 1, in.ino, 0, flags);
        in.blocks++;
        return run[0];
    }

    private void freeMeta(long block, Inode in, Allocator alloc) {
        alloc.free(block, 1, true);
        meta.forget(block);
        in.blocks--;
    }

    /** Frees every leaf and index block (the list went inline, or the inode is being freed). */
    void freeAll(Inode in, Allocator alloc) {
        for (long b : in.leaves) {
            freeMeta(b, in, alloc);
        }
        freeIndexBlocks(in, alloc, 0);
        in.leaves = new long[0];
        in.leafStart = new long[0];
        in.leafHash = new long[0];
    }

    private void freeIndexBlocks(Inode in, Allocator alloc, int keep) {
        for (int k = keep; k < in.indexBlocks.length; k++) {
            freeMeta(in.indexBlocks[k], in, alloc);
        }
        in.indexBlocks = Arrays.copyOf(in.indexBlocks, Math.min(keep, in.indexBlocks.length));
    }

    private void logLeaves(Transaction tx, Inode in, List<Extent> ex, Allocator alloc, Rmap rmap)
            throws ErrnoException {
        List<Long> leaves = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        List<Long> hashes = new ArrayList<>();
        for (int k = 0; k < in.leaves.length; k++) {
            leaves.add(in.leaves[k]);
            starts.add(k == 0 ? Long.MIN_VALUE : in.leafStart[k]);
            hashes.add(in.leafHash[k]);
        }
        long goal = ex.get(0).devBlock();
        boolean firstIsNew = leaves.isEmpty();
        if (firstIsNew) {
            leaves.add(allocMeta(tx, in, alloc, rmap, goal, Rmap.FLAG_EXTMAP));
            starts.add(Long.MIN_VALUE);
            hashes.add(0L);
        }
        // Group the extents by the leaves' file ranges.
        List<List<Extent>> groups = new ArrayList<>();
        int li = 0;
        groups.add(new ArrayList<>());
        for (Extent x : ex) {
            while (li + 1 < leaves.size() && x.fileBlock() >= starts.get(li + 1)) {
                li++;
                groups.add(new ArrayList<>());
            }
            groups.get(li).add(x);
        }
        while (groups.size() < leaves.size()) {
            groups.add(new ArrayList<>());
        }
        // Rebuild the leaf list: drop empty leaves, split full ones, merge a changed leaf with the next.
        List<Long> outLeaves = new ArrayList<>();
        List<List<Extent>> outGroups = new ArrayList<>();
        List<Boolean> outDirty = new ArrayList<>();
        int mergedInto = -1;
        for (int k = 0; k < leaves.size(); k++) {
            List<Extent> grp = groups.get(k);
            long leaf = leaves.get(k);
            if (grp.isEmpty()) {
                freeMeta(leaf, in, alloc);
                continue;
            }
            boolean changed = k == mergedInto || (k == 0 && firstIsNew) || hash(grp) != hashes.get(k);
            if (changed && k + 1 < leaves.size() && grp.size() + groups.get(k + 1).size() <= SPLIT_FILL) {
                List<Extent> merged = new ArrayList<>(grp);
                merged.addAll(groups.get(k + 1));
                groups.set(k + 1, merged);
                mergedInto = k + 1; // the survivor must be rewritten
                freeMeta(leaf, in, alloc);
                continue;
            }
            if (grp.size() <= EXTENTS_PER_BLOCK) {
                outLeaves.add(leaf);
                outGroups.add(grp);
                outDirty.add(changed);
                continue;
            }
            for (int from = 0; from < grp.size(); from += SPLIT_FILL) {
                List<Extent> part = grp.subList(from, Math.min(grp.size(), from + SPLIT_FILL));
                outLeaves.add(from == 0 ? leaf : allocMeta(tx, in, alloc, rmap, leaf, Rmap.FLAG_EXTMAP));
                outGroups.add(part);
                outDirty.add(true);
            }
        }
        if (outLeaves.size() > InodeCodec.INODE_POINTERS * POINTERS_PER_INDEX) {
            throw new ErrnoException(Errno.ENOSPC, "bmap", "extent index of inode " + in.ino + " is full");
        }
        int n = outLeaves.size();
        in.leaves = new long[n];
        in.leafStart = new long[n];
        in.leafHash = new long[n];
        for (int k = 0; k < n; k++) {
            List<Extent> grp = outGroups.get(k);
            in.leaves[k] = outLeaves.get(k);
            in.leafStart[k] = k == 0 ? 0 : grp.get(0).fileBlock();
            in.leafHash[k] = hash(grp);
            if (outDirty.get(k)) {
                byte[] img = new byte[MetaBlock.SIZE];
                MemorySegment b = MediaStruct.of(img);
                OWNER.set(b, 0, in.ino);
                COUNT.set(b, 0, grp.size());
                for (int i = 0; i < grp.size(); i++) {
                    InodeCodec.encodeExtent(b, FIRST + (long) InodeCodec.EXTENT_SIZE * i, grp.get(i));
                }
                tx.put(in.leaves[k], MetaBlock.MAGIC_EXTENTS, img);
            }
        }
    }

    /** Packs the leaf pointers into index blocks; only index blocks whose contents changed are logged. */
    private void logIndex(Transaction tx, Inode in, Allocator alloc, Rmap rmap) throws ErrnoException {
        int need = (in.leaves.length + POINTERS_PER_INDEX - 1) / POINTERS_PER_INDEX;
        freeIndexBlocks(in, alloc, need);
        int existing = in.indexBlocks.length;
        long[] idx = Arrays.copyOf(in.indexBlocks, need);
        for (int k = existing; k < need; k++) {
            idx[k] = allocMeta(tx, in, alloc, rmap, in.leaves[0], Rmap.FLAG_EXTMAP | Rmap.FLAG_INDEX);
        }
        in.indexBlocks = idx;
        for (int k = 0; k < need; k++) {
            byte[] img = new byte[MetaBlock.SIZE];
            MemorySegment b = MediaStruct.of(img);
            int from = k * POINTERS_PER_INDEX;
            int n = Math.min(POINTERS_PER_INDEX, in.leaves.length - from);
            OWNER.set(b, 0, in.ino);
            COUNT.set(b, 0, n);
            for (int i = 0; i < n; i++) {
                b.set(U64, FIRST + 8L * i, in.leaves[from + i]);
            }
            byte[] old = k < existing ? meta.get(idx[k], MetaBlock.MAGIC_EXTINDEX, "extent index", false) : null;
            if (old == null || !Arrays.equals(old, MetaBlock.HEADER, MetaBlock.SIZE, img, MetaBlock.HEADER,
                    MetaBlock.SIZE)) {
                tx.put(idx[k], MetaBlock.MAGIC_EXTINDEX, img);
            }
        }
    }
}
