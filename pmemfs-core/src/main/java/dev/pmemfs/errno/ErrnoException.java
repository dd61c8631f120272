package dev.pmemfs.errno;

import java.util.Objects;

/**
 * A failed operation, reported the Linux way: an {@link Errno}, the operation that failed and a
 * detail naming what was involved (device, sector, path).
 *
 * <p>Checked, because every caller of a syscall-shaped method must decide what an errno means to it.
 */
public class ErrnoException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Errno errno;
    private final String op;

    public ErrnoException(Errno errno, String op, String detail) {
        super(message(errno, op, detail));
        this.errno = Objects.requireNonNull(errno, "errno");
        this.op = Objects.requireNonNull(op, "op");
    }

    public ErrnoException(Errno errno, String op, String detail, Throwable cause) {
        super(message(errno, op, detail), cause);
        this.errno = Objects.requireNonNull(errno, "errno");
        this.op = Objects.requireNonNull(op, "op");
    }

    public Errno errno() {
        return errno;
    }

    /** The operation, as a syscall or kernel function name ("pread", "clear_poison"). */
    public String op() {
        return op;
    }

    /** {@code op: strerror} exactly as xfs_io and perror print it. */
    public String perror() {
        return op + ": " + errno.text();
    }

    private static String message(Errno errno, String op, String detail) {
        String base = op + ": " + errno.text() + " (" + errno.name() + ")";
        return detail == null || detail.isEmpty() ? base : base + ": " + detail;
    }
}
