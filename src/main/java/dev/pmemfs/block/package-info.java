/**
 * The pmem block device ({@code pmemN}): sector reads that refuse known bad sectors, writes that clear
 * poison first, BLKZEROOUT, and the sysfs badblocks file. Models pmem_submit_bio, pmem_do_read,
 * pmem_do_write (drivers/nvdimm/pmem.c) and blk_ioctl_zeroout (block/ioctl.c); reference §1.2, §2.3,
 * §6. Imports {@code media} and {@code errno}; never {@code dax}.
 */
package dev.pmemfs.block;
