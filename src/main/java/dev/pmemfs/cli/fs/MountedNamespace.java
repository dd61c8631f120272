package dev.pmemfs.cli.fs;

import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.Home;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.dax.Pmem;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.fs.PmemFs;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.recovery.ClearAtUnmount;
import dev.pmemfs.vfs.Vfs;

/**
 * A namespace opened by name, its driver attached and its filesystem mounted — with the options mkfs
 * stored, or those a command's {@code -o} gives over them — with the syscall layer on top; closing
 * unmounts and closes the image. What every command that works on files inside a namespace starts
 * with.
 */
public final class MountedNamespace implements AutoCloseable {
    private final Namespace ns;
    private final MountOptions options;
    private Pmem pmem;
    private Vfs vfs;

    private MountedNamespace(Namespace ns, MountOptions options) {
        this.ns = ns;
        this.options = options;
    }

    /** Mounts with the options stored in the superblock. */
    public static MountedNamespace open(Home home, String name) throws UserException, ErrnoException {
        return open(home, name, null);
    }

    /**
     * Mounts with {@code optionText} (mount-option text such as {@code "linux-5.15"} or
     * {@code "recovery_write=off"}) applied over the stored defaults; null or empty keeps the defaults.
     */
    public static MountedNamespace open(Home home, String name, String optionText) throws UserException, ErrnoException {
        Namespace ns = home.open(name);
        boolean ok = false;
        try {
            Pmem pmem = Pmem.attach(ns);
            if (pmem.blockDevice().isEmpty()) {
                throw new UserException(name + " is a devdax namespace and cannot hold a filesystem; reconfigure it "
                        + "with 'pmemfs ndctl create-namespace -f -e " + ns.name() + " -m fsdax'");
            }
            MountOptions options;
            try {
                options = MountOptions.parse(optionText, PmemFs.storedDefaults(pmem.dax()));
            } catch (IllegalArgumentException e) {
                throw new UserException(name + ": " + e.getMessage(), ExitCodes.USAGE);
            } catch (ErrnoException e) {
                throw notMountable(name, e);
            }
            MountedNamespace m = new MountedNamespace(ns, options);
            m.mount(pmem);
            ok = true;
            return m;
        } finally {
            if (!ok) {
                ns.close();
            }
        }
    }

    private void mount(Pmem p) throws UserException, ErrnoException {
        try {
            this.vfs = new Vfs(PmemFs.mount(p.dax(), p.block(), options), p.dax());
            this.pmem = p;
        } catch (ErrnoException e) {
            throw notMountable(ns.name(), e);
        }
    }

    private static ErrnoException notMountable(String name, ErrnoException e) throws UserException {
        if (e.errno() == Errno.EUCLEAN) {
            throw new UserException(name + ": cannot mount: " + e.getMessage() + "; run 'pmemfs fsck " + name + "'");
        }
        if (e.errno() == Errno.EIO) {
            throw new UserException(name + ": cannot mount: " + e.getMessage() + "; the metadata mount needs is poisoned: "
                    + "clear it offline with 'pmemfs ndctl clear-errors " + name + "' (admin), then 'pmemfs fsck "
                    + name + " --repair'");
        }
        return e;
    }

    public Vfs vfs() {
        return vfs;
    }

    /** The attached driver (dax device and block device under the filesystem). */
    public Pmem pmem() {
        return pmem;
    }

    public Namespace namespace() {
        return ns;
    }

    /** The options this mount runs with. */
    public MountOptions options() {
        return options;
    }

    /**
     * What an administrator does for "clear at unmount": unmount, take the namespace offline (driver
     * detached), run ndctl clear-errors' firmware clears, bring it back and mount again with the same
     * options. Every process handed out before is closed; ask {@link #vfs()} for a new one.
     *
     * @return bytes of media errors cleared
     */
    public long clearErrorsOffline() throws UserException, ErrnoException {
        ClearAtUnmount.Cleared c = ClearAtUnmount.run(vfs, pmem, ns);
        mount(c.pmem());
        return c.bytes();
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
