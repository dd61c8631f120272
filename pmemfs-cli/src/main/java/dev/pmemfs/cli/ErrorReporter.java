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
        err.println(cmd + ": " + oneLine(line));
        if (System.getenv("PMEMFS_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    static int parameterError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandSpec().qualifiedName(" ") + ": " + oneLine(ex.getMessage())
                + " (see '" + cl.getCommandSpec().qualifiedName(" ") + " --help')");
        err.flush();
        return ExitCodes.USAGE;
    }

    /**
     * The message as one printable line: user input quoted in it may hold a newline or other control
     * characters, which would split the line or drive the terminal; they are shown escaped, as
     * {@code \n}, {@code \t} or {@code \xHH}.
     */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(message.length());
        message.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                        b.append(String.format("\\x%02x", c));
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.toString();
    }
}
