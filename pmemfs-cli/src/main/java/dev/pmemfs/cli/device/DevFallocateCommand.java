package dev.pmemfs.cli.device;

import dev.pmemfs.block.BlockHandle;
import dev.pmemfs.cli.ByteSize;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.UserException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dev fallocate NS [-n] [-p | -z | --mode BITS] -o OFFSET -l LENGTH}: util-linux's
 * {@code fallocate(1)} on {@code /dev/pmemN} (opened for writing), so the kernel's blkdev_fallocate
 * rules can be tried (reference §4.5): {@code -z} is ZERO_RANGE (zeroes through the write path and so
 * clears poison), {@code -p} is PUNCH_HOLE|KEEP_SIZE (EOPNOTSUPP on pmem: no write-zeroes offload),
 * {@code -n} adds KEEP_SIZE (a range past the end is clamped instead of EINVAL); with none of them the
 * mode is 0 (plain allocation, EOPNOTSUPP on a block device). {@code --mode} gives the raw mode word
 * (decimal or 0x hex) for any other combination. Prints nothing on success, as fallocate(1).
 */
@Command(name = "fallocate", mixinStandardHelpOptions = true, description = "fallocate(2) on /dev/pmemN (util-linux fallocate options).")
final class DevFallocateCommand implements Callable<Integer> {
    @Mixin
    DeviceArgs device;

    @Option(names = {"-n", "--keep-size"}, description = "FALLOC_FL_KEEP_SIZE.")
    boolean keepSize;

    @Option(names = {"-p", "--punch-hole"}, description = "FALLOC_FL_PUNCH_HOLE (implies --keep-size).")
    boolean punch;

    @Option(names = {"-z", "--zero-range"}, description = "FALLOC_FL_ZERO_RANGE.")
    boolean zeroRange;

    @Option(names = "--mode", paramLabel = "BITS", description = "The raw mode word (e.g. 0x11), instead of -n/-p/-z.")
    String mode;

    @Option(names = {"-o", "--offset"}, paramLabel = "OFFSET", description = "Start in bytes (k, m, g suffixes).")
    String offset = "0";

    @Option(names = {"-l", "--length"}, required = true, paramLabel = "LENGTH", description = "Length in bytes (k, m, g suffixes).")
    String length;

    @Override
    public Integer call() throws Exception {
        if (punch && zeroRange) {
            throw new UserException("--punch-hole and --zero-range are mutually exclusive", ExitCodes.USAGE);
        }
        if (mode != null && (punch || zeroRange || keepSize)) {
            throw new UserException("--mode gives the whole mode word: use it without -n, -p or -z", ExitCodes.USAGE);
        }
        int bits;
        if (mode != null) {
            long v = ByteSize.parseOrInvalid(mode);
            if (v < 0 || v > Integer.MAX_VALUE || !mode.strip().matches("(0[xX])?[0-9a-fA-F]+")) {
                throw new UserException("--mode '" + mode + "' is not a mode word (a number, e.g. 0x11)", ExitCodes.USAGE);
            }
            bits = (int) v;
        } else {
            bits = (keepSize || punch ? 0x01 : 0) | (punch ? 0x02 : 0) | (zeroRange ? 0x10 : 0);
        }
        long off = ByteSize.parse("offset", offset);
        long len = ByteSize.parse("length", length);
        try (Device d = device.open();
                BlockHandle h = device.openNode(d, true)) {
            h.fallocate(bits, off, len);
            d.ns.fence();
        }
        return 0;
    }
}
