package dev.pmemfs.dax;

import dev.pmemfs.errno.ErrnoException;

/**
 * The holder of a dax device (a mounted filesystem), told when a load consumed poison.
 *
 * <p>Mirrors {@code struct dax_holder_operations.notify_failure}; the driver calls up through this
 * interface so that it never depends on the filesystem (reference §7.2).
 */
@FunctionalInterface
public interface DaxHolder {
    /** MF_* flag: the consuming task must be killed (SIGBUS BUS_MCEERR_AR). */
    int MF_ACTION_REQUIRED = 1 << 0;
    /** MF_* flag: the failure was injected by software (MADV_HWPOISON). */
    int MF_SW_SIMULATED = 1 << 5;
    /** MF_* flag: the whole device is going away. */
    int MF_MEM_PRE_REMOVE = 1 << 6;

    /**
     * @param offset byte offset of the failed range within the dax device (data area)
     * @param len    length in bytes (whole pages)
     * @param mfFlags MF_* flags
     */
    void notifyFailure(long offset, long len, int mfFlags) throws ErrnoException;
}
