package dev.pmemfs.testing;

import dev.pmemfs.cli.PmemfsCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code pmemfs} command lines in-process against a home directory, capturing stdout and stderr. */
public final class Cli {
    private final Path home;

    public Cli(Path home) {
        this.home = home;
    }

    /** What one command printed and returned. */
    public record Result(int exit, String out, String err) {
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
        CommandLine cl = PmemfsCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(argv.toArray(String[]::new));
        return new Result(exit, out.toString(), err.toString());
    }
}
