package dev.pmemfs.fs;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.ArrayList;
import java.util.List;

/**
 * The file map as callers see it, read-only: the extents for FIEMAP (iomap_fiemap over
 * xfs_read_iomap_ops) and SEEK_DATA / SEEK_HOLE (iomap_seek_data / iomap_seek_hole; reference §4.6).
 * Unwritten extents count as holes for seeking, as under DAX there is no page cache to hold data.
 */
final class FileMap {
    private static final int PAGE = FileIo.PAGE;

    private final Volume vol;

    FileMap(Volume vol) {
        this.vol = vol;
    }

    List<FileExtent> extents(Inode in, long start, long len) {
        in.rwsem.readLock().lock();
        // A directory's map grows under the transaction lock alone (namespace operations).
        vol.txLock.lock();
        try {
            long end = len <= 0 || start + len < 0 ? Long.MAX_VALUE : start + len;
            long from = start / PAGE;
            long to = end == Long.MAX_VALUE ? Long.MAX_VALUE : Math.ceilDiv(end, PAGE);
            List<FileExtent> out = new ArrayList<>();
            Extent first = in.extents.find(from);
            long fb = first != null ? first.fileBlock() : from;
            for (Extent x : in.extents.overlapping(fb, to)) {
                Extent whole = in.extents.find(x.fileBlock());
                if (!out.isEmpty() && out.get(out.size() - 1).logical() == FileIo.byteOf(whole.fileBlock())) {
                    continue;
                }
                out.add(new FileExtent(FileIo.byteOf(whole.fileBlock()), whole.devBlock() * PAGE, whole.count() * PAGE,
                        whole.unwritten()));
            }
            return out;
        } finally {
            vol.txLock.unlock();
            in.rwsem.readLock().unlock();
        }
    }

    /** SEEK_DATA: unwritten extents count as holes (no page cache under DAX, as iomap_seek_data). */
    long seekData(Inode in, long pos) throws ErrnoException {
        in.rwsem.readLock().lock();
        try {
            if (pos < 0 || pos >= in.size) {
                throw new ErrnoException(Errno.ENXIO, "lseek", "offset " + pos + " at or beyond EOF " + in.size);
            }
            long fb = pos / PAGE;
            while (true) {
                Extent x = in.extents.find(fb);
                if (x == null) {
                    x = in.extents.nextAfter(fb);
                    if (x == null) {
                        break;
                    }
                }
                if (!x.unwritten()) {
                    long r = Math.max(pos, FileIo.byteOf(x.fileBlock()));
                    if (r < in.size) {
                        return r;
                    }
                    break;
                }
                fb = x.end();
            }
            throw new ErrnoException(Errno.ENXIO, "lseek", "no data at or after offset " + pos);
        } finally {
            in.rwsem.readLock().unlock();
        }
    }

    long seekHole(Inode in, long pos) throws ErrnoException {
        in.rwsem.readLock().lock();
        try {
            if (pos < 0 || pos >= in.size) {
                throw new ErrnoException(Errno.ENXIO, "lseek", "offset " + pos + " at or beyond EOF " + in.size);
            }
            long fb = pos / PAGE;
            while (true) {
                Extent x = in.extents.find(fb);
                if (x == null || x.unwritten()) {
                    return Math.min(in.size, Math.max(pos, FileIo.byteOf(fb)));
                }
                fb = x.end();
                if (FileIo.byteOf(fb) >= in.size) {
                    return in.size;
                }
            }
        } finally {
            in.rwsem.readLock().unlock();
        }
    }
}
