package dev.pmemfs.differential;

import dev.pmemfs.dax.Pmem;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.fs.MkfsOptions;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.fs.PmemFs;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.testing.TestNamespaces;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.Syscalls;
import dev.pmemfs.vfs.Vfs;
import java.nio.file.Path;

/**
 * A freshly made pmemfs for the pmemfs side of a differential test: a temporary fsdax namespace, the
 * pmem driver attached, mkfs, a mount with the given options, and root's syscalls. {@link #close}
 * unmounts, detaches and closes the namespace (its image lives in the caller's temporary directory).
 */
final class PmemfsMount implements AutoCloseable {
    /** What Linux does: recovery write (5.19+) on, ZERO_RANGE makes unwritten extents, ZEROINIT mode available. */
    static final MountOptions LINUX_BEHAVIOUR = new MountOptions(true, MountOptions.ZeroRange.UNWRITTEN, true);

    private final Namespace ns;
    private final Pmem pmem;
    private final MountOptions options;
    private Vfs vfs;
    private Syscalls sys;

    private PmemfsMount(Namespace ns, Pmem pmem, MountOptions options, Vfs vfs) {
        this.ns = ns;
        this.pmem = pmem;
        this.options = options;
        this.vfs = vfs;
        this.sys = vfs.process(Credentials.ROOT);
    }

    static PmemfsMount create(Path dir, long size, MountOptions options) throws ErrnoException {
        Namespace ns = TestNamespaces.fsdax(dir, size);
        Pmem pmem = null;
        try {
            pmem = Pmem.attach(ns);
            PmemFs.mkfs(pmem.dax(), pmem.block(), MkfsOptions.DEFAULTS);
            FileSystem fs = PmemFs.mount(pmem.dax(), pmem.block(), options);
            return new PmemfsMount(ns, pmem, options, new Vfs(fs, pmem.dax()));
        } catch (ErrnoException | RuntimeException e) {
            try {
                if (pmem != null) {
                    pmem.detach();
                }
            } catch (ErrnoException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            } finally {
                ns.close();
            }
            throw e;
        }
    }

    /** Root's syscalls on the mounted filesystem (a new process after each {@link #remount}). */
    Syscalls sys() {
        return sys;
    }

    /**
     * Unmounts cleanly (closing every descriptor) and mounts the same device again with the same
     * options, so what is read afterwards is what pmemfs made durable.
     */
    void remount() throws ErrnoException {
        vfs.close();
        FileSystem fs = PmemFs.mount(pmem.dax(), pmem.block(), options);
        vfs = new Vfs(fs, pmem.dax());
        sys = vfs.process(Credentials.ROOT);
    }

    @Override
    public void close() throws ErrnoException {
        try {
            vfs.close();
        } finally {
            try {
                pmem.detach();
            } finally {
                ns.close();
            }
        }
    }
}
