package dev.pmemfs.cli.io;

/**
 * The process died of a signal (SIGBUS from consumed poison): no further command runs, and the exit
 * status is 128 + the signal number, as a shell reports a killed xfs_io.
 */
final class SignalDeath extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final int SIGBUS = 7;
    private final int signal;

    SignalDeath(int signal, String message) {
        super(message);
        this.signal = signal;
    }

    int exitStatus() {
        return 128 + signal;
    }
}
