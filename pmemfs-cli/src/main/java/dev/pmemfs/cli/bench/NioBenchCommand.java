package dev.pmemfs.cli.bench;

import dev.pmemfs.cli.ByteSize;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.stack.PmemStack;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pmemfs bench nio}: FileChannel throughput through the pmemfs {@code java.nio.file} provider
 * as ratios to the default provider on a tmpfs file and to jimfs, all measured by JMH in the same run
 * ({@link NioBench}); every figure and ratio carries JMH's error (99.9% confidence half-width,
 * propagated to the ratios).
 */
@Command(name = "nio", mixinStandardHelpOptions = true,
        description = "FileChannel through the pmemfs provider against the default provider (tmpfs) and jimfs, with JMH.")
final class NioBenchCommand implements Callable<Integer> {
    private static final List<String> BENCHMARKS = List.of("randomRead4k", "sequentialRead1m", "sequentialWrite1m");
    private static final Map<String, String> NAMES = Map.of("randomRead4k", "FileChannel 4 KiB random read",
            "sequentialRead1m", "FileChannel 1 MiB sequential read", "sequentialWrite1m", "FileChannel 1 MiB sequential write");
    private static final Map<String, Integer> BYTES = Map.of("randomRead4k", NioBench.SMALL,
            "sequentialRead1m", NioBench.LARGE, "sequentialWrite1m", NioBench.LARGE);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "Short iterations (seconds, not a minute); figures are rougher.")
    boolean quick;

    @Option(names = "--size", paramLabel = "SIZE", description = "File size per provider (default 64m; 16m with --quick).")
    String size;

    @Option(names = "--forks", paramLabel = "N", description = "JMH forks, each a fresh JVM (default 1; 0 runs in this JVM).")
    int forks = 1;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the default provider's file and the pmemfs image go (default /dev/shm).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        long bytes = ByteSize.parse("size", size != null ? size : quick ? "16m" : "64m");
        if (bytes < NioBench.LARGE || bytes % NioBench.LARGE != 0) {
            throw new UserException("--size must be a positive multiple of 1 MiB, not " + size, ExitCodes.USAGE);
        }
        if (forks < 0 || forks > 10) {
            throw new UserException("--forks must be between 0 and 10, not " + forks, ExitCodes.USAGE);
        }
        Path where = dir != null ? dir : PmemStack.memoryBackedDir();
        if (!Files.isDirectory(where)) {
            throw new UserException(where + " is not a directory (give --dir DIR)", ExitCodes.USAGE);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("pmemfs bench nio: JMH, " + (forks == 0 ? "in this JVM" : forks + " fork(s)") + ", file of "
                + bytes + " bytes per provider, default provider's file in " + where + "; running...");
        out.flush();
        print(out, run(bytes, where.toAbsolutePath().toString()));
        return ExitCodes.OK;
    }

    /** One JMH figure: operations per second and the half-width of its 99.9% confidence interval. */
    record Score(double ops, double error) {}

    private Map<String, Score> run(long bytes, String where) throws RunnerException {
        TimeValue warm = quick ? TimeValue.milliseconds(300) : TimeValue.seconds(1);
        TimeValue measure = quick ? TimeValue.milliseconds(300) : TimeValue.seconds(1);
        Options opt = new OptionsBuilder()
                .include("^" + Pattern.quote(NioBench.class.getName()) + "\\.")
                .param("size", Long.toString(bytes))
                .param("dir", where)
                .warmupIterations(quick ? 2 : 3).warmupTime(warm)
                .measurementIterations(quick ? 3 : 5).measurementTime(measure)
                .forks(forks)
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "-Xmx2g")
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(opt).run();
        Map<String, Score> scores = new HashMap<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            String method = bench.substring(bench.lastIndexOf('.') + 1);
            double err = r.getPrimaryResult().getScoreError();
            scores.put(method + "/" + r.getParams().getParam("provider"),
                    new Score(r.getPrimaryResult().getScore(), Double.isNaN(err) ? 0 : err));
        }
        return scores;
    }

    /** a / b with the relative errors added in quadrature. */
    static Score ratio(Score a, Score b) {
        double r = a.ops() / b.ops();
        return new Score(r, r * Math.hypot(a.error() / a.ops(), b.error() / b.ops()));
    }

    private static void print(PrintWriter out, Map<String, Score> s) {
        out.printf("%-36s %-20s %-20s %-20s %-14s %-14s%n", "measure (MB/s, ± JMH error)", "pmemfs", "default (tmpfs)",
                "jimfs", "vs default", "vs jimfs");
        for (String b : BENCHMARKS) {
            Score pm = s.get(b + "/pmemfs");
            Score def = s.get(b + "/default");
            Score jim = s.get(b + "/jimfs");
            if (pm == null || def == null || jim == null) {
                throw new IllegalStateException("JMH returned no figure for " + b);
            }
            double mb = BYTES.get(b) / 1e6;
            out.printf("%-36s %-20s %-20s %-20s %-14s %-14s%n", NAMES.get(b), mbs(pm, mb), mbs(def, mb), mbs(jim, mb),
                    times(ratio(pm, def)), times(ratio(pm, jim)));
        }
        out.flush();
    }

    private static String mbs(Score s, double mbPerOp) {
        return String.format("%,.0f ± %,.0f", s.ops() * mbPerOp, s.error() * mbPerOp);
    }

    private static String times(Score r) {
        return String.format("%.2fx ± %.2f", r.ops(), r.error());
    }
}
