package dev.pmemfs.study;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.fs.FsckReport;
import dev.pmemfs.fs.MkfsOptions;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.pmem.Pmem;
import dev.pmemfs.recovery.ClearAtUnmount;
import dev.pmemfs.recovery.RecoveryTarget;
import dev.pmemfs.stack.PmemStack;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.DeviceNodes;
import dev.pmemfs.vfs.Syscalls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A fresh namespace with a pmemfs on it, mounted under one kernel profile, for one strategy's run:
 * the processes of the workload's user and of root, the raw block device as a caller may open it, and
 * the administrator's offline clear (unmount, {@code ndctl clear-errors}, mount again). Closing it
 * unmounts, closes the namespace and deletes its image.
 */
final class Testbed implements AutoCloseable {
    /** The workload's user: owns the workload's files, has no capabilities. */
    static final Credentials OWNER = Credentials.user(1000, 1000);

    final Namespace ns;
    private final PmemStack stack;

    private Testbed(PmemStack stack) {
        this.stack = stack;
        this.ns = stack.namespace();
    }

    /** Creates a namespace of {@code size} bytes in {@code dir}, makes a filesystem and mounts it with {@code options}. */
    static Testbed create(Path dir, long size, MountOptions options) throws IOException, ErrnoException {
        return create(dir, size, MkfsOptions.DEFAULTS, options);
    }

    /** As {@link #create(Path, long, MountOptions)}, with mkfs's format options ({@code meta_replicas=2}). */
    static Testbed create(Path dir, long size, MkfsOptions mkfs, MountOptions options) throws IOException,
            ErrnoException {
        PmemStack s = PmemStack.temporary(dir, size).mkfs(mkfs).mountOptions(Objects.requireNonNull(options, "options"))
                .credentials(OWNER).build();
        Testbed t = new Testbed(s);
        try {
            Syscalls r = t.root();
            r.mkdir(WorkloadRun.DIR, 0755);
            r.chown(WorkloadRun.DIR, OWNER.uid(), OWNER.gid());
        } catch (ErrnoException | RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    boolean mounted() {
        return stack.mounted();
    }

    FileSystem fs() {
        return stack.fs();
    }

    Pmem pmem() {
        return stack.pmem();
    }

    /** The workload user's process (a new one after every remount). */
    Syscalls owner() {
        return stack.sys();
    }

    /** A root process on the current mount. */
    Syscalls root() {
        return stack.process(Credentials.ROOT);
    }

    /** What a strategy running as {@code cred} gets to repair {@code path}. */
    RecoveryTarget target(Credentials cred, String path) {
        Syscalls sys = cred.equals(OWNER) ? owner() : stack.process(cred);
        return new RecoveryTarget(sys, path, () -> DeviceNodes.open(stack.block(), cred, true), () -> clearOffline(cred));
    }

    /**
     * ndctl clear-errors with the filesystem unmounted: unmount, unbind the driver, clear every known
     * error, bind and mount again. A mount that fails (metadata the clear left as garbage) leaves the
     * testbed unmounted and throws.
     */
    private long clearOffline(Credentials cred) throws ErrnoException {
        ClearAtUnmount.requireAdmin(cred);
        return stack.clearErrorsOffline();
    }

    /** A clean unmount and a fresh mount, as at the next boot; a mount that fails leaves it unmounted and throws. */
    void remount() throws ErrnoException {
        stack.remount();
    }

    /**
     * fsck without repair of the current state: the mounted filesystem is synced first (syncfs) so the
     * media holds everything committed; an unmounted one is checked as it lies.
     */
    FsckReport fsck() throws ErrnoException {
        return stack.fsck(false);
    }

    @Override
    public void close() {
        try {
            stack.close();
        } catch (ErrnoException | RuntimeException e) {
            // The image is thrown away with it; an unclean unmount of it costs nothing.
        }
    }
}
