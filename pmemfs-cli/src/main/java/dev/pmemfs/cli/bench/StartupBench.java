package dev.pmemfs.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Start-up cost of a command as a user pays it: the wall time of a trivial command run as a new
 * process, against {@code java -version} (the JVM's own floor) measured in the same run, the two
 * interleaved so a load spike hits both. Each command runs {@code repeats} times after one unmeasured
 * run of each (which fills the page cache, as a user's second command finds it).
 */
final class StartupBench {
    /** Wall-clock seconds of each command, and the per-repetition ratio. */
    record Report(List<String> command, List<String> baseline, Spread commandSeconds, Spread baselineSeconds,
            Spread ratio) {}

    private final List<String> command;
    private final List<String> baseline;
    private final Map<String, String> env;
    private final int repeats;

    StartupBench(List<String> command, List<String> baseline, Map<String, String> env, int repeats) {
        this.command = List.copyOf(command);
        this.baseline = List.copyOf(baseline);
        this.env = Map.copyOf(env);
        this.repeats = repeats;
    }

    /** {@code $JAVA_HOME/bin/java -version} of the JVM running this command. */
    static List<String> javaVersion() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version");
    }

    Report run() throws IOException, InterruptedException {
        double[] cmd = new double[repeats];
        double[] base = new double[repeats];
        time(command);
        time(baseline);
        for (int i = 0; i < repeats; i++) {
            // Alternate which goes first, so neither always runs right after the other's exit.
            if (i % 2 == 0) {
                cmd[i] = time(command);
                base[i] = time(baseline);
            } else {
                base[i] = time(baseline);
                cmd[i] = time(command);
            }
        }
        return new Report(command, baseline, Spread.of(cmd), Spread.of(base), Spread.ratios(cmd, base));
    }

    /** Seconds from start to exit of {@code argv}; its output is discarded; a failure is an IOException. */
    private double time(List<String> argv) throws IOException, InterruptedException {
        Path sink = Files.createTempFile("pmemfs-startup-", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(sink.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().putAll(env);
            long t0 = System.nanoTime();
            Process p = pb.start();
            int exit = p.waitFor();
            double s = (System.nanoTime() - t0) / 1e9;
            if (exit != 0) {
                String out = Files.readString(sink);
                throw new IOException(String.join(" ", argv) + " exited with " + exit + ": "
                        + out.lines().findFirst().orElse(""));
            }
            return s;
        } finally {
            Files.deleteIfExists(sink);
        }
    }
}
