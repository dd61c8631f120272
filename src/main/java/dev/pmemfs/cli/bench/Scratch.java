package dev.pmemfs.cli.bench;

import dev.pmemfs.dax.Pmem;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.MkfsOptions;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.fs.PmemFs;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceConfig;
import dev.pmemfs.recovery.ClearAtUnmount;
import dev.pmemfs.vfs.Vfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A temporary namespace with a fresh, mounted pmemfs for one benchmark: the image is a sparse file in
 * {@code dir} (/dev/shm by default, so disk writeback stays out of the figures), deleted on close.
 */
final class Scratch implements AutoCloseable {
    final Namespace ns;
    final MountOptions options;
    Pmem pmem;
    Vfs vfs;
    private final Path image;

    private Scratch(Path image, Namespace ns, Pmem pmem, MountOptions options) {
        this.image = image;
        this.ns = ns;
        this.pmem = pmem;
        this.options = options;
    }

    static Scratch create(Path dir, long size, MountOptions options) throws IOException, ErrnoException {
        return create(dir, size, options, 0);
    }

    /** As {@link #create(Path, long, MountOptions)}, with room for {@code inodes} inodes (0: mkfs's default). */
    static Scratch create(Path dir, long size, MountOptions options, long inodes) throws IOException, ErrnoException {
        if (size % NamespaceConfig.ALIGN != 0) {
            throw new IllegalArgumentException("scratch size " + size + " is not a multiple of " + NamespaceConfig.ALIGN);
        }
        Path image = Files.createTempFile(dir, "pmemfs-bench-", ".img");
        Files.delete(image);
        Namespace ns = Namespace.create(image, NamespaceConfig.of(size));
        boolean ok = false;
        try {
            Pmem pmem = Pmem.attach(ns);
            PmemFs.mkfs(pmem.dax(), pmem.block(), new MkfsOptions(inodes, 0, options));
            Scratch s = new Scratch(image, ns, pmem, options);
            s.vfs = new Vfs(PmemFs.mount(pmem.dax(), pmem.block(), options), pmem.dax());
            ok = true;
            return s;
        } finally {
            if (!ok) {
                ns.close();
                Files.deleteIfExists(image);
            }
        }
    }

    /** Clear at unmount: unmount, detach, ndctl clear-errors, attach, mount again. */
    long clearErrorsOffline() throws ErrnoException {
        ClearAtUnmount.Cleared c = ClearAtUnmount.run(vfs, pmem, ns);
        pmem = c.pmem();
        vfs = new Vfs(PmemFs.mount(pmem.dax(), pmem.block(), options), pmem.dax());
        return c.bytes();
    }

    /** /dev/shm when there is one, else the temporary directory. */
    static Path defaultDir() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    @Override
    public void close() throws IOException, ErrnoException {
        try {
            vfs.close();
        } finally {
            try {
                ns.close();
            } finally {
                Files.deleteIfExists(image);
            }
        }
    }
}
