package dev.pmemfs.testing.fileops;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Fiemap;

/**
 * One open regular file that a {@link FileOp} sequence runs against: the syscall subset of
 * {@code vfs.Syscalls} on a single descriptor. Implemented by a real file on Linux XFS and by a
 * pmemfs file, so the same sequence can run on both and their answers be compared.
 */
public interface FileTarget extends AutoCloseable {
    /** Which filesystem this is ("xfs", "pmemfs"), for failure messages. */
    String name();

    int pwrite(byte[] buf, long pos) throws ErrnoException;

    /** Reads up to {@code buf.length} bytes at {@code pos}; returns the count (0 at or past EOF). */
    int pread(byte[] buf, long pos) throws ErrnoException;

    void ftruncate(long length) throws ErrnoException;

    void fallocate(int mode, long offset, long len) throws ErrnoException;

    long lseek(long offset, int whence) throws ErrnoException;

    Fiemap fiemap(long start, long length, int flags, int extentCount) throws ErrnoException;

    /** {@code fstat(fd).st_size}. */
    long size() throws ErrnoException;

    /**
     * Brings the file to the state in which SEEK_DATA/SEEK_HOLE and FIEMAP answer from the extent map
     * alone, as on a DAX file: see each implementation for what that takes.
     */
    void settle() throws ErrnoException;

    /** Closes the descriptor (the file itself stays). */
    @Override
    void close() throws ErrnoException;
}
