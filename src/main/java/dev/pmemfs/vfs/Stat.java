package dev.pmemfs.vfs;

/** struct stat: {@code mode} includes the S_IFMT bits, {@code blocks} is in 512-byte units. */
public record Stat(long ino, int mode, int nlink, int uid, int gid, long size, int blksize, long blocks,
                   long atimeNs, long mtimeNs, long ctimeNs) {
    public static final int S_IFMT = 0170000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFDIR = 0040000;

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean isRegular() {
        return (mode & S_IFMT) == S_IFREG;
    }
}
