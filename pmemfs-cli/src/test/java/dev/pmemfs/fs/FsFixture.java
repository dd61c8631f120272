package dev.pmemfs.fs;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.pmem.Pmem;
import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Path;

/** A formatted and mounted pmemfs on a temporary namespace, for fs tests. */
final class FsFixture implements AutoCloseable {
    final Namespace ns;
    final DaxDevice dax;
    final BlockDevice bdev;
    FileSystem fs;

    FsFixture(Path dir, long size, MountOptions options) throws ErrnoException {
        this(dir, size, MkfsOptions.DEFAULTS, options);
    }

    FsFixture(Path dir, long size, MkfsOptions mkfs, MountOptions options) throws ErrnoException {
        ns = TestNamespaces.fsdax(dir, size);
        Pmem pmem = Pmem.attach(ns);
        dax = pmem.dax();
        bdev = pmem.block();
        PmemFs.mkfs(dax, bdev, mkfs);
        fs = PmemFs.mount(dax, bdev, options);
    }

    FsFixture(Path dir) throws ErrnoException {
        this(dir, 64 * TestNamespaces.MIB, MountOptions.DEFAULTS);
    }

    void remount() throws ErrnoException {
        MountOptions o = fs.options();
        fs.close();
        fs = PmemFs.mount(dax, bdev, o);
    }

    long create(String name) throws ErrnoException {
        return fs.create(fs.rootIno(), name, FileType.REGULAR, 0644, 0, 0);
    }

    static byte[] pattern(int len, int seed) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (seed + i * 31 + (i >> 12));
        }
        return b;
    }

    byte[] readAll(long ino) throws ErrnoException {
        int size = (int) fs.getattr(ino).size();
        byte[] b = new byte[size];
        int n = fs.read(ino, 0, b, 0, size);
        if (n != size) {
            throw new AssertionError("short read " + n + " of " + size);
        }
        return b;
    }

    @Override
    public void close() {
        try {
            fs.close();
        } catch (ErrnoException e) {
            throw new AssertionError(e);
        } finally {
            ns.close();
        }
    }
}
