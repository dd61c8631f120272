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
import java.util.LinkedHashMap;
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
 * {@code pmemfs bench micro}: the pmem driver's micro cases measured by JMH ({@link MicroBench}): the
 * badblocks and poison range-set lookups, 1 MiB copies through DAX and the block path as ratios to a
 * plain MemorySegment copy of the same pages, the same with a million ranges elsewhere on the device,
 * and a 4 KiB recovery write over poison. Every figure carries JMH's error (the 99.9% confidence
 * half-width), propagated to the ratios.
 */
@Command(name = "micro", mixinStandardHelpOptions = true,
        description = "Range-set lookups and the DAX, block and recovery-write copy paths, with JMH.")
final class MicroBenchCommand implements Callable<Integer> {
    /** JMH method → what the table calls it, and the bytes one operation moves (0: not a copy). */
    private record Case(String name, int bytes, String baseline) {}

    private static final Map<String, Case> CASES = new LinkedHashMap<>();

    static {
        CASES.put("memsegmentWrite1m", new Case("memsegment write 1 MiB", MicroBench.IO, "memsegmentWrite1m"));
        CASES.put("daxWrite1m", new Case("dax write 1 MiB", MicroBench.IO, "memsegmentWrite1m"));
        CASES.put("blockWrite1m", new Case("block write 1 MiB", MicroBench.IO, "memsegmentWrite1m"));
        CASES.put("memsegmentRead1m", new Case("memsegment read 1 MiB", MicroBench.IO, "memsegmentRead1m"));
        CASES.put("daxRead1m", new Case("dax read 1 MiB", MicroBench.IO, "memsegmentRead1m"));
        CASES.put("blockRead1m", new Case("block read 1 MiB", MicroBench.IO, "memsegmentRead1m"));
        CASES.put("badblocksLookup", new Case("badblocks lookup, healthy 1 MiB", 0, null));
        CASES.put("poisonLookup", new Case("poison lookup, healthy 1 MiB", 0, null));
        CASES.put("recoveryWrite4k", new Case("recovery write 4 KiB over poison", MicroBench.PAGE, null));
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "Short iterations, a 16 MiB working set and 100,000 ranges; figures are rougher.")
    boolean quick;

    @Option(names = "--size", paramLabel = "SIZE", description = "Working set of the copies (default 64m; 16m with --quick).")
    String size;

    @Option(names = "--ranges", paramLabel = "N", description = "Badblock and poison ranges for the +ranges cases (default 1000000; 100000 with --quick).")
    Long ranges;

    @Option(names = "--forks", paramLabel = "N", description = "JMH forks, each a fresh JVM (default 1; 0 runs in this JVM).")
    int forks = 1;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the temporary images go (default /dev/shm).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        long bytes = ByteSize.parse("size", size != null ? size : quick ? "16m" : "64m");
        if (bytes < MicroBench.IO || bytes % MicroBench.IO != 0) {
            throw new UserException("--size must be a positive multiple of 1 MiB, not " + size, ExitCodes.USAGE);
        }
        long n = ranges != null ? ranges : quick ? 100_000 : 1_000_000;
        if (n < 1 || n > 10_000_000) {
            throw new UserException("--ranges must be between 1 and 10000000, not " + n, ExitCodes.USAGE);
        }
        if (forks < 0 || forks > 10) {
            throw new UserException("--forks must be between 0 and 10, not " + forks, ExitCodes.USAGE);
        }
        Path where = dir != null ? dir : PmemStack.memoryBackedDir();
        if (!Files.isDirectory(where)) {
            throw new UserException(where + " is not a directory (give --dir DIR)", ExitCodes.USAGE);
        }
        run(spec.commandLine().getOut(), bytes, n, forks, quick, where);
        return ExitCodes.OK;
    }

    /** Runs the micro benchmarks and prints their table (also the device part of {@code pmemfs bench}). */
    static void run(PrintWriter out, long bytes, long n, int forks, boolean quick, Path where) throws RunnerException {
        out.println("pmemfs bench micro: JMH, " + (forks == 0 ? "in this JVM" : forks + " fork(s)") + ", working set "
                + (bytes >> 20) + " MiB, " + String.format("%,d", n) + " badblock and poison ranges outside it in the"
                + " rows with ranges, images in " + where + "; running...");
        out.flush();
        print(out, jmh(bytes, n, forks, quick, where.toAbsolutePath().toString()), n);
    }

    /** One JMH figure: nanoseconds per operation and the half-width of its 99.9% confidence interval. */
    record Score(double ns, double error) {
        /** this / other with the relative errors added in quadrature. */
        Score over(Score other) {
            double r = ns / other.ns;
            return new Score(r, r * Math.hypot(error / ns, other.error / other.ns));
        }
    }

    private static Map<String, Score> jmh(long bytes, long n, int forks, boolean quick, String where) throws RunnerException {
        TimeValue time = quick ? TimeValue.milliseconds(100) : TimeValue.seconds(1);
        Options opt = new OptionsBuilder()
                .include("^" + Pattern.quote(MicroBench.class.getName()) + "\\.")
                .param("workingSet", Long.toString(bytes))
                .param("ranges", "0", Long.toString(n))
                .param("dir", where)
                .warmupIterations(quick ? 2 : 3).warmupTime(time)
                .measurementIterations(quick ? 3 : 5).measurementTime(time)
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
            String ranges = r.getParams().getParam("ranges");
            double err = r.getPrimaryResult().getScoreError();
            scores.put(key(method, ranges == null || ranges.equals("0") ? 0 : 1),
                    new Score(r.getPrimaryResult().getScore(), Double.isNaN(err) ? 0 : err));
        }
        return scores;
    }

    private static String key(String method, int withRanges) {
        return method + "/" + withRanges;
    }

    private static void print(PrintWriter out, Map<String, Score> s, long n) {
        String format = "%-34s %-9s %-26s %-16s %-20s %s%n";
        out.printf(format, "case (scores ± JMH error)", "ranges", "ns/op", "GB/s", "GB/s vs memsegment", "time vs 0 ranges");
        for (Map.Entry<String, Case> e : CASES.entrySet()) {
            Case c = e.getValue();
            for (int withRanges = 0; withRanges < 2; withRanges++) {
                Score score = s.get(key(e.getKey(), withRanges));
                if (score == null) {
                    if (withRanges == 1 && e.getKey().startsWith("recovery")) {
                        continue; // its own small namespace: no ranges
                    }
                    throw new IllegalStateException("JMH returned no figure for " + e.getKey() + (withRanges == 1 ? " with ranges" : ""));
                }
                String gbs = c.bytes() == 0 ? "-" : String.format("%.2f ± %.2f", c.bytes() / score.ns(),
                        c.bytes() / score.ns() * score.error() / score.ns());
                String vsBase = "-";
                if (e.getKey().equals(c.baseline())) {
                    vsBase = "baseline";
                } else if (c.baseline() != null) {
                    Score r = s.get(key(c.baseline(), withRanges)).over(score); // throughput ratio = time ratio inverted
                    vsBase = String.format("%.2fx ± %.2f", r.ns(), r.error());
                }
                String vsZero = "-";
                if (withRanges == 1) {
                    Score r = score.over(s.get(key(e.getKey(), 0)));
                    vsZero = String.format("%.2fx ± %.2f", r.ns(), r.error());
                }
                String rangesText = e.getKey().startsWith("recovery") ? "-" : withRanges == 0 ? "0" : String.format("%,d", n);
                out.printf(format, c.name(), rangesText, String.format("%,.1f ± %,.1f", score.ns(), score.error()), gbs,
                        vsBase, vsZero);
            }
        }
        out.flush();
    }
}
