package dev.pmemfs.block;

import dev.pmemfs.errno.ErrnoException;

/**
 * The pmem block device ({@code pmemN}): the bio face of drivers/nvdimm/pmem.c (reference §1.2, §2,
 * §6). Sectors are 512 bytes and, for an fsdax namespace, re-based to the data area.
 *
 * <p>API CONTRACT (implemented by the device layer):
 * <ul>
 *   <li>Reads touching a known bad sector fail with EIO and copy nothing (pmem_do_read); a machine
 *       check mid-copy (latent poison) also gives EIO.</li>
 *   <li>Writes clear poison first (clear_err_unit aligned) and fail with EIO without writing when the
 *       clear is short; fully cleared sectors leave badblocks either way (pmem_do_write).</li>
 *   <li>{@link #issueZeroout} is the kernel-internal {@code blkdev_issue_zeroout}: zero pages written
 *       through the write path, so it clears poison. Used by the filesystem for allocation zeroing.</li>
 * </ul>
 * Permission to open is checked above this layer (vfs), as the kernel checks it at open.
 */
public interface BlockDevice {
    int SECTOR_SHIFT = 9;
    int SECTOR_SIZE = 1 << SECTOR_SHIFT;

    /** "pmem0". */
    String name();

    /** Capacity in bytes (a multiple of 4096). */
    long capacityBytes();

    /** Opens the device node; the caller has already checked privilege. */
    BlockHandle open(boolean forWrite);

    /** Kernel-internal read bio: {@code len} and {@code sector} cover whole sectors. */
    void submitRead(long sector, byte[] dst, int dstOff, int len) throws ErrnoException;

    /** Kernel-internal write bio. */
    void submitWrite(long sector, byte[] src, int srcOff, int len) throws ErrnoException;

    /** {@code blkdev_issue_zeroout(bdev, sector, nrSects, ..., BLKDEV_ZERO_NOUNMAP)}. */
    void issueZeroout(long sector, long nrSects) throws ErrnoException;

    /** The sysfs {@code badblocks} text: {@code "start len\n"} lines, ascending; empty when none. */
    String badblocksShow();

    /** The sysfs {@code badblocks} store (software-only poison); kernel parse rules and errors. */
    void badblocksStore(String text) throws ErrnoException;
}
