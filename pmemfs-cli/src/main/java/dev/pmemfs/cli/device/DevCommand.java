package dev.pmemfs.cli.device;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code pmemfs dev}: raw I/O on {@code /dev/pmemN} as {@code dd} with O_DIRECT does it, BLKZEROOUT,
 * fallocate(2) as util-linux's fallocate(1) does it,
 * the sysfs {@code badblocks} file, and hwpoison-inject's {@code corrupt-pfn}. The node is {@code root:disk 0660}: root, group disk and
 * CAP_DAC_OVERRIDE (or pmemfs's CAP_SYS_RAWIO) may open it ({@link dev.pmemfs.vfs.DeviceNodes});
 * commands run as root unless {@code --user} says otherwise.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = "Block-device I/O and badblocks of a namespace's pmemN.",
        subcommands = {
            DevReadCommand.class,
            DevWriteCommand.class,
            DevZerooutCommand.class,
            DevFallocateCommand.class,
            DevBadblocksCommand.class,
            DevCorruptPfnCommand.class,
        })
public final class DevCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: read, write, zeroout, fallocate, badblocks or corrupt-pfn");
    }
}
