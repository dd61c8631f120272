package dev.pmemfs.fs;

import dev.pmemfs.errno.ErrnoException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One syscall's metadata change: the new images of the blocks it touched and the inodes to log.
 * Committed as one journal record by {@link Volume#commit}, so it is crash-atomic (xfs_trans).
 */
final class Transaction {
    private final MetaStore meta;
    private final LinkedHashMap<Long, byte[]> images = new LinkedHashMap<>();
    private final LinkedHashMap<Long, Integer> magics = new LinkedHashMap<>();
    private final Set<Inode> inodes = new LinkedHashSet<>();
    /** Whole file data blocks logged raw with the metadata (salvage); written in place by the caller. */
    private final LinkedHashMap<Long, byte[]> data = new LinkedHashMap<>();
    private boolean mutated;

    Transaction(MetaStore meta) {
        this.meta = meta;
    }

    /** This transaction's copy of a block to change (first touch copies the current image). */
    byte[] edit(long block, int magic, String structure, boolean staleIsEmpty) throws ErrnoException {
        mutated = true;
        byte[] img = images.get(block);
        if (img == null) {
            img = meta.edit(block, magic, structure, staleIsEmpty);
            images.put(block, img);
            magics.put(block, magic);
        }
        return img;
    }

    /** Replaces a block with a freshly built image. */
    void put(long block, int magic, byte[] img) {
        mutated = true;
        images.put(block, img);
        magics.put(block, magic);
    }

    /**
     * Logs the new content of file data block {@code block} in this transaction's record, so that a
     * replay after a crash writes it (clearing the block's poison). The caller writes it in place after
     * the commit and checkpoints before anyone may write the block again.
     */
    void putData(long block, byte[] img) {
        if (img.length != MetaBlock.SIZE) {
            throw new IllegalArgumentException("data image of " + img.length + " bytes for block " + block);
        }
        mutated = true;
        data.put(block, img);
    }

    Map<Long, byte[]> dataImages() {
        return data;
    }

    /** Marks an inode to be written at commit; call before changing it. */
    void dirty(Inode inode) {
        mutated = true;
        inodes.add(inode);
    }

    /** Records that in-memory state changed (allocator, bitmaps), so a failure must shut down. */
    void mutated() {
        mutated = true;
    }

    boolean isMutated() {
        return mutated;
    }

    Set<Inode> inodes() {
        return inodes;
    }

    int blockCount() {
        return images.size();
    }

    /** Seals every image with its header and checksum, in first-touch order. */
    Map<Long, byte[]> sealed(int fsid) {
        for (Map.Entry<Long, byte[]> e : images.entrySet()) {
            MetaBlock.seal(e.getValue(), magics.get(e.getKey()), e.getKey(), fsid);
        }
        return images;
    }
}
