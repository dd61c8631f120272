package dev.pmemfs.cli.fs;

import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.Home;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceMode;
import dev.pmemfs.pmem.Pmem;
import dev.pmemfs.stack.PmemStack;
import dev.pmemfs.vfs.Vfs;
import java.io.IOException;

/**
 * A namespace opened by name, its driver attached and its filesystem mounted — with the options mkfs
 * stored, or those a command's {@code -o} gives over them — with the syscall layer on top; closing
 * unmounts and closes the image. What every command that works on files inside a namespace starts
 * with.
 */
public final class MountedNamespace implements AutoCloseable {
    private final PmemStack stack;

    private MountedNamespace(PmemStack stack) {
        this.stack = stack;
    }

    /**
     * The stack a mount process serves (bound while it runs a command sent over its control socket,
     * see cli/mount): {@link #open} of the same namespace answers it, {@link #close()} leaves it open.
     */
    public static final ScopedValue<MountedNamespace> SERVED = ScopedValue.newInstance();

    /** The served stack, when {@code name} is the namespace this process serves. */
    public static java.util.Optional<MountedNamespace> served(Home home, String name) throws UserException {
        if (!SERVED.isBound()) {
            return java.util.Optional.empty();
        }
        MountedNamespace m = SERVED.get();
        return m.namespace().image().toAbsolutePath().normalize().equals(home.imagePath(Home.idOf(name)).toAbsolutePath().normalize())
                ? java.util.Optional.of(m) : java.util.Optional.empty();
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
        java.util.Optional<MountedNamespace> served = served(home, name);
        if (served.isPresent()) {
            if (optionText != null && !optionText.isEmpty()) {
                throw new UserException(name + " is " + served.get().namespace().owner().purpose() + " with "
                        + served.get().options() + "; -o applies only to a namespace that is not mounted", ExitCodes.USAGE);
            }
            return served.get();
        }
        Namespace ns = home.open(name);
        if (ns.mode() == NamespaceMode.DEVDAX) {
            ns.close();
            throw new UserException(name + " is a devdax namespace and cannot hold a filesystem; reconfigure it "
                    + "with 'pmemfs ndctl create-namespace -f -e " + ns.name() + " -m fsdax'");
        }
        try {
            // The stack owns ns from here on: it closes it when a step fails.
            return new MountedNamespace(PmemStack.on(ns).mountOptions(optionText).build());
        } catch (IllegalArgumentException e) {
            throw new UserException(name + ": " + e.getMessage(), ExitCodes.USAGE);
        } catch (ErrnoException e) {
            throw notMountable(name, e);
        } catch (IOException e) {
            throw new UserException(name + ": cannot mount: " + e.getMessage());
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

    /** The whole stack under the mount. */
    public PmemStack stack() {
        return stack;
    }

    public Vfs vfs() {
        return stack.vfs();
    }

    /** The attached driver (dax device and block device under the filesystem). */
    public Pmem pmem() {
        return stack.pmem();
    }

    public Namespace namespace() {
        return stack.namespace();
    }

    /** The options this mount runs with. */
    public MountOptions options() {
        return stack.options();
    }

    /**
     * What an administrator does for "clear at unmount": unmount, take the namespace offline (driver
     * detached), run ndctl clear-errors' firmware clears, bring it back and mount again with the same
     * options. Every process handed out before is closed; ask {@link #vfs()} for a new one.
     *
     * @return bytes of media errors cleared
     */
    public long clearErrorsOffline() throws UserException, ErrnoException {
        if (SERVED.isBound() && SERVED.get() == this) {
            throw new UserException(stack.namespace().name() + " is " + stack.namespace().owner().purpose()
                    + ": clearing at unmount needs it offline; 'pmemfs umount' it first");
        }
        try {
            return stack.clearErrorsOffline();
        } catch (ErrnoException e) {
            throw notMountable(stack.namespace().name(), e);
        }
    }

    @Override
    public void close() throws ErrnoException {
        if (SERVED.isBound() && SERVED.get() == this) {
            return; // the mount process's stack: it closes it at unmount
        }
        stack.close();
    }
}
