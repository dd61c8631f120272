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
 *  72 4 extent format (0 inline, 1 extent blocks)   76 4 extent count
 *  80 192 inline: up to 8 extents of 24 bytes; or up to 24 extent-block numbers (u64)
 * extent (24 bytes): u64 file block, u64 device block, u32 count, u32 flags (bit 0 unwritten)
 * extent block: header (magic "PEXT") + 16 u64 owner inode, 24 u32 count, 28 u32 index, 32.. 169 extents
 * </pre>
 * An inode-table block never written by this filesystem reads as 15 free inodes (lazy init).
 */
final class InodeTable {
    static final int INLINE_EXTENTS = 8;
    static final int EXTENTS_PER_BLOCK = (MetaBlock.SIZE - 32) / 24;
    static final int MAX_EXTENT_BLOCKS = 24;
    static final int MAX_EXTENTS = EXTENTS_PER_BLOCK * MAX_EXTENT_BLOCKS;
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
        int format = b.getInt(off + 72);
        int count = b.getInt(off + 76);
        List<Extent> list = new ArrayList<>(count);
        if (format == 0) {
            if (count > INLINE_EXTENTS) {
                throw new FsCorruptedException("iget", g.itabBlock(ino), "inode table",
                        "inode " + ino + " claims " + count + " inline extents");
            }
            for (int i = 0; i < count; i++) {
                list.add(decodeExtent(b, off + 80 + 24 * i, ino));
            }
        } else {
            int nblocks = (count + EXTENTS_PER_BLOCK - 1) / EXTENTS_PER_BLOCK;
            if (count > MAX_EXTENTS || nblocks == 0) {
                throw new FsCorruptedException("iget", g.itabBlock(ino), "inode table",
                        "inode " + ino + " claims " + count + " extents");
            }
            in.extentBlocks = new long[nblocks];
            for (int k = 0; k < nblocks; k++) {
                long eb = b.getLong(off + 80 + 8 * k);
                in.extentBlocks[k] = eb;
                if (eb < g.dataStart() || eb >= g.totalBlocks()) {
                    throw new FsCorruptedException("iget", g.itabBlock(ino), "inode table",
                            "inode " + ino + " extent block " + eb + " outside the data area");
                }
                byte[] ei = meta.get(eb, MetaBlock.MAGIC_EXTENTS, "extent list", false);
                ByteBuffer e = MetaBlock.le(ei);
                int n = e.getInt(24);
                if (e.getLong(16) != ino || n > EXTENTS_PER_BLOCK) {
                    throw new FsCorruptedException("iget", eb, "extent list",
                            "owner " + e.getLong(16) + " count " + n + ", expected inode " + ino);
                }
                for (int i = 0; i < n; i++) {
                    list.add(decodeExtent(e, 32 + 24 * i, ino));
                }
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
        long ino = ibm.nextClear(rotor);
        if (ino < 0) {
            ino = ibm.nextClear(1);
        }
        if (ino < 0 || ino > g.inodeCount()) {
            throw new ErrnoException(Errno.ENOSPC, "ialloc", "no free inodes");
        }
        tx.mutated();
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
     * Writes an inode and its extent list into {@code tx}: extent blocks are allocated or freed so the
     * list fits, and only extent blocks whose contents changed are logged.
     */
    void log(Transaction tx, Inode in, Allocator alloc, Rmap rmap) throws ErrnoException {
        if (in.type == null) {
            return; // freed in this transaction
        }
        List<Extent> ex = in.extents.all();
        int need = ex.size() <= INLINE_EXTENTS ? 0 : (ex.size() + EXTENTS_PER_BLOCK - 1) / EXTENTS_PER_BLOCK;
        if (need > MAX_EXTENT_BLOCKS) {
            throw new ErrnoException(Errno.ENOSPC, "bmap", "inode " + in.ino + " needs " + ex.size()
                    + " extents; the format holds " + MAX_EXTENTS);
        }
        long[] blocks = in.extentBlocks;
        int existing = Math.min(blocks.length, need);
        if (blocks.length > need) {
            for (int k = need; k < blocks.length; k++) {
                alloc.free(blocks[k], 1, true);
                meta.forget(blocks[k]);
                in.blocks--;
            }
            blocks = Arrays.copyOf(blocks, need);
        }
        while (blocks.length < need) {
            long goal = ex.isEmpty() ? g.dataStart() : ex.get(0).devBlock();
            long[] run = alloc.allocate(goal, 1);
            if (run == null) {
                throw new ErrnoException(Errno.ENOSPC, "bmap", "no space for the extent list of inode " + in.ino);
            }
            rmap.set(tx, run[0], 1, in.ino, blocks.length, Rmap.FLAG_EXTMAP);
            blocks = Arrays.copyOf(blocks, blocks.length + 1);
            blocks[blocks.length - 1] = run[0];
            in.blocks++;
        }
        in.extentBlocks = blocks;
        for (int k = 0; k < need; k++) {
            byte[] img = new byte[MetaBlock.SIZE];
            ByteBuffer b = MetaBlock.le(img);
            int from = k * EXTENTS_PER_BLOCK;
            int n = Math.min(EXTENTS_PER_BLOCK, ex.size() - from);
            b.putLong(16, in.ino).putInt(24, n).putInt(28, k);
            for (int i = 0; i < n; i++) {
                encodeExtent(b, 32 + 24 * i, ex.get(from + i));
            }
            // A block that already held this list is logged only when its contents change; a new one
            // holds stale bytes and is always written.
            byte[] old = k < existing ? meta.get(blocks[k], MetaBlock.MAGIC_EXTENTS, "extent list", false) : null;
            if (old == null || !Arrays.equals(old, MetaBlock.HEADER, MetaBlock.SIZE, img, MetaBlock.HEADER,
                    MetaBlock.SIZE)) {
                tx.put(blocks[k], MetaBlock.MAGIC_EXTENTS, img);
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
        b.putInt(off + 72, need == 0 ? 0 : 1).putInt(off + 76, ex.size());
        if (need == 0) {
            for (int i = 0; i < ex.size(); i++) {
                encodeExtent(b, off + 80 + 24 * i, ex.get(i));
            }
        } else {
            for (int k = 0; k < need; k++) {
                b.putLong(off + 80 + 8 * k, blocks[k]);
            }
        }
        in.timesDirty = false;
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
