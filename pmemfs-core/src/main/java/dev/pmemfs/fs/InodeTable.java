package dev.pmemfs.fs;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The inode table and inode bitmap as a cache and an allocator (xfs_icache + xfs_ialloc): inodes are
 * loaded on demand and cached (never all at mount), allocated from the bitmap, freed, and logged into
 * transactions. The slot format is {@link InodeCodec}'s; long extent lists live in
 * {@link ExtentListBlocks}. An inode-table block never written by this filesystem reads as 15 free
 * inodes (lazy init).
 */
final class InodeTable {
    /** Extents a file may have (see {@link InodeCodec#MAX_EXTENTS}). */
    static final int MAX_EXTENTS = InodeCodec.MAX_EXTENTS;
    private static final int CACHE_TARGET = 65536;

    private final MetaStore meta;
    private final Geometry g;
    private final InodeCodec codec;
    private final ExtentListBlocks lists;
    private final Bitmap ibm;
    private final TreeSet<Long> dirtyIbm = new TreeSet<>();
    private final ConcurrentHashMap<Long, Inode> cache = new ConcurrentHashMap<>();
    private long free;
    private long rotor = 1;

    InodeTable(MetaStore meta, Bitmap ibm) {
        this.meta = meta;
        this.g = meta.geometry();
        this.codec = new InodeCodec(g, MountedFs.MAX_BYTES);
        this.lists = new ExtentListBlocks(meta, codec);
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

    /**
     * Decodes slot {@code off} of an inode-table image, validating every field, and reads its extent-list
     * blocks; null for a free slot. EUCLEAN for any impossible value.
     */
    Inode decode(byte[] img, int off, long ino) throws ErrnoException {
        return decode(img, off, ino, null);
    }

    /**
     * As {@link #decode(byte[], int, long)}; with {@code lost} non-null (fsck's salvage), an unreadable
     * extent-list block is recorded there and skipped instead of failing the inode.
     */
    Inode decode(byte[] img, int off, long ino, List<ExtentListBlocks.LostBlock> lost) throws ErrnoException {
        InodeCodec.Slot slot = codec.decode(img, off, ino);
        if (slot == null) {
            return null;
        }
        if (slot.format() == InodeCodec.FMT_LEAVES || slot.format() == InodeCodec.FMT_INDEX) {
            lists.load(slot, lost);
        }
        Inode in = slot.inode();
        // A directory that lost part of its map is fsck's to repair (its blocks are rebuilt empty).
        if (in.type == FileType.DIRECTORY && (lost == null || lost.isEmpty())) {
            if (in.size % MetaBlock.SIZE != 0 || in.size / MetaBlock.SIZE > in.extents.mappedBlocks()) {
                throw new FsCorruptedException("iget", g.itabBlock(ino), "inode table", "directory " + ino
                        + " has size " + in.size + ", not a whole number of its mapped blocks");
            }
        }
        return in;
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
        long[] ptrs = new long[0];
        if (in.type.special()) {
            format = InodeCodec.FMT_DEV;
        } else if (in.type == FileType.SYMLINK && ex.isEmpty()) {
            format = InodeCodec.FMT_LOCAL;
        } else if (ex.size() <= InodeCodec.INLINE_EXTENTS) {
            lists.freeAll(in, alloc);
            format = InodeCodec.FMT_EXTENTS;
        } else {
            ptrs = lists.log(tx, in, ex, alloc, rmap);
            format = ptrs == in.leaves ? InodeCodec.FMT_LEAVES : InodeCodec.FMT_INDEX;
        }
        byte[] img = tx.edit(g.itabBlock(in.ino), MetaBlock.MAGIC_INODES, "inode table", true);
        InodeCodec.encode(img, g.itabSlotOffset(in.ino), in, format, ptrs, ex);
        in.timesDirty = false;
    }

    /** Frees every leaf and index block (the list went inline, or the inode is being freed). */
    void freeListBlocks(Inode in, Allocator alloc) {
        lists.freeAll(in, alloc);
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
