package dev.pmemfs.fs;

import dev.pmemfs.errno.ErrnoException;

/**
 * The reverse map: one 16-byte entry per device block, {@code u64 owner inode, u64 file block | flags}
 * (bit 63: the block holds the owner's extent list, not file data). O(1) query by block number, the
 * question xfs_dax_notify_failure asks its rmap btree. Entries of free blocks are meaningless: the
 * block bitmap decides whether a block is owned at all, so freeing never touches the rmap.
 */
final class Rmap {
    /** One entry, declared once: {@code owner u64 | file block u64 with flags in bits 63 and 62}. */
    static final MediaStruct ENTRY = new MediaStruct(MediaStruct.U64.withName("owner"),
            MediaStruct.U64.withName("fileBlockAndFlags"));
    private static final MediaStruct.Long64 OWNER = ENTRY.u64("owner");
    private static final MediaStruct.Long64 FILE_BLOCK = ENTRY.u64("fileBlockAndFlags");
    static final long FLAG_EXTMAP = 1L << 63;
    /** With FLAG_EXTMAP: an index block of the extent list rather than a leaf. */
    static final long FLAG_INDEX = 1L << 62;

    /** One entry: the owner inode and the file block (or extent-list index) with flags. */
    record Entry(long ino, long fileBlockAndFlags) {
        boolean extentMap() {
            return (fileBlockAndFlags & FLAG_EXTMAP) != 0;
        }

        long fileBlock() {
            return fileBlockAndFlags & ~(FLAG_EXTMAP | FLAG_INDEX);
        }
    }

    private final MetaStore meta;
    private final Geometry g;

    Rmap(MetaStore meta) {
        this.meta = meta;
        this.g = meta.geometry();
    }

    /** Records that device blocks {@code [dev, dev+count)} hold file blocks from {@code fileBlock} of {@code ino}. */
    void set(Transaction tx, long dev, long count, long ino, long fileBlock, long flags) throws ErrnoException {
        byte[] img = null;
        long imgBlock = -1;
        for (long i = 0; i < count; i++) {
            long b = dev + i;
            long rb = g.rmapBlock(b);
            if (rb != imgBlock) {
                try {
                    img = tx.edit(rb, MetaBlock.MAGIC_RMAP, "rmap", true);
                } catch (ErrnoException unreadable) {
                    // A poisoned or corrupt rmap block: start it afresh rather than fail the
                    // allocation. Entries of other owned blocks in it are lost until fsck rebuilds them
                    // (owner() reports those blocks as inconsistent meanwhile); the write clears poison.
                    img = new byte[MetaBlock.SIZE];
                    tx.put(rb, MetaBlock.MAGIC_RMAP, img);
                }
                imgBlock = rb;
            }
            var seg = MediaStruct.of(img);
            int off = g.rmapEntryOffset(b);
            OWNER.set(seg, off, ino);
            FILE_BLOCK.set(seg, off, (fileBlock + i) | flags);
        }
    }

    Entry get(long dev) throws ErrnoException {
        byte[] img = meta.get(g.rmapBlock(dev), MetaBlock.MAGIC_RMAP, "rmap", true);
        if (img == null) {
            return new Entry(0, 0);
        }
        var seg = MediaStruct.of(img);
        int off = g.rmapEntryOffset(dev);
        return new Entry(OWNER.get(seg, off), FILE_BLOCK.get(seg, off));
    }
}
