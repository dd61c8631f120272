package dev.pmemfs.fs;

/**
 * An inode's attributes as stat(2) needs them. {@code mode} holds permission bits (07777),
 * {@code blocks} is in 512-byte units as st_blocks, {@code flags} holds FS_*_FL bits.
 * Times are nanoseconds since the epoch; {@code rdev} is the device number of a device file.
 */
public record InodeAttr(
        long ino, FileType type, int mode, int uid, int gid, int nlink, long size, long blocks,
        int flags, long atimeNs, long mtimeNs, long ctimeNs, long rdev) {
    /** FS_IMMUTABLE_FL, include/uapi/linux/fs.h. */
    public static final int FS_IMMUTABLE_FL = 0x00000010;
    /** FS_APPEND_FL. */
    public static final int FS_APPEND_FL = 0x00000020;

    public boolean immutable() {
        return (flags & FS_IMMUTABLE_FL) != 0;
    }

    public boolean appendOnly() {
        return (flags & FS_APPEND_FL) != 0;
    }
}
