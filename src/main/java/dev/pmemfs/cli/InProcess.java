package dev.pmemfs.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs one {@code pmemfs} command line inside this JVM and captures what it printed: the demo's and the tests' runner. */
public final class InProcess {
    private InProcess() {}

    /** What one command printed and returned. */
    public record Result(int exit, String out, String err) {}

    public static Result run(String... args) {
        CommandLine cl = PmemfsCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
