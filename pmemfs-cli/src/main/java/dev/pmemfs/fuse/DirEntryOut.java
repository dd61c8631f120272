package dev.pmemfs.fuse;

/** One readdir entry: name, inode number (the node id) and the S_IFMT bits of its type. */
public record DirEntryOut(String name, long ino, int typeMode) {}
