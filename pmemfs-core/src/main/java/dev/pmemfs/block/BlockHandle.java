package dev.pmemfs.block;

import dev.pmemfs.errno.ErrnoException;

/**
 * An open {@code /dev/pmemN}: what a process holds after {@code open(2)} on the device node, with
 * O_DIRECT semantics (offsets and lengths in whole 512-byte sectors, EINVAL otherwise).
 */
public interface BlockHandle extends AutoCloseable {
    boolean writable();

    /**
     * pread: EINVAL when misaligned or negative; as Linux, 0 bytes at or past the end of the device and
     * a short count across it; EIO when a bad sector is covered.
     */
    int read(long offset, byte[] dst, int dstOff, int len) throws ErrnoException;

    /**
     * pwrite: EBADF when not opened for write; EINVAL when misaligned; ENOSPC at or past the end of the
     * device and a short count across it (blkdev_write_iter); clears poison as
     * {@link BlockDevice#submitWrite}.
     */
    int write(long offset, byte[] src, int srcOff, int len) throws ErrnoException;

    /** {@code ioctl(BLKZEROOUT, {start, len})} with blk_ioctl_zeroout's checks (reference §6). */
    void zeroout(long start, long len) throws ErrnoException;

    /**
     * {@code fallocate(fd, mode, offset, len)} on the device node: vfs_fallocate's checks (≥ 6.12 order,
     * no WRITE_ZEROES: 0x80 is an unknown bit) then blkdev_fallocate's (reference §4.2, §4.5):
     * ZERO_RANGE (with or without KEEP_SIZE) zeroes through the write path, clearing poison;
     * PUNCH_HOLE|KEEP_SIZE needs a write-zeroes offload; everything else is EOPNOTSUPP.
     */
    void fallocate(int mode, long offset, long len) throws ErrnoException;

    @Override
    void close();
}
