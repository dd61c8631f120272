/**
 * The pmem block device ({@code pmemN}): sector reads that refuse known bad sectors, writes that clear
 * poison first, BLKZEROOUT, and the sysfs badblocks file. Models pmem_submit_bio, pmem_do_read,
 * pmem_do_write (drivers/nvdimm/pmem.c), badblocks_show/store (block/badblocks.c) and
 * blk_ioctl_zeroout (block/ioctl.c); reference §1.2, §2.3, §6. Imports {@code media} and
 * {@code errno}; never {@code dax}.
 *
 * <p>Public: the contracts {@link dev.pmemfs.block.BlockDevice} and {@link dev.pmemfs.block.BlockHandle},
 * and {@link dev.pmemfs.block.PmemBlock}, the driver over one namespace, whose {@code doRead},
 * {@code doWrite}, {@code isBadPmem}, {@code clearPoisonFirmware} and {@code clearBb} the dax face
 * shares. Package-private: {@code PmemBlockHandle} (O_DIRECT rules, BLKZEROOUT checks) and
 * {@code BadblocksStore} (the kernel's sscanf rules). Permission to open is checked above, in
 * {@code vfs.DeviceNodes}. No locks of its own.
 */
package dev.pmemfs.block;
