/**
 * {@code pmemfs dev}: dd-like O_DIRECT reads and writes of {@code /dev/pmemN}, BLKZEROOUT, and the
 * sysfs badblocks file (show, store, region view), run under a chosen credential
 * ({@code --user}, {@code --cap}) checked by {@code vfs.DeviceNodes}.
 */
package dev.pmemfs.cli.dev;
