package dev.pmemfs.cli;

import picocli.CommandLine;

/** Entry point of the {@code pmemfs} launcher. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code; the one place failures become a message. */
    public static int run(String... args) {
        CommandLine cl = PmemfsCommand.commandLine();
        return cl.execute(args);
    }
}
