package dev.pmemfs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root {@code pmemfs} command: git-style subcommands over the layers. Each subcommand lives in
 * its own class; register it in {@code subcommands} below.
 */
@Command(
        name = "pmemfs",
        mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class,
        description = "The Linux pmem poison-recovery stack, emulated: namespaces, DAX filesystem, recovery.",
        subcommands = {
            CommandLine.HelpCommand.class,
            DemoCommand.class,
            dev.pmemfs.cli.ndctl.NdctlCommand.class,
            dev.pmemfs.cli.device.DevCommand.class,
            dev.pmemfs.cli.fs.MkfsCommand.class,
            dev.pmemfs.cli.fs.FsckCommand.class,
            dev.pmemfs.cli.io.XfsIoCommand.class,
            dev.pmemfs.cli.fs.LsCommand.class,
            dev.pmemfs.cli.fs.CpCommand.class,
            dev.pmemfs.cli.mount.MountCommand.class,
            dev.pmemfs.cli.mount.UmountCommand.class,
            dev.pmemfs.cli.recover.BadblocksCommand.class,
            dev.pmemfs.cli.recover.RecoverCommand.class,
            dev.pmemfs.cli.study.StudyCommand.class,
            dev.pmemfs.cli.bench.BenchCommand.class,
        })
public final class PmemfsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    /** A configured command line: one-line errors, exit codes from {@link ExitCodes}. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PmemfsCommand());
        // A mounted namespace's owner serves the commands that need it (cli/mount: control socket).
        cl.setExecutionStrategy(dev.pmemfs.cli.mount.Forwarding::execute);
        cl.setExecutionExceptionHandler(new ErrorReporter());
        cl.setParameterExceptionHandler(ErrorReporter::parameterError);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // picocli would read "@FILE" as a file of arguments; none of the tools pmemfs follows does
        // (xfs_io's -c '@x' is the command "@x", ndctl and dd take such a word as it is).
        cl.setExpandAtFiles(false);
        // Every subcommand has -V (mixinStandardHelpOptions); all print the build's version.
        setVersionProvider(cl, new BuildVersion());
        cl.registerConverter(java.nio.file.Path.class, HostPath::convert);
        return cl;
    }

    private static void setVersionProvider(CommandLine cl, CommandLine.IVersionProvider provider) {
        cl.getCommandSpec().versionProvider(provider);
        for (CommandLine sub : cl.getSubcommands().values()) {
            setVersionProvider(sub, provider);
        }
    }
}
