package dev.pmemfs.cli;

/**
 * Process exit codes. Device and filesystem errors exit with 1, bad usage with 2 (as ndctl and
 * xfs_io do for usage), fsck uses e2fsck's bit values (see the fsck command).
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    /** The namespace is owned by another process (sysexits' EX_TEMPFAIL: try again when it is free). */
    public static final int BUSY = 75;
    /** Internal error: a bug in pmemfs (the message says where to look). */
    public static final int SOFTWARE = 70;

    private ExitCodes() {}
}
