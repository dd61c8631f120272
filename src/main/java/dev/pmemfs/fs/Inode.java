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
    long parent;
    ExtentMap extents = new ExtentMap();
    /** Device blocks holding the extent list when it does not fit inline. */
    long[] extentBlocks = new long[0];
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
        return new InodeAttr(ino, type, mode, uid, gid, nlink, size, blocks << 3, flags, atimeNs, mtimeNs, ctimeNs);
    }

    boolean isDir() {
        return type == FileType.DIRECTORY;
    }
}
