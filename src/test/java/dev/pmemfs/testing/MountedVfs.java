package dev.pmemfs.testing;

import dev.pmemfs.dax.Pmem;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.fs.MkfsOptions;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.fs.PmemFs;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.Syscalls;
import dev.pmemfs.vfs.Vfs;
import java.nio.file.Path;

/**
 * A temporary fsdax namespace, formatted and mounted, with the syscall layer on top: the whole stack a
 * vfs or scenario test drives. Closing unmounts and closes the namespace; the image lives in the
 * caller's {@code @TempDir}.
 */
public final class MountedVfs implements AutoCloseable {
    /** Linux's behaviour: ZERO_RANGE makes unwritten extents (what fstests' golden outputs expect). */
    public static final MountOptions LINUX = new MountOptions(true, MountOptions.ZeroRange.UNWRITTEN, true);

    public final Namespace ns;
    public final Pmem pmem;
    public final Vfs vfs;

    public MountedVfs(Path dir, long size, MountOptions options) throws ErrnoException {
        ns = TestNamespaces.fsdax(dir, size);
        boolean ok = false;
        try {
            pmem = Pmem.attach(ns);
            PmemFs.mkfs(pmem.dax(), pmem.block(), MkfsOptions.DEFAULTS);
            vfs = new Vfs(PmemFs.mount(pmem.dax(), pmem.block(), options), pmem.dax());
            ok = true;
        } finally {
            if (!ok) {
                ns.close();
            }
        }
    }

    public MountedVfs(Path dir) throws ErrnoException {
        this(dir, 64 * TestNamespaces.MIB, MountOptions.DEFAULTS);
    }

    public FileSystem fs() {
        return vfs.fileSystem();
    }

    /** A root process (uid 0, every capability). */
    public Syscalls root() {
        return vfs.process(Credentials.ROOT);
    }

    public Syscalls user(int uid, int gid) {
        return vfs.process(Credentials.user(uid, gid));
    }

    @Override
    public void close() throws ErrnoException {
        try {
            vfs.close();
        } finally {
            ns.close();
        }
    }
}
