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
    private final Vfs vfs;
    private final Syscalls sys;

    private PmemfsMount(Namespace ns, Pmem pmem, Vfs vfs) {
        this.ns = ns;
        this.pmem = pmem;
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
            return new PmemfsMount(ns, pmem, new Vfs(fs, pmem.dax()));
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

    /** Root's syscalls on the mounted filesystem. */
    Syscalls sys() {
        return sys;
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
