package dev.pmemfs.recovery;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Fiemap;
import dev.pmemfs.vfs.Syscalls;
import java.util.ArrayList;
import java.util.List;

/**
 * The damaged file, open for writing in the caller's process for the length of one recovery: the
 * few file operations the strategies share.
 */
final class DamagedFile implements AutoCloseable {
    /** Zeros written per pwrite call: large enough to be cheap, small enough not to matter. */
    private static final byte[] ZEROS = new byte[1 << 20];

    final Syscalls sys;
    final int fd;
    final long size;

    private DamagedFile(Syscalls sys, int fd, long size) {
        this.sys = sys;
        this.fd = fd;
        this.size = size;
    }

    static DamagedFile openForWrite(RecoveryTarget t) throws ErrnoException {
        int fd = t.sys().open(t.path(), Syscalls.O_RDWR, 0);
        try {
            return new DamagedFile(t.sys(), fd, t.sys().fstat(fd).size());
        } catch (ErrnoException | RuntimeException e) {
            t.sys().close(fd);
            throw e;
        }
    }

    /** Writes zeros over {@code r}; a short write that makes no progress is an error (EIO). */
    void writeZeros(FileRange r) throws ErrnoException {
        long pos = r.offset();
        while (pos < r.end()) {
            int n = (int) Math.min(ZEROS.length, r.end() - pos);
            int done = sys.pwrite(fd, ZEROS, 0, n, pos);
            if (done <= 0) {
                throw new ErrnoException(Errno.EIO, "pwrite", "no progress writing zeros at offset " + pos);
            }
            pos += done;
        }
    }

    /** The parts of {@code r} that FIEMAP shows as written (mapped, not unwritten) data, with their device offsets. */
    List<Fiemap.Extent> writtenExtents(FileRange r) throws ErrnoException {
        Fiemap map = sys.fiemap(fd, r.offset(), r.length(), Fiemap.FIEMAP_FLAG_SYNC, Integer.MAX_VALUE / 64);
        List<Fiemap.Extent> out = new ArrayList<>();
        for (Fiemap.Extent e : map.extents()) {
            if (e.unwritten()) {
                continue;
            }
            long from = Math.max(r.offset(), e.logical());
            long to = Math.min(r.end(), e.end());
            if (from < to) {
                out.add(new Fiemap.Extent(from, e.physical() + (from - e.logical()), to - from, e.flags()));
            }
        }
        return out;
    }

    /** Physical placement of the file's bytes in {@code r}, to tell afterwards whether recovery moved them. */
    List<Fiemap.Extent> placement(FileRange r) throws ErrnoException {
        return sys.fiemap(fd, r.offset(), r.length(), Fiemap.FIEMAP_FLAG_SYNC, Integer.MAX_VALUE / 64).extents();
    }

    @Override
    public void close() throws ErrnoException {
        sys.close(fd);
    }
}
