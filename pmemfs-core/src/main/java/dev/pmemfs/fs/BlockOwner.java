package dev.pmemfs.fs;

/**
 * The owner of one filesystem block, as the reverse map says: file data (inode and file offset), a
 * named metadata structure, or free space.
 */
public sealed interface BlockOwner {
    /** Device byte offset of the block (relative to the dax device data area). */
    long deviceOffset();

    record FileData(long deviceOffset, long ino, long fileOffset, boolean unwritten) implements BlockOwner {}

    /** {@code structure} names it as fsck would: "superblock", "journal", "inode table", "rmap", ... */
    record Metadata(long deviceOffset, String structure) implements BlockOwner {}

    record Free(long deviceOffset) implements BlockOwner {}
}
