package dev.pmemfs.cli;

/**
 * A failure to report to the user as one line, with its exit code: what failed, where, why and what
 * to do, already phrased for a person.
 */
public final class UserException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public UserException(String message) {
        this(message, ExitCodes.FAILURE);
    }

    public UserException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
