package dev.pmemfs.cli.device;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.cli.Home;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.pmem.Pmem;

/** A namespace opened by name with its driver attached, for one {@code dev} command. */
final class Device implements AutoCloseable {
    final Namespace ns;
    final BlockDevice bdev;

    private Device(Namespace ns, BlockDevice bdev) {
        this.ns = ns;
        this.bdev = bdev;
    }

    static Device open(Home home, String name) throws UserException, ErrnoException {
        java.util.Optional<dev.pmemfs.cli.fs.MountedNamespace> served = dev.pmemfs.cli.fs.MountedNamespace.served(home, name);
        if (served.isPresent()) {
            return new Device(served.get().namespace(), served.get().pmem().block()); // the mount's driver; close is a no-op
        }
        Namespace ns = home.open(name);
        Pmem pmem;
        try {
            pmem = Pmem.probe(ns);
        } catch (ErrnoException e) {
            ns.close();
            throw e;
        }
        if (pmem.blockDevice().isEmpty()) {
            ns.close();
            throw new UserException(name + " is a devdax namespace: it has no block device (only /dev/" + ns.chardevName() + ")");
        }
        return new Device(ns, pmem.block());
    }

    @Override
    public void close() {
        ns.close();
    }
}
