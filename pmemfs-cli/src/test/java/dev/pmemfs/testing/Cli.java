package dev.pmemfs.testing;

import dev.pmemfs.cli.InProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code pmemfs} command lines in-process against a given namespace directory (passed with the
 * hidden {@code --home} option, appended after the leaf subcommand) and captures stdout, stderr and
 * the exit code.
 */
public final class Cli {
    private final Path home;

    public Cli(Path home) {
        this.home = home;
    }

    /** What one command printed and returned. */
    public record Result(int exit, String out, String err) {
        /** This result, or an AssertionError showing both streams when the command failed. */
        public Result ok() {
            if (exit != 0) {
                throw new AssertionError("expected success, got exit " + exit + "\nstdout: " + out + "\nstderr: " + err);
            }
            return this;
        }

        /** stdout with xfs_io's timing lines replaced, as fstests' {@code _filter_xfs_io} does. */
        public String filteredOut() {
            return out.replaceAll("(?m)^[0-9.]+ [A-Za-z]+, \\d+ ops; .*$",
                    "XXX Bytes, X ops; XX:XX:XX.X (XXX YYY/sec and XXX ops/sec)");
        }
    }

    /** Runs {@code pmemfs ARGS... --home HOME} (the home option goes last, after the leaf subcommand). */
    public Result run(String... args) {
        List<String> argv = new ArrayList<>(List.of(args));
        argv.add("--home");
        argv.add(home.toString());
        return runRaw(argv.toArray(String[]::new));
    }

    /** Runs exactly these arguments (no --home added). */
    public static Result runRaw(String... args) {
        InProcess.Result r = InProcess.run(args);
        return new Result(r.exit(), r.out(), r.err());
    }
}
