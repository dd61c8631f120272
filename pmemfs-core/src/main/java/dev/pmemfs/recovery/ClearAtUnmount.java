package dev.pmemfs.recovery;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Credentials;

/**
 * Who may clear at unmount: taking a namespace offline for ndctl clear-errors is an administrator's
 * call. The clear itself, in the order that keeps it safe (unmount, unbind, clear, bind, mount), is
 * {@code PmemStack.clearErrorsOffline} (the stack layer), which the caller that owns the
 * stack hands to a strategy through {@link RecoveryTarget}.
 */
public final class ClearAtUnmount {
    private ClearAtUnmount() {}

    /** EPERM unless {@code cred} is an administrator's: taking a namespace offline is not a user's call. */
    public static void requireAdmin(Credentials cred) throws ErrnoException {
        if (cred.uid() != 0 && !cred.has(Credentials.Capability.CAP_SYS_ADMIN)) {
            throw new ErrnoException(Errno.EPERM, "clear-errors",
                    "taking a namespace offline to clear it needs an administrator (root or CAP_SYS_ADMIN)");
        }
    }
}
