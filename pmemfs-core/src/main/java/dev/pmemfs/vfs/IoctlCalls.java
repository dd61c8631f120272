package dev.pmemfs.vfs;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.BlockOwner;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.fs.FileType;
import dev.pmemfs.fs.InodeAttr;
import dev.pmemfs.fs.SalvageResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The mapping ioctls of one process: FS_IOC_FIEMAP (fs/ioctl.c, {@code ioctl_fiemap}, with
 * {@code iomap_fiemap}'s block rounding) and pmemfs's own recovery ioctls on an open file (the
 * per-file badblocks query and PMEMFS_IOC_SALVAGE), which the FUSE mount and the Java provider expose.
 */
final class IoctlCalls {
    private final FileSystem fs;
    private final FdTable fds;

    IoctlCalls(FileSystem fs, FdTable fds) {
        this.fs = fs;
        this.fds = fds;
    }

    Fiemap fiemap(int fd, long start, long length, int flags, int extentCount) throws ErrnoException {
        OpenFile f = fds.get(fd, "ioctl(FS_IOC_FIEMAP)");
        FiemapFill.Request req = FiemapFill.check(start, length, flags, extentCount, fs.maxBytes());
        if ((flags & Fiemap.FIEMAP_FLAG_XATTR) != 0) {
            // The attribute fork: pmemfs stores no extended attributes, so it maps nothing.
            return new Fiemap(start, length, flags & ~Fiemap.FIEMAP_FLAG_XATTR, 0, List.of());
        }
        int bs = FileSystem.BLOCK_SIZE;
        long from = req.start() - req.start() % bs;
        // Rounded up to a block without overflowing: the last block of the largest file ends at 2^63.
        long to = req.end() > Long.MAX_VALUE - (bs - 1) ? Long.MAX_VALUE : (req.end() + bs - 1) / bs * bs;
        long len = to == Long.MAX_VALUE ? 0 : Math.max(to - from, bs); // 0: to the end of the file
        return FiemapFill.fill(req, length, fs.extents(f.ino(), from, len), bs);
    }

    List<Badblock> badblocks(int fd) throws ErrnoException {
        OpenFile f = fds.get(fd, "badblocks");
        int bs = FileSystem.BLOCK_SIZE;
        List<Long> offsets = new ArrayList<>();
        for (BlockOwner o : fs.badblockOwners()) {
            if (o instanceof BlockOwner.FileData d && d.ino() == f.ino()) {
                offsets.add(d.fileOffset() / bs * bs);
            }
        }
        offsets.sort(null);
        List<Badblock> out = new ArrayList<>();
        for (long off : offsets) {
            Badblock last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.end() >= off) {
                out.set(out.size() - 1, new Badblock(last.offset(), Math.max(last.end(), off + bs) - last.offset()));
            } else {
                out.add(new Badblock(off, bs));
            }
        }
        return out;
    }

    /**
     * PMEMFS_IOC_SALVAGE: an ioctl on a descriptor open for writing, checked as {@link ReadWriteCalls#fallocate}
     * checks a mode that changes data (EINVAL, EBADF, EPERM for append-only and immutable, EISDIR).
     */
    SalvageResult salvage(int fd, long offset, long len) throws ErrnoException {
        OpenFile f = fds.get(fd, "salvage");
        if (offset < 0 || len <= 0 || offset + len < offset) {
            throw new ErrnoException(Errno.EINVAL, "salvage", "offset " + offset + " length " + len);
        }
        if (!f.writable()) {
            throw new ErrnoException(Errno.EBADF, "salvage", "fd " + fd + " is not open for writing");
        }
        InodeAttr attr = fs.getattr(f.ino());
        if (attr.appendOnly()) {
            throw new ErrnoException(Errno.EPERM, "salvage", f.path() + " is append-only");
        }
        if (attr.immutable()) {
            throw new ErrnoException(Errno.EPERM, "salvage", f.path() + " is immutable");
        }
        if (attr.type() == FileType.DIRECTORY) {
            throw new ErrnoException(Errno.EISDIR, "salvage", f.path());
        }
        return fs.salvage(f.ino(), offset, len);
    }
}
