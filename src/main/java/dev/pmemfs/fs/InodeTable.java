package dev.pmemfs.fs;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The inode table and inode bitmap: fixed 272-byte inodes, 15 per block, loaded on demand and cached
 * (never all at mount). Encodes inodes and their extent lists.
 *
 * <pre>
 * inode (272 bytes, slot j of an inode-table block at 16 + 272 j; inode number = block index * 15 + j):
 *  0 4 mode (S_IFMT | permission bits; 0 = free)   4 4 uid   8 4 gid   12 4 nlink
 *  16 8 size   24 8 blocks owned (data + extent-list blocks)   32 4 flags (FS_*_FL)   36 4 generation
 *  40 8 atime ns   48 8 mtime ns   56 8 ctime ns   64 8 parent inode (for path())
 *  72 2 extent format (0 inline, 1 leaf pointers, 2 index pointers)  74 2 pointers  76 4 extent count
 *  80 192 inline: up to 8 extents of 24 bytes; or up to 24 leaf / index block numbers (u64)
 * extent (24 bytes): u64 file block, u64 device block, u32 count, u32 flags (bit 0 unwritten)
 * leaf block: header (magic "PEXT") + 16 u64 owner inode, 24 u32 count (1..169), 28 u32 0, 32.. extents
 * index block: header (magic "PEXI") + 16 u64 owner inode, 24 u32 count (1..508), 28 u32 0, 32.. u64 leaves
 * </pre>
 * An inode-table block never written by this filesystem reads as 15 free inodes (lazy init).
 */
final class InodeTable {
    static final int INLINE_EXTENTS = 8;
    static final int EXTENTS_PER_BLOCK = (MetaBlock.SIZE - 32) / 24;
    /** Pointers the inode holds (to leaves in format 1, to index blocks in format 2). */
    static final int INODE_POINTERS = 24;
    static final int POINTERS_PER_INDEX = (MetaBlock.SIZE - 32) / 8;
    /** Entries a leaf is filled to when split, leaving room to grow in place. */
    static final int SPLIT_FILL = 128;
    /** Extents a file may have; leaves stay at least half full in practice, so the index never fills. */
    static final int MAX_EXTENTS = 500_000;
    private static final int CACHE_TARGET = 65536;

    private final MetaStore meta;
    private final Geometry g;
    private final Bitmap ibm;
    private final TreeSet<Long> dirtyIbm = new TreeSet<>();
    private final ConcurrentHashMap<Long, Inode> cache = new ConcurrentHashMap<>();
    private long free;
    private long rotor = 1;

    InodeTable(MetaStore meta, Bitmap ibm) {
        this.meta = meta;
        this.g = meta.geometry();
        this.ibm = ibm;
        this.free = g.inodeCount() + 1 - ibm.cardinality();
    }

    long freeInodes() {
        return free;
    }

    boolean allocated(long ino) {
        return ino > 0 && ino <= g.inodeCount() && ibm.get(ino);
    }

    Bitmap bitmap() {
        return ibm;
    }

    /** A cached inode without loading it (for paths that hold an open reference). */
    Inode cached(long ino) {
        return cache.get(ino);
    }

    /** The in-core inode, loaded on first use; ENOENT when the number is not an allocated inode. */
    Inode get(long ino) throws ErrnoException {
        Inode in = cache.get(ino);
        if (in != null) {
            return in;
        }
        if (!allocated(ino)) {
            throw new ErrnoException(Errno.ENOENT, "iget", "inode " + ino + " is not allocated");
        }
        in = load(ino);
        Inode raced = cache.putIfAbsent(ino, in);
        return raced != null ? raced : in;
    }

    private Inode load(long ino) throws ErrnoException {
        long blk = g.itabBlock(ino);
        byte[] img = meta.get(blk, MetaBlock.MAGIC_INODES, "inode table", true);
        if (img == null) {
            throw new FsCorruptedException("iget", blk, "inode table",
                    "inode " + ino + " is marked allocated but its block was never written");
        }
        Inode in = decode(img, g.itabSlotOffset(ino), ino);
        if (in == null) {
            throw new FsCorruptedException("iget", blk, "inode table", "inode " + ino
                    + " is marked allocated in the inode bitmap but is free");
        }
        return in;
    }

    /** Decodes slot {@code off}; null for a free slot. Extent blocks are read through the store. */
    Inode decode(byte[] img, int off, long ino) throws ErrnoException {
        ByteBuffer b = MetaBlock.le(img);
        int mode = b.getInt(off);
        if (mode == 0) {
            return null;
        }
        Inode in = new Inode(ino);
        int ifmt = mode & 0170000;
        if (ifmt == FileType.DIRECTORY.ifmt()) {
            in.type = FileType.DIRECTORY;
        } else if (ifmt == FileType.REGULAR.ifmt()) {
            in.type = FileType.REGULAR;
        } else {
            throw new FsCorruptedException("iget", g.itabBlock(ino), "inode table",
                    "inode " + ino + " has unknown file type 0" + Integer.toOctalString(ifmt));
        }
        in.mode = mode & 07777;
        in.uid = b.getInt(off + 4);
        in.gid = b.getInt(off + 8);
        in.nlink = b.getInt(off + 12);
        in.size = b.getLong(off + 16);
        in.blocks = b.getLong(off + 24);
        in.flags = b.getInt(off + 32);
        in.generation = b.getInt(off + 36);
        in.atimeNs = b.getLong(off + 40);
        in.mtimeNs = b.getLong(off + 48);
        in.ctimeNs = b.getLong(off + 56);
        in.parent = b.getLong(off + 64);
        int format = b.getShort(off + 72) & 0xffff;
        int pointers = b.getShort(off + 74) & 0xffff;
        int count = b.getInt(off + 76);
        List<Extent> list = new ArrayList<>(Math.min(count, MAX_EXTENTS));
        if (format == 0) {
            if (count > INLINE_EXTENTS) {
                throw new FsCorruptedException("iget", g.itabBlock(ino), "inode table",
                        "inode " + ino + " claims " + count + " inline extents");
            }
            for (int i = 0; i < count; i++) {
                list.add(decodeExtent(b, off + 80 + 24 * i, ino));
            }
        } else {
            if ((format != 1 && format != 2) || pointers == 0 || pointers > INODE_POINTERS || count > MAX_EXTENTS) {
                throw new FsCorruptedException("iget", g.itabBlock(ino), "inode table", "inode " + ino
                        + " has extent format " + format + " with " + pointers + " pointers and " + count + " extents");
            }
            List<Long> leaves = new ArrayList<>();
            List<Long> index = new ArrayList<>();
            for (int k = 0; k < pointers; k++) {
                long ptr = checkedPointer(b.getLong(off + 80 + 8 * k), ino);
                if (format == 1) {
                    leaves.add(ptr);
                    continue;
                }
                index.add(ptr);
                ByteBuffer ib = MetaBlock.le(meta.get(ptr, MetaBlock.MAGIC_EXTINDEX, "extent index", false));
                int n = ib.getInt(24);
                if (ib.getLong(16) != ino || n <= 0 || n > POINTERS_PER_INDEX) {
                    throw new FsCorruptedException("iget", ptr, "extent index",
                            "owner " + ib.getLong(16) + " count " + n + ", expected inode " + ino);
                }
                for (int i = 0; i < n; i++) {
                    leaves.add(checkedPointer(ib.getLong(32 + 8 * i), ino));
                }
            }
            in.indexBlocks = toArray(index);
            in.leaves = toArray(leaves);
            in.leafStart = new long[leaves.size()];
            in.leafHash = new long[leaves.size()];
            for (int k = 0; k < leaves.size(); k++) {
                long eb = leaves.get(k);
                ByteBuffer e = MetaBlock.le(meta.get(eb, MetaBlock.MAGIC_EXTENTS, "extent list", false));
                int n = e.getInt(24);
                if (e.getLong(16) != ino || n <= 0 || n > EXTENTS_PER_BLOCK) {
                    throw new FsCorruptedException("iget", eb, "extent list",
                            "owner " + e.getLong(16) + " count " + n + ", expected inode " + ino);
                }
                List<Extent> leaf = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    leaf.add(decodeExtent(e, 32 + 24 * i, ino));
                }
                in.leafStart[k] = k == 0 ? 0 : leaf.get(0).fileBlock();
                in.leafHash[k] = hash(leaf);
                list.addAll(leaf);
            }
            if (list.size() != count) {
                throw new FsCorruptedException("iget", g.itabBlock(ino), "inode table",
                        "inode " + ino + " has " + list.size() + " extents in its blocks, expected " + count);
            }
        }
        try {
            in.extents = new ExtentMap(list);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new FsCorruptedException("iget", g.itabBlock(ino), "inode table",
                    "inode " + ino + " extent list is invalid: " + e.getMessage());
        }
        return in;
    }

    private long checkedPointer(long ptr, long ino) throws FsCorruptedException {
        if (ptr < g.dataStart() || ptr >= g.totalBlocks()) {
            throw new FsCorruptedException("iget", g.itabBlock(ino), "inode table",
                    "inode " + ino + " extent-list block " + ptr + " outside the data area");
        }
        return ptr;
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

    private Extent decodeExtent(ByteBuffer b, int off, long ino) throws FsCorruptedException {
        long fb = b.getLong(off);
        long dev = b.getLong(off + 8);
        long count = b.getInt(off + 16) & 0xffffffffL;
        int flags = b.getInt(off + 20);
        if (fb < 0 || count == 0 || count > Extent.MAX_COUNT || dev < g.dataStart() || dev + count > g.totalBlocks()) {
            throw new FsCorruptedException("iget", g.itabBlock(ino), "inode table", "inode " + ino
                    + " has an invalid extent " + fb + "+" + count + "@" + dev);
        }
        return new Extent(fb, dev, count, (flags & 1) != 0);
    }

    private static void encodeExtent(ByteBuffer b, int off, Extent e) {
        b.putLong(off, e.fileBlock()).putLong(off + 8, e.devBlock()).putInt(off + 16, (int) e.count())
                .putInt(off + 20, e.unwritten() ? 1 : 0);
    }

    /** Allocates and initialises a new inode (marked dirty in {@code tx}). ENOSPC when none is free. */
    Inode allocate(Transaction tx, FileType type, int mode, int uid, int gid, long parent, long now)
            throws ErrnoException {
        long ino = -1;
        byte[] fresh = null;
        for (int attempt = 0; attempt < 64 && ino < 0; attempt++) {
            long cand = ibm.nextClear(rotor);
            if (cand < 0) {
                cand = ibm.nextClear(1);
            }
            if (cand < 0 || cand > g.inodeCount()) {
                throw new ErrnoException(Errno.ENOSPC, "ialloc", "no free inodes");
            }
            long blk = g.itabBlock(cand);
            try {
                meta.get(blk, MetaBlock.MAGIC_INODES, "inode table", true);
                ino = cand;
            } catch (ErrnoException unreadable) {
                // A poisoned or corrupt inode-table block: if every inode in it is free it holds
                // nothing, and is rewritten whole (the write clears the poison); otherwise skip it.
                long first = (blk - g.itabStart()) * Geometry.INODES_PER_BLOCK;
                boolean empty = true;
                for (long i = Math.max(1, first); i < first + Geometry.INODES_PER_BLOCK && i <= g.inodeCount(); i++) {
                    empty &= !ibm.get(i);
                }
                if (empty) {
                    ino = cand;
                    fresh = new byte[MetaBlock.SIZE];
                } else {
                    rotor = first + Geometry.INODES_PER_BLOCK;
                }
            }
        }
        if (ino < 0) {
            throw new ErrnoException(Errno.EIO, "ialloc", "no readable inode-table block with a free inode");
        }
        tx.mutated();
        if (fresh != null) {
            tx.put(g.itabBlock(ino), MetaBlock.MAGIC_INODES, fresh);
        }
        ibm.set(ino, true);
        dirtyIbm.add(ino / Geometry.BITS_PER_BITMAP_BLOCK);
        free--;
        rotor = ino + 1;
        Inode in = new Inode(ino);
        in.type = type;
        in.mode = mode & 07777;
        in.uid = uid;
        in.gid = gid;
        in.nlink = type == FileType.DIRECTORY ? 2 : 1;
        in.atimeNs = in.mtimeNs = in.ctimeNs = now;
        in.parent = parent;
        in.generation = (int) (now ^ ino);
        if (type == FileType.DIRECTORY) {
            in.dir = new Directory(in);
        }
        tx.dirty(in);
        cache.put(ino, in);
        return in;
    }

    /** Frees the inode itself (its blocks must already be freed): clears the slot and the bitmap bit. */
    void free(Transaction tx, Inode in) throws ErrnoException {
        tx.mutated();
        byte[] img = tx.edit(g.itabBlock(in.ino), MetaBlock.MAGIC_INODES, "inode table", true);
        Arrays.fill(img, g.itabSlotOffset(in.ino), g.itabSlotOffset(in.ino) + Geometry.INODE_SIZE, (byte) 0);
        ibm.set(in.ino, false);
        dirtyIbm.add(in.ino / Geometry.BITS_PER_BITMAP_BLOCK);
        free++;
        in.nlink = 0;
        in.type = null;
        cache.remove(in.ino);
    }

    /**
     * Writes an inode and its extent list into {@code tx}. The list lives inline (up to 8 extents) or in
     * leaf blocks of up to 169 extents, each holding a contiguous file range; the inode points to up to
     * 24 leaves (format 1) or to up to 24 index blocks of 508 leaf pointers (format 2). Only leaves whose
     * contents changed are rewritten, so a change costs a few blocks however long the list is: extents
     * are grouped by the leaves' file ranges, a leaf that overflows is split, an empty one freed, and a
     * changed leaf merged with its successor when both fit in one.
     */
    void log(Transaction tx, Inode in, Allocator alloc, Rmap rmap) throws ErrnoException {
        if (in.type == null) {
            return; // freed in this transaction
        }
        List<Extent> ex = in.extents.all();
        int format;
        long[] ptrs;
        if (ex.size() <= INLINE_EXTENTS) {
            freeListBlocks(in, alloc);
            format = 0;
            ptrs = new long[0];
        } else {
            logLeaves(tx, in, ex, alloc, rmap);
            if (in.leaves.length <= INODE_POINTERS) {
                freeIndexBlocks(in, alloc, 0);
                format = 1;
                ptrs = in.leaves;
            } else {
                logIndex(tx, in, alloc, rmap);
                format = 2;
                ptrs = in.indexBlocks;
            }
        }
        byte[] img = tx.edit(g.itabBlock(in.ino), MetaBlock.MAGIC_INODES, "inode table", true);
        ByteBuffer b = MetaBlock.le(img);
        int off = g.itabSlotOffset(in.ino);
        Arrays.fill(img, off, off + Geometry.INODE_SIZE, (byte) 0);
        b.putInt(off, in.type.ifmt() | (in.mode & 07777)).putInt(off + 4, in.uid).putInt(off + 8, in.gid)
                .putInt(off + 12, in.nlink).putLong(off + 16, in.size).putLong(off + 24, in.blocks)
                .putInt(off + 32, in.flags).putInt(off + 36, in.generation).putLong(off + 40, in.atimeNs)
                .putLong(off + 48, in.mtimeNs).putLong(off + 56, in.ctimeNs).putLong(off + 64, in.parent);
        b.putShort(off + 72, (short) format).putShort(off + 74, (short) ptrs.length).putInt(off + 76, ex.size());
        if (format == 0) {
            for (int i = 0; i < ex.size(); i++) {
                encodeExtent(b, off + 80 + 24 * i, ex.get(i));
            }
        } else {
            for (int k = 0; k < ptrs.length; k++) {
                b.putLong(off + 80 + 8 * k, ptrs[k]);
            }
        }
        in.timesDirty = false;
    }

    private long allocMeta(Transaction tx, Inode in, Allocator alloc, Rmap rmap, long goal, long flags)
            throws ErrnoException {
        long[] run = alloc.allocate(goal, 1);
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
    void freeListBlocks(Inode in, Allocator alloc) {
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
        if (outLeaves.size() > INODE_POINTERS * POINTERS_PER_INDEX) {
            throw new ErrnoException(Errno.ENOSPC, "bmap", "extent index of inode " + in.ino + " is full");
        }
        int n = outLeaves.size();
        in.leaves = new long[n];
        in.leafStart = new long[n];
        in.leafHash = new long[n];
        for (int k = 0; k < n; k++) {
            List<Extent> grp = outGroups.get(k);
            long h = hash(grp);
            in.leaves[k] = outLeaves.get(k);
            in.leafStart[k] = k == 0 ? 0 : grp.get(0).fileBlock();
            in.leafHash[k] = h;
            if (outDirty.get(k)) {
                byte[] img = new byte[MetaBlock.SIZE];
                ByteBuffer b = MetaBlock.le(img);
                b.putLong(16, in.ino).putInt(24, grp.size());
                for (int i = 0; i < grp.size(); i++) {
                    encodeExtent(b, 32 + 24 * i, grp.get(i));
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
            ByteBuffer b = MetaBlock.le(img);
            int from = k * POINTERS_PER_INDEX;
            int n = Math.min(POINTERS_PER_INDEX, in.leaves.length - from);
            b.putLong(16, in.ino).putInt(24, n);
            for (int i = 0; i < n; i++) {
                b.putLong(32 + 8 * i, in.leaves[from + i]);
            }
            byte[] old = k < existing ? meta.get(idx[k], MetaBlock.MAGIC_EXTINDEX, "extent index", false) : null;
            if (old == null || !Arrays.equals(old, MetaBlock.HEADER, MetaBlock.SIZE, img, MetaBlock.HEADER,
                    MetaBlock.SIZE)) {
                tx.put(idx[k], MetaBlock.MAGIC_EXTINDEX, img);
            }
        }
    }

    /** Inode bitmap blocks changed since the last call, as images into {@code tx}. */
    void logBitmap(Transaction tx) {
        for (long k : dirtyIbm) {
            byte[] img = new byte[MetaBlock.SIZE];
            long from = k * Geometry.BITS_PER_BITMAP_BLOCK;
            long count = Math.min(Geometry.BITS_PER_BITMAP_BLOCK, ibm.size() - from);
            ibm.store(from, count, img, MetaBlock.HEADER);
            tx.put(g.ibmStart() + k, MetaBlock.MAGIC_IBITMAP, img);
        }
        dirtyIbm.clear();
    }

    /** Drops clean, unopened inodes when the cache is large (never at mount: the table is not scanned). */
    void trimCache(long rootIno) {
        if (cache.size() <= CACHE_TARGET) {
            return;
        }
        Iterator<Map.Entry<Long, Inode>> it = cache.entrySet().iterator();
        while (it.hasNext() && cache.size() > CACHE_TARGET * 3 / 4) {
            Inode in = it.next().getValue();
            if (in.ino != rootIno && in.openCount == 0 && !in.timesDirty && in.pins.get() == 0) {
                // Remove first, then re-check the pin: a lock-free reader pins before it checks that the
                // object is still cached, so either it sees the removal or this sees its pin.
                it.remove();
                if (in.pins.get() > 0) {
                    cache.put(in.ino, in);
                }
            }
        }
    }

    /** Inodes with timestamps waiting to be logged. */
    List<Inode> timesDirty() {
        List<Inode> out = new ArrayList<>();
        for (Inode in : cache.values()) {
            if (in.timesDirty) {
                out.add(in);
            }
        }
        return out;
    }
}
