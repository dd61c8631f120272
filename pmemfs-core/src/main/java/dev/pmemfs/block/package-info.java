/**
 * The block-device seam: {@link dev.pmemfs.block.BlockDevice} (kernel-internal bios, BLKZEROOUT's
 * zeroing, the sysfs badblocks file) and {@link dev.pmemfs.block.BlockHandle} (an open device node with
 * O_DIRECT rules), and how a badblocks table is shown ({@link dev.pmemfs.block.Badblocks}). Models the
 * interfaces of block/fops.c, block/ioctl.c and block/badblocks.c; reference §2.3, §6. Imports
 * {@code media} (value types) and {@code errno}. The rules every block driver keeps are the test suite
 * {@code BlockDeviceContract}; the pmem driver implements it. Permission to
 * open is checked above, in {@code vfs.DeviceNodes}.
 */
package dev.pmemfs.block;
