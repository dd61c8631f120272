package dev.pmemfs.cli.dev;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code pmemfs dev}: raw I/O on {@code /dev/pmemN} as {@code dd} with O_DIRECT does it, BLKZEROOUT,
 * and the sysfs {@code badblocks} file. Opening for write needs CAP_SYS_RAWIO
 * ({@link dev.pmemfs.vfs.DeviceNodes}); commands run as root unless {@code --user} says otherwise.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = "Block-device I/O and badblocks of a namespace's pmemN.",
        subcommands = {
            DevReadCommand.class,
            DevWriteCommand.class,
            DevZerooutCommand.class,
            DevBadblocksCommand.class,
        })
public final class DevCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: read, write, zeroout or badblocks");
    }
}
