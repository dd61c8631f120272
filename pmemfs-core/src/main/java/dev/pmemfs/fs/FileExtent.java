package dev.pmemfs.fs;

/**
 * A mapped range of a file: {@code length} bytes at file offset {@code logical} live at device byte
 * offset {@code physical} (relative to the dax device's data area); unwritten extents read as zeros.
 */
public record FileExtent(long logical, long physical, long length, boolean unwritten) {}
