package dev.pmemfs.recovery;

import dev.pmemfs.dax.Pmem;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.ClearErrors;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.Vfs;

/**
 * The administrator's part of clear at unmount, in the order that keeps it safe: unmount (every
 * descriptor closed, the journal checkpointed), unbind the driver (the namespace offline, as ndctl
 * requires before it sends Clear Uncorrectable Error), clear every known error of the data area, bind
 * the driver again. Mounting again is the caller's, with the options it runs.
 */
public final class ClearAtUnmount {
    private ClearAtUnmount() {}

    /** The driver bound again after the clear, and how many bytes of media errors were cleared. */
    public record Cleared(Pmem pmem, long bytes) {}

    /** EPERM unless {@code cred} is an administrator's: taking a namespace offline is not a user's call. */
    public static void requireAdmin(Credentials cred) throws ErrnoException {
        if (cred.uid() != 0 && !cred.has(Credentials.Capability.CAP_SYS_ADMIN)) {
            throw new ErrnoException(Errno.EPERM, "clear-errors",
                    "taking a namespace offline to clear it needs an administrator (root or CAP_SYS_ADMIN)");
        }
    }

    /** Unmounts {@code vfs}, unbinds {@code pmem}, clears {@code ns}, and binds a new driver. */
    public static Cleared run(Vfs vfs, Pmem pmem, Namespace ns) throws ErrnoException {
        vfs.close();
        pmem.detach();
        long bytes = ClearErrors.run(ns);
        return new Cleared(Pmem.attach(ns), bytes);
    }
}
