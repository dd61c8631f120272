package dev.pmemfs.recovery;

import dev.pmemfs.block.BlockHandle;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Syscalls;
import java.util.Objects;

/**
 * What a strategy may use to repair one file: the file through the caller's own process (its
 * credentials decide what is allowed), the raw block device as that caller could open it, and the
 * administrator's offline clear. The caller (CLI or study) owns the mount and supplies these.
 *
 * @param sys     the calling process
 * @param path    the damaged file
 * @param rawDevice opens {@code /dev/pmemN} for writing with the caller's credentials
 * @param offline takes the filesystem offline, clears every known media error of the namespace and
 *                brings it back; returns the process to use afterwards
 */
public record RecoveryTarget(Syscalls sys, String path, RawDevice rawDevice, OfflineClear offline) {
    public RecoveryTarget {
        Objects.requireNonNull(sys, "sys");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rawDevice, "rawDevice");
        Objects.requireNonNull(offline, "offline");
    }

    /** Opens the block device under the mounted filesystem for writing (EACCES without privilege). */
    @FunctionalInterface
    public interface RawDevice {
        BlockHandle openForWrite() throws ErrnoException;
    }

    /** ndctl clear-errors with the filesystem unmounted (EPERM unless the caller is an administrator). */
    @FunctionalInterface
    public interface OfflineClear {
        /** @return bytes of media errors cleared */
        long clearAllOffline() throws ErrnoException;
    }
}
