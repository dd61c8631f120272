package dev.pmemfs.cli.device;

import dev.pmemfs.block.Badblocks;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.vfs.DeviceNodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code dev badblocks NS}: {@code cat /sys/block/pmemN/badblocks} ("start len" lines of device
 * sectors; nothing when empty); {@code --region}: {@code /sys/bus/nd/devices/regionN/badblocks}
 * (region-relative sectors, read-only); {@code --add "START LEN"}: {@code echo START LEN >
 * /sys/block/pmemN/badblocks}, software-only poison with the kernel's parse rules.
 */
@Command(name = "badblocks", mixinStandardHelpOptions = true, description = "Show or add pmemN badblocks (sysfs).")
final class DevBadblocksCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeviceArgs device;

    @Option(names = "--region", description = "Show the region's badblocks (region-relative sectors).")
    boolean region;

    @Option(names = "--add", paramLabel = "\"START LEN\"", description = "Store this text into the badblocks file.")
    String add;

    @Override
    public Integer call() throws Exception {
        if (region && add != null) {
            throw new UserException("the region badblocks file is read-only; --add works on the block device's file",
                    ExitCodes.USAGE);
        }
        if (region) {
            // /sys/bus/nd/devices/regionN/badblocks: there while the region is enabled, whatever its namespace's state.
            try (Namespace ns = device.homeOption.home().open(device.name)) {
                if (!ns.regionEnabled()) {
                    throw new UserException(ns.regionName() + " is disabled: its badblocks file does not exist until "
                            + "'pmemfs ndctl enable-region " + ns.regionName() + "'");
                }
                spec.commandLine().getOut().print(Badblocks.show(ns.badblocks()));
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
        try (Device d = device.open()) {
            if (add != null) {
                DeviceNodes.checkSysfsWrite(d.bdev, device.credentials());
                // echo appends the newline the kernel's parser accepts as the third field.
                d.bdev.badblocksStore(add.endsWith("\n") ? add : add + "\n");
                return 0;
            }
            spec.commandLine().getOut().print(d.bdev.badblocksShow());
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
