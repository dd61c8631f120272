package dev.pmemfs.cli.bench;

import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.stack.PmemStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pmemfs bench recovery}: latency of repairing one poisoned block with each design vs a plain overwrite. */
@Command(name = "recovery", mixinStandardHelpOptions = true,
        description = "Per-design latency of repairing one poisoned 4 KiB block, against a plain 4 KiB overwrite.")
final class RecoveryBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--repeats", paramLabel = "N", description = "Repairs per design (default 30).")
    int repeats = 30;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the temporary images go (default /dev/shm).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path where = checked(repeats, dir);
        spec.commandLine().getOut().println("pmemfs bench recovery: latency of " + repeats
                + " repairs per design; ratio = repair / plain overwrite (x: lower is better)");
        BenchRow.print(spec.commandLine().getOut(), new RecoveryBenchRun(where, repeats).run());
        return ExitCodes.OK;
    }

    static Path checked(int repeats, Path dir) throws UserException {
        if (repeats < 1 || repeats > 10_000) {
            throw new UserException("--repeats must be between 1 and 10000, not " + repeats, ExitCodes.USAGE);
        }
        Path where = dir != null ? dir : PmemStack.memoryBackedDir();
        if (!Files.isDirectory(where)) {
            throw new UserException(where + " is not a directory (give --dir DIR)", ExitCodes.USAGE);
        }
        return where;
    }
}
