package dev.pmemfs.cli.fs;

import dev.pmemfs.cli.Home;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.dax.Pmem;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.PmemFs;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.vfs.Vfs;

/**
 * A namespace opened by name, its driver attached and its filesystem mounted with the options mkfs
 * stored, with the syscall layer on top; closing unmounts and closes the image. What every command
 * that works on files inside a namespace starts with.
 */
public final class MountedNamespace implements AutoCloseable {
    private final Namespace ns;
    private final Vfs vfs;

    private MountedNamespace(Namespace ns, Vfs vfs) {
        this.ns = ns;
        this.vfs = vfs;
    }

    public static MountedNamespace open(Home home, String name) throws UserException, ErrnoException {
        Namespace ns = home.open(name);
        boolean ok = false;
        try {
            Pmem pmem = Pmem.attach(ns);
            if (pmem.blockDevice().isEmpty()) {
                throw new UserException(name + " is a devdax namespace and cannot hold a filesystem; reconfigure it "
                        + "with 'pmemfs ndctl create-namespace -f -e " + ns.name() + " -m fsdax'");
            }
            Vfs vfs;
            try {
                vfs = new Vfs(PmemFs.mount(pmem.dax(), pmem.block(), null), pmem.dax());
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EUCLEAN) {
                    throw new UserException(name + ": cannot mount: " + e.getMessage());
                }
                throw e;
            }
            ok = true;
            return new MountedNamespace(ns, vfs);
        } finally {
            if (!ok) {
                ns.close();
            }
        }
    }

    public Vfs vfs() {
        return vfs;
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
