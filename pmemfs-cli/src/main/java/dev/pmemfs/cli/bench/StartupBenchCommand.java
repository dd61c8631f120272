package dev.pmemfs.cli.bench;

import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.UserException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pmemfs bench startup}: the wall time of {@code pmemfs ndctl list} (a trivial command, on an
 * empty temporary PMEMFS_HOME) through the launcher, against {@code java -version} in the same run.
 */
@Command(name = "startup", mixinStandardHelpOptions = true,
        description = "Wall time of a trivial command (pmemfs ndctl list) through the launcher against java -version.")
final class StartupBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--repeats", paramLabel = "N", description = "Runs of each command (default 10).")
    int repeats = 10;

    @Option(names = "--launcher", paramLabel = "PATH",
            description = "The pmemfs launcher to time (default: the one running this command, $PMEMFS_LAUNCHER).")
    Path launcher;

    @Override
    public Integer call() throws Exception {
        if (repeats < 1 || repeats > 1000) {
            throw new UserException("--repeats must be between 1 and 1000, not " + repeats, ExitCodes.USAGE);
        }
        Path l = launcher;
        if (l == null) {
            String env = System.getenv("PMEMFS_LAUNCHER");
            if (env == null || env.isEmpty()) {
                throw new UserException("bench startup times the launcher: run it as './pmemfs bench startup' or give"
                        + " --launcher PATH", ExitCodes.USAGE);
            }
            l = Path.of(env);
        }
        if (!Files.isRegularFile(l) || !Files.isExecutable(l)) {
            throw new UserException("--launcher " + l + " is not an executable file", ExitCodes.USAGE);
        }
        Path home = Files.createTempDirectory("pmemfs-startup-home-");
        StartupBench.Report r;
        try {
            r = new StartupBench(List.of(l.toString(), "ndctl", "list"), StartupBench.javaVersion(),
                    Map.of("PMEMFS_HOME", home.toString()), repeats).run();
        } catch (IOException e) {
            throw new UserException("bench startup: " + e.getMessage());
        } finally {
            Files.deleteIfExists(home);
        }
        print(spec.commandLine().getOut(), r, repeats);
        return ExitCodes.OK;
    }

    static void print(PrintWriter out, StartupBench.Report r, int repeats) {
        out.printf("pmemfs bench startup: %d runs of each, interleaved; wall seconds, median [min, max]%n", repeats);
        out.printf("%-40s %s%n", "pmemfs " + String.join(" ", r.command().subList(1, r.command().size())),
                r.commandSeconds().text("%.3f"));
        out.printf("%-40s %s%n", "java -version", r.baselineSeconds().text("%.3f"));
        out.printf("%-40s %s%n", "ratio (per run)", r.ratio().text("%.2f") + "x");
        out.flush();
    }
}
