package dev.pmemfs.fs;

/** One directory entry as readdir returns it. */
public record DirEntry(String name, long ino, FileType type) {}
