package dev.pmemfs.cli.device;

import dev.pmemfs.block.BlockHandle;
import dev.pmemfs.cli.ByteSize;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code dev zeroout NS OFFSET LEN}: {@code ioctl(fd, BLKZEROOUT, {OFFSET, LEN})} on /dev/pmemN opened
 * for writing, with blk_ioctl_zeroout's checks (reference §6); zeroing goes through the write path,
 * so it clears poison.
 */
@Command(name = "zeroout", mixinStandardHelpOptions = true, description = "BLKZEROOUT a byte range of /dev/pmemN.")
final class DevZerooutCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeviceArgs device;

    @Parameters(index = "1", paramLabel = "OFFSET", description = "Start in bytes (k, m, g suffixes).")
    String offset;

    @Parameters(index = "2", paramLabel = "LEN", description = "Length in bytes (k, m, g suffixes).")
    String length;

    @Override
    public Integer call() throws Exception {
        long start = ByteSize.parse("offset", offset);
        long len = ByteSize.parse("length", length);
        try (Device d = device.open();
                BlockHandle h = device.openNode(d, true)) {
            h.zeroout(start, len);
            d.ns.fence();
            spec.commandLine().getOut().println(d.bdev.name() + ": zeroed " + len + " bytes at byte " + start);
        }
        return 0;
    }
}
