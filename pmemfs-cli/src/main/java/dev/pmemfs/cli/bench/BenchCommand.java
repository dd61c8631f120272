package dev.pmemfs.cli.bench;

import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.stack.PmemStack;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pmemfs bench}: the micro (JMH: lookups and copy paths), filesystem and recovery benchmarks in
 * one run, each figure with its ratio to a baseline measured in the same run. Each suite is also a
 * subcommand with its own knobs.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Micro (JMH), filesystem and recovery benchmarks as ratios to baselines measured in the same run.",
        subcommands = {MicroBenchCommand.class, FsBenchCommand.class, RecoveryBenchCommand.class, NioBenchCommand.class,
            StartupBenchCommand.class, MountBenchCommand.class})
public final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "Smaller working sets and counts (a minute or so) instead of the issue's sizes.")
    boolean quick;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the temporary images go (default /dev/shm).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path where = dir != null ? dir : PmemStack.memoryBackedDir();
        if (!Files.isDirectory(where)) {
            throw new UserException(where + " is not a directory (give --dir DIR)", ExitCodes.USAGE);
        }
        PrintWriter out = spec.commandLine().getOut();
        List<BenchRow> rows = new ArrayList<>();
        out.println("pmemfs bench: micro (JMH), fs and recovery suites" + (quick ? " (--quick)" : "") + "; running...");
        out.flush();
        MicroBenchCommand.run(out, quick ? 16L << 20 : 64L << 20, quick ? 100_000 : 1_000_000, 1, quick, where);
        rows.addAll(new FsBenchRun(quick
                ? new FsBenchRun.Settings(64L << 20, 50_000, 5_000, 100_000, 8L << 30, where)
                : new FsBenchRun.Settings(256L << 20, 200_000, 100_000, 1_000_000, 64L << 30, where)).run());
        rows.addAll(new RecoveryBenchRun(where, quick ? 10 : 30).run());
        BenchRow.print(out, rows);
        return ExitCodes.OK;
    }
}
