package dev.pmemfs.study;

import dev.pmemfs.dax.Pmem;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.fs.Fsck;
import dev.pmemfs.fs.FsckReport;
import dev.pmemfs.fs.MkfsOptions;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.fs.PmemFs;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceConfig;
import dev.pmemfs.recovery.ClearAtUnmount;
import dev.pmemfs.recovery.RecoveryTarget;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.DeviceNodes;
import dev.pmemfs.vfs.Syscalls;
import dev.pmemfs.vfs.Vfs;
import java.io.IOException;
import java.nio.file.Files;
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
    private final Path image;
    private final MountOptions options;
    private Pmem pmem;
    private Vfs vfs;
    private Syscalls owner;
    private Syscalls root;

    private Testbed(Namespace ns, Path image, MountOptions options) {
        this.ns = ns;
        this.image = image;
        this.options = options;
    }

    /** Creates a namespace of {@code size} bytes in {@code dir}, makes a filesystem and mounts it with {@code options}. */
    static Testbed create(Path dir, long size, MountOptions options) throws IOException, ErrnoException {
        Path image = dir.resolve("namespace0.0-" + System.nanoTime() + ".img");
        Namespace ns = Namespace.create(image, NamespaceConfig.of(size));
        Testbed t = new Testbed(ns, image, Objects.requireNonNull(options, "options"));
        try {
            t.pmem = Pmem.attach(ns);
            PmemFs.mkfs(t.pmem.dax(), t.pmem.block(), MkfsOptions.DEFAULTS);
            t.mount();
            Syscalls r = t.root();
            r.mkdir(WorkloadRun.DIR, 0755);
            r.chown(WorkloadRun.DIR, OWNER.uid(), OWNER.gid());
        } catch (ErrnoException | RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    private void mount() throws ErrnoException {
        FileSystem fs = PmemFs.mount(pmem.dax(), pmem.block(), options);
        vfs = new Vfs(fs, pmem.dax());
        owner = vfs.process(OWNER);
        root = vfs.process(Credentials.ROOT);
    }

    boolean mounted() {
        return vfs != null;
    }

    FileSystem fs() {
        requireMounted();
        return vfs.fileSystem();
    }

    Pmem pmem() {
        return pmem;
    }

    /** The workload user's process (a new one after every remount). */
    Syscalls owner() {
        requireMounted();
        return owner;
    }

    Syscalls root() {
        requireMounted();
        return root;
    }

    private void requireMounted() {
        if (vfs == null) {
            throw new IllegalStateException("the filesystem on " + ns.name() + " is not mounted");
        }
    }

    /** What a strategy running as {@code cred} gets to repair {@code path}. */
    RecoveryTarget target(Credentials cred, String path) {
        Syscalls sys = cred.equals(OWNER) ? owner() : vfs.process(cred);
        return new RecoveryTarget(sys, path, () -> DeviceNodes.open(pmem.block(), cred, true), () -> clearOffline(cred));
    }

    /**
     * ndctl clear-errors with the filesystem unmounted: unmount, unbind the driver, clear every known
     * error, bind and mount again. A mount that fails (metadata the clear left as garbage) leaves the
     * testbed unmounted and throws.
     */
    private long clearOffline(Credentials cred) throws ErrnoException {
        ClearAtUnmount.requireAdmin(cred);
        requireMounted();
        ClearAtUnmount.Cleared c = ClearAtUnmount.run(vfs, pmem, ns);
        unmount(); // forget the processes of the mount that is gone
        pmem = c.pmem();
        mount();
        return c.bytes();
    }

    /** A clean unmount and a fresh mount, as at the next boot; a mount that fails leaves it unmounted and throws. */
    void remount() throws ErrnoException {
        unmount();
        mount();
    }

    private void unmount() throws ErrnoException {
        Vfs v = vfs;
        vfs = null;
        owner = null;
        root = null;
        if (v != null) {
            v.close();
        }
    }

    /**
     * fsck without repair of the current state: the mounted filesystem is synced first (syncfs) so the
     * media holds everything committed; an unmounted one is checked as it lies.
     */
    FsckReport fsck() throws ErrnoException {
        if (vfs != null) {
            vfs.fileSystem().syncfs();
        }
        return Fsck.check(pmem.dax(), pmem.block(), false);
    }

    @Override
    public void close() {
        try {
            unmount();
        } catch (ErrnoException | RuntimeException e) {
            // The image is thrown away next; an unclean unmount of it costs nothing.
        } finally {
            ns.close();
            try {
                Files.deleteIfExists(image);
            } catch (IOException e) {
                image.toFile().deleteOnExit();
            }
        }
    }
}
