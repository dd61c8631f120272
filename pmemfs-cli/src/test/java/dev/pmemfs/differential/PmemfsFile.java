package dev.pmemfs.differential;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.testing.fileops.FileTarget;
import dev.pmemfs.vfs.Fiemap;
import dev.pmemfs.vfs.Syscalls;
import java.util.Objects;

/** A pmemfs file driven through the {@code vfs.Syscalls} contract, as one side of a differential test. */
final class PmemfsFile implements FileTarget {
    private final Syscalls sys;
    private final String path;
    private int fd;

    private PmemfsFile(Syscalls sys, String path, int fd) {
        this.sys = sys;
        this.path = path;
        this.fd = fd;
    }

    /** Creates {@code path} (O_EXCL) and opens it read-write, as {@code NativeFile.create} does on XFS. */
    static PmemfsFile create(Syscalls sys, String path) throws ErrnoException {
        Objects.requireNonNull(sys, "sys");
        int fd = sys.open(path, Syscalls.O_RDWR | Syscalls.O_CREAT | Syscalls.O_EXCL, 0644);
        return new PmemfsFile(sys, path, fd);
    }

    /** Opens the existing {@code path} read-write. */
    static PmemfsFile open(Syscalls sys, String path) throws ErrnoException {
        Objects.requireNonNull(sys, "sys");
        return new PmemfsFile(sys, path, sys.open(path, Syscalls.O_RDWR, 0));
    }

    String path() {
        return path;
    }

    @Override
    public String name() {
        return "pmemfs";
    }

    @Override
    public int pwrite(byte[] buf, long pos) throws ErrnoException {
        return sys.pwrite(fd(), buf, 0, buf.length, pos);
    }

    @Override
    public int pread(byte[] buf, long pos) throws ErrnoException {
        return sys.pread(fd(), buf, 0, buf.length, pos);
    }

    @Override
    public void ftruncate(long length) throws ErrnoException {
        sys.ftruncate(fd(), length);
    }

    @Override
    public void fallocate(int mode, long offset, long len) throws ErrnoException {
        sys.fallocate(fd(), mode, offset, len);
    }

    @Override
    public long lseek(long offset, int whence) throws ErrnoException {
        return sys.lseek(fd(), offset, whence);
    }

    @Override
    public Fiemap fiemap(long start, long length, int flags, int extentCount) throws ErrnoException {
        return sys.fiemap(fd(), start, length, flags, extentCount);
    }

    @Override
    public long size() throws ErrnoException {
        return sys.fstat(fd()).size();
    }

    /**
     * Nothing to do: pmemfs is DAX, with no page cache and no delayed allocation, so its extent map is
     * final after every call. (Calling fsync here would hide a map that is only right after fsync.)
     */
    @Override
    public void settle() {
    }

    @Override
    public void close() throws ErrnoException {
        if (fd >= 0) {
            int old = fd;
            fd = -1;
            sys.close(old);
        }
    }

    private int fd() {
        if (fd < 0) {
            throw new IllegalStateException(path + " is closed");
        }
        return fd;
    }
}
