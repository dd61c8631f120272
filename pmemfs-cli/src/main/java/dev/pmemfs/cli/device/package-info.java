/**
 * The block device's commands (named after the device, {@code /dev/pmemN}; the command stays
 * {@code pmemfs dev}, as short as the node's directory). {@code pmemfs dev}: dd-like O_DIRECT reads and writes of {@code /dev/pmemN}, BLKZEROOUT, and the
 * sysfs badblocks file (show, store, region view), run under a chosen credential
 * ({@code --user}, {@code --cap}) checked by {@code vfs.DeviceNodes}. Every buffer is bounded
 * whatever the arguments say: data streams through at most one MiB at a time.
 */
package dev.pmemfs.cli.device;
