package dev.pmemfs.fs;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An in-core inode (struct xfs_inode): attributes, the extent map, the on-media extent block list,
 * the open count and the i_rwsem analogue. Fields are guarded by the transaction lock for metadata
 * changes and by {@link #rwsem} against concurrent data I/O of the same file.
 */
final class Inode {
    final long ino;
    final ReentrantReadWriteLock rwsem = new ReentrantReadWriteLock();
    FileType type;
    int mode;
    int uid;
    int gid;
    int nlink;
    long size;
    /** Filesystem blocks owned: data extents plus extent-map blocks. */
    long blocks;
    int flags;
    int generation;
    long atimeNs;
    long mtimeNs;
    long ctimeNs;
    /**
     * The directory holding a name of this inode (for {@code path()}): exact for directories, a hint for
     * files with several hard links (the directory of the name made last, or of a name since removed).
     */
    long parent;
    /** st_rdev of a character or block device (glibc's makedev encoding). */
    long rdev;
    /** A symlink's target; null for other types, and for a long target not read yet (it lives in a block). */
    String target;
    ExtentMap extents = new ExtentMap();
    /** Leaf blocks holding the extent list when it does not fit inline, in file order. */
    long[] leaves = new long[0];
    /** First file block each leaf covers (0 for the first); decides which leaf an extent goes to. */
    long[] leafStart = new long[0];
    /** Content hash of each leaf as last written. */
    long[] leafHash = new long[0];
    /** Index blocks (format 2) holding the leaf pointers when there are more than 24 leaves. */
    long[] indexBlocks = new long[0];

    /** Every block of the extent list: leaves and index blocks. */
    long[] listBlocks() {
        long[] all = java.util.Arrays.copyOf(leaves, leaves.length + indexBlocks.length);
        System.arraycopy(indexBlocks, 0, all, leaves.length, indexBlocks.length);
        return all;
    }
    /** Timestamps changed by an overwrite and not yet logged (logged with the next transaction or fsync). */
    volatile boolean timesDirty;
    int openCount;
    /** Operations in progress that hold this object (the cache must not evict it meanwhile). */
    final java.util.concurrent.atomic.AtomicInteger pins = new java.util.concurrent.atomic.AtomicInteger();
    /**
     * Set while the last link is dropped and the inode is about to be freed: a lock-free pin that sees
     * it backs off (see {@code Namei.dropLink} and {@code MountedFs.withInode}).
     */
    volatile boolean dying;
    Directory dir;

    Inode(long ino) {
        this.ino = ino;
    }

    InodeAttr attr() {
        return new InodeAttr(ino, type, mode, uid, gid, nlink, size, blocks << 3, flags, atimeNs, mtimeNs, ctimeNs,
                rdev);
    }

    boolean isDir() {
        return type == FileType.DIRECTORY;
    }

    /** Directories and symlinks: their data blocks are metadata (journaled, checksummed). */
    boolean hasMetadataBlocks() {
        return type == FileType.DIRECTORY || type == FileType.SYMLINK;
    }
}
