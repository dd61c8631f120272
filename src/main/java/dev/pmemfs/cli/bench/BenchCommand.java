package dev.pmemfs.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code pmemfs bench}: measurements printed as ratios against a baseline measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (ratios against a baseline measured in the same run).",
        subcommands = {DeviceBenchCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark: device");
    }
}
