package dev.pmemfs.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs one {@code pmemfs} command line inside this JVM and captures what it printed: the demo's and the tests' runner. */
public final class InProcess {
    private InProcess() {}

    /** What one command printed and returned. */
    public record Result(int exit, String out, String err) {}

    /** Runs {@code args} on a new command line, as a new {@code pmemfs} process would. */
    public static Result run(String... args) {
        return new Runner().run(args);
    }

    /**
     * One configured command line for many runs, for callers that run hundreds of commands (building
     * the command tree is most of the cost of a short command). picocli resets every option and
     * parameter to its initial value before each parse, so runs do not see each other's arguments.
     */
    public static final class Runner {
        private final CommandLine cl = PmemfsCommand.commandLine();
        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();

        public Runner() {
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
        }

        public Result run(String... args) {
            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);
            int exit = cl.execute(args);
            cl.getOut().flush();
            cl.getErr().flush();
            return new Result(exit, out.toString(), err.toString());
        }
    }
}
