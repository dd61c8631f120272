package dev.pmemfs.fuse;

/**
 * What the binding writes into a {@code struct stat}: {@code mode} includes the S_IFMT bits,
 * {@code blocks} counts 512-byte units, times are nanoseconds since the epoch.
 */
public record Attr(long ino, int mode, long nlink, int uid, int gid, long rdev, long size, int blksize,
                   long blocks, long atimeNs, long mtimeNs, long ctimeNs) {}
