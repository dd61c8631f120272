package dev.pmemfs.fuse;

/**
 * A FUSE_SETATTR request: which fields {@code toSet} names (FUSE_SET_ATTR_* bits) and their values.
 * The {@code *_NOW} bits ask for the current time in place of the given one.
 */
public record SetattrValues(int toSet, int mode, int uid, int gid, long size, long atimeNs, long mtimeNs) {
    public static final int MODE = 1, UID = 2, GID = 4, SIZE = 8, ATIME = 16, MTIME = 32, ATIME_NOW = 128,
            MTIME_NOW = 256, CTIME = 1024;

    public boolean has(int bit) {
        return (toSet & bit) != 0;
    }
}
