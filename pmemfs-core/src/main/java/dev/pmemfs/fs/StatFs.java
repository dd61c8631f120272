package dev.pmemfs.fs;

/**
 * statfs(2)'s {@code struct statfs}: the filesystem magic, block size, data-area blocks (total, free,
 * available to unprivileged users: pmemfs reserves none), inodes (total, free), the fsid mkfs chose
 * and the longest name.
 */
public record StatFs(long type, int blockSize, long totalBlocks, long freeBlocks, long availBlocks,
        long totalInodes, long freeInodes, long fsid, int nameMax) {
    /** f_type of pmemfs ("PMFS"). */
    public static final long PMEMFS_MAGIC = 0x504d4653L;
}
