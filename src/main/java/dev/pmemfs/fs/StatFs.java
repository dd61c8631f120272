package dev.pmemfs.fs;

/** statfs(2): block size, total and free blocks, total and free inodes. */
public record StatFs(int blockSize, long totalBlocks, long freeBlocks, long totalInodes, long freeInodes) {}
