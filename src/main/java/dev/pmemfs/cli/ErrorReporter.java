package dev.pmemfs.cli;

import dev.pmemfs.errno.ErrnoException;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one catch site of the CLI: turns any failure into a single line on stderr ("pmemfs: what: why")
 * and an exit code. Never prints a stack trace unless PMEMFS_DEBUG is set.
 */
public final class ErrorReporter implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        String cmd = cl.getCommandSpec().qualifiedName(" ");
        int code;
        String line;
        if (ex instanceof UserException u) {
            line = u.getMessage();
            code = u.exitCode();
        } else if (ex instanceof ErrnoException e) {
            line = e.getMessage();
            code = ExitCodes.FAILURE; // the message carries the errno, as ndctl and xfs_io exit 1
        } else if (ex instanceof IOException e) {
            line = "I/O error: " + e.getMessage();
            code = ExitCodes.FAILURE;
        } else {
            line = "internal error (" + ex + "); please report it with the command line";
            code = ExitCodes.SOFTWARE;
        }
        err.println(cmd + ": " + line);
        if (System.getenv("PMEMFS_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    static int parameterError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandSpec().qualifiedName(" ") + ": " + ex.getMessage()
                + " (see '" + cl.getCommandSpec().qualifiedName(" ") + " --help')");
        err.flush();
        return ExitCodes.USAGE;
    }
}
