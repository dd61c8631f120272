package dev.pmemfs.vfs;

import static dev.pmemfs.vfs.InodePermission.MAY_WRITE;
import static dev.pmemfs.vfs.Syscalls.SEEK_CUR;
import static dev.pmemfs.vfs.Syscalls.SEEK_DATA;
import static dev.pmemfs.vfs.Syscalls.SEEK_END;
import static dev.pmemfs.vfs.Syscalls.SEEK_HOLE;
import static dev.pmemfs.vfs.Syscalls.SEEK_SET;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FallocateMode;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.fs.FileType;
import dev.pmemfs.fs.InodeAttr;
import dev.pmemfs.fs.SetAttr;
import java.util.Objects;

/**
 * The data system calls of one process: read/pread, write/pwrite, lseek (with SEEK_DATA/SEEK_HOLE),
 * truncate/ftruncate, fsync and fallocate, with the checks of fs/read_write.c ({@code rw_verify_area},
 * {@code generic_write_checks}), fs/open.c ({@code do_sys_ftruncate}, {@code vfs_fallocate}) and
 * fs/sync.c in Linux's order, then one call into the filesystem. The descriptor is looked up where
 * Linux looks it up, after the argument checks that come first (EINVAL before EBADF).
 */
final class ReadWriteCalls {
    private final FileSystem fs;
    private final Credentials cred;
    private final FdTable fds;
    private final AttributeCalls attrs;

    ReadWriteCalls(FileSystem fs, Credentials cred, FdTable fds, AttributeCalls attrs) {
        this.fs = fs;
        this.cred = cred;
        this.fds = fds;
        this.attrs = attrs;
    }

    int pread(int fd, byte[] buf, int off, int len, long pos) throws ErrnoException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (pos < 0) {
            throw new ErrnoException(Errno.EINVAL, "pread", "negative offset " + pos);
        }
        OpenFile f = fds.readable(fd, "pread");
        requireSeekable(f, "pread");
        return readAt(f, buf, off, len, pos, "pread");
    }

    int read(int fd, byte[] buf, int off, int len) throws ErrnoException {
        Objects.checkFromIndexSize(off, len, buf.length);
        OpenFile f = fds.readable(fd, "read");
        if (f.fifo() != null) {
            return f.fifo().read(buf, off, len, f.nonblock());
        }
        synchronized (f) {
            int n = readAt(f, buf, off, len, f.pos(), "read");
            f.setPos(f.pos() + n);
            return n;
        }
    }

    private int readAt(OpenFile f, byte[] buf, int off, int len, long pos, String op) throws ErrnoException {
        if (f.type() == FileType.CHAR_DEVICE) {
            return MemDevice.of(f.rdev()).read(buf, off, len);
        }
        if (fs.getattr(f.ino()).type() == FileType.DIRECTORY) {
            throw new ErrnoException(Errno.EISDIR, op, f.path());
        }
        if (len == 0) {
            return 0;
        }
        if (pos + len < 0) {
            throw new ErrnoException(Errno.EINVAL, op, "offset " + pos + " + count " + len + " overflows");
        }
        try {
            return fs.read(f.ino(), pos, buf, off, len);
        } finally {
            fs.accessed(f.ino()); // file_accessed, also after a failed read (xfs_file_dax_read)
        }
    }

    /** pread/pwrite/lseek on a FIFO: no FMODE_PREAD/FMODE_LSEEK. */
    private static void requireSeekable(OpenFile f, String op) throws ErrnoException {
        if (f.fifo() != null) {
            throw new ErrnoException(Errno.ESPIPE, op, f.path() + " is a FIFO");
        }
    }

    int pwrite(int fd, byte[] buf, int off, int len, long pos) throws ErrnoException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (pos < 0) {
            throw new ErrnoException(Errno.EINVAL, "pwrite", "negative offset " + pos);
        }
        OpenFile f = fds.writable(fd, "pwrite");
        requireSeekable(f, "pwrite");
        synchronized (f) {
            return writeAt(f, buf, off, len, pos, "pwrite");
        }
    }

    int write(int fd, byte[] buf, int off, int len) throws ErrnoException {
        Objects.checkFromIndexSize(off, len, buf.length);
        OpenFile f = fds.writable(fd, "write");
        if (f.fifo() != null) {
            return f.fifo().write(buf, off, len, f.nonblock());
        }
        synchronized (f) {
            long pos = f.append() ? fs.getattr(f.ino()).size() : f.pos();
            int n = writeAt(f, buf, off, len, pos, "write");
            f.setPos(pos + n);
            return n;
        }
    }

    /**
     * The write checks: {@code rw_verify_area} (a range overflowing loff_t is EINVAL); an immutable inode
     * is not checked again (XFS writes through a descriptor opened before chattr +i); O_APPEND writes at
     * EOF, also for pwrite (the Linux
     * behaviour pwrite(2) documents under BUGS); EFBIG at or past the maximum file size, shortened
     * before it; then setuid/setgid are dropped unless the writer has CAP_FSETID.
     */
    private int writeAt(OpenFile f, byte[] buf, int off, int len, long pos, String op) throws ErrnoException {
        if (f.type() == FileType.CHAR_DEVICE) {
            return MemDevice.of(f.rdev()).write(len);
        }
        // rw_verify_area: a range past the largest loff_t is EINVAL, before the filesystem sees it.
        if (len > 0 && pos + len < 0) {
            throw new ErrnoException(Errno.EINVAL, op, "offset " + pos + " + count " + len + " overflows loff_t");
        }
        // No immutable or append-only check here: XFS, like the VFS, checks them when a file is opened for
        // writing (may_open), so a descriptor opened before chattr +i / +a keeps writing (seen on XFS).
        InodeAttr attr = fs.getattr(f.ino());
        if (len == 0) {
            return 0;
        }
        if (f.append()) {
            pos = attr.size();
        }
        long max = fs.maxBytes();
        if (pos >= max) {
            throw new ErrnoException(Errno.EFBIG, op, "offset " + pos + " is at or past the maximum file size " + max);
        }
        int n = (int) Math.min(len, max - pos);
        attrs.removePrivs(attr);
        return fs.write(f.ino(), pos, buf, off, n);
    }

    long lseek(int fd, long offset, int whence) throws ErrnoException {
        OpenFile f = fds.get(fd, "lseek");
        requireSeekable(f, "lseek");
        if (f.type() == FileType.CHAR_DEVICE) {
            return 0; // null_lseek / the memory devices: every position is 0
        }
        synchronized (f) {
            long pos = switch (whence) {
                case SEEK_SET -> offset;
                case SEEK_CUR -> addOrInvalid(f.pos(), offset);
                case SEEK_END -> addOrInvalid(fs.getattr(f.ino()).size(), offset);
                case SEEK_DATA -> seekDataHole(f, offset, true);
                case SEEK_HOLE -> seekDataHole(f, offset, false);
                default -> throw new ErrnoException(Errno.EINVAL, "lseek", "whence " + whence);
            };
            if (pos < 0 || pos > fs.maxBytes()) {
                throw new ErrnoException(Errno.EINVAL, "lseek", "resulting offset " + pos + " out of range");
            }
            f.setPos(pos);
            return pos;
        }
    }

    private static long addOrInvalid(long a, long b) throws ErrnoException {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new ErrnoException(Errno.EINVAL, "lseek", a + " + " + b + " overflows");
        }
    }

    /** {@code iomap_seek_data}/{@code iomap_seek_hole}: ENXIO when the offset is negative or at/past EOF. */
    private long seekDataHole(OpenFile f, long offset, boolean data) throws ErrnoException {
        long size = fs.getattr(f.ino()).size();
        if (offset < 0 || offset >= size) {
            throw new ErrnoException(Errno.ENXIO, "lseek", (data ? "SEEK_DATA" : "SEEK_HOLE") + " from "
                    + offset + " with file size " + size);
        }
        return data ? fs.seekData(f.ino(), offset) : fs.seekHole(f.ino(), offset);
    }

    void ftruncate(int fd, long length) throws ErrnoException {
        if (length < 0) {
            throw new ErrnoException(Errno.EINVAL, "ftruncate", "negative length " + length);
        }
        OpenFile f = fds.get(fd, "ftruncate");
        InodeAttr attr = fs.getattr(f.ino());
        if (attr.type() != FileType.REGULAR || !f.writable()) {
            throw new ErrnoException(Errno.EINVAL, "ftruncate", "fd " + fd + " is not a regular file open for writing");
        }
        // do_sys_ftruncate refuses an append-only file; an immutable one is only refused at open (XFS
        // truncates it through a descriptor opened before chattr +i, as seen on XFS).
        if (attr.appendOnly()) {
            throw new ErrnoException(Errno.EPERM, "ftruncate", f.path() + " is append-only");
        }
        truncateLocked(attr, length, "ftruncate", true);
    }

    void truncate(String path, long length) throws ErrnoException {
        if (length < 0) {
            throw new ErrnoException(Errno.EINVAL, "truncate", "negative length " + length);
        }
        PathWalk w = PathWalk.walkFollow(fs, cred, path, "truncate");
        InodeAttr attr = fs.getattr(w.require(fs, "truncate"));
        if (attr.type() == FileType.DIRECTORY) {
            throw new ErrnoException(Errno.EISDIR, "truncate", path);
        }
        if (w.trailingSlash()) {
            throw new ErrnoException(Errno.ENOTDIR, "truncate", path + ": trailing slash on a non-directory");
        }
        InodePermission.require(cred, attr, MAY_WRITE, "truncate");
        if (attr.appendOnly()) {
            throw new ErrnoException(Errno.EPERM, "truncate", path + " is append-only");
        }
        if (attr.type() != FileType.REGULAR) {
            throw new ErrnoException(Errno.EINVAL, "truncate", path + " is not a regular file");
        }
        truncateLocked(attr, length, "truncate", false);
    }

    /**
     * {@code do_truncate}: EFBIG past the maximum size (inode_newsize_ok), privileges dropped, then the fs.
     * The size changing sets mtime and ctime (xfs_setattr_size); ftruncate(2) and O_TRUNC pass
     * ATTR_MTIME|ATTR_CTIME and so set them even when the size stays ({@code touch}).
     */
    void truncateLocked(InodeAttr attr, long length, String op, boolean touch) throws ErrnoException {
        if (length > fs.maxBytes()) {
            throw new ErrnoException(Errno.EFBIG, op, "length " + length + " exceeds the maximum file size "
                    + fs.maxBytes());
        }
        attrs.removePrivs(attr);
        fs.truncate(attr.ino(), length);
        if (touch || length != attr.size()) {
            fs.setattr(attr.ino(), SetAttr.times(null, SetAttr.NOW));
        }
    }

    void fsync(int fd) throws ErrnoException {
        OpenFile f = fds.get(fd, "fsync");
        if (f.type().special()) {
            throw new ErrnoException(Errno.EINVAL, "fsync", f.path() + " has no fsync (" + f.type() + ")");
        }
        fs.fsync(f.ino());
    }

    /**
     * {@code ksys_fallocate} then {@code vfs_fallocate} (reference §4.2): EBADF for a bad descriptor;
     * EINVAL for the range; the mode checks of {@link FallocateMode#of}; EBADF without write access;
     * EPERM for append-only (anything but preallocation) and immutable inodes; EISDIR; EFBIG; then
     * the filesystem (its own EINVAL/EOPNOTSUPP/ENOSPC).
     */
    void fallocate(int fd, int mode, long offset, long len) throws ErrnoException {
        OpenFile f = fds.get(fd, "fallocate");
        if (offset < 0 || len <= 0) {
            throw new ErrnoException(Errno.EINVAL, "fallocate", "offset " + offset + " length " + len);
        }
        FallocateMode m = FallocateMode.of(mode, fs.options());
        if (!f.writable()) {
            throw new ErrnoException(Errno.EBADF, "fallocate", "fd " + fd + " is not open for writing");
        }
        InodeAttr attr = fs.getattr(f.ino());
        if (m.beyondPreallocation() && attr.appendOnly()) {
            throw new ErrnoException(Errno.EPERM, "fallocate", f.path() + " is append-only");
        }
        if (attr.immutable()) {
            throw new ErrnoException(Errno.EPERM, "fallocate", f.path() + " is immutable");
        }
        if (attr.type() == FileType.FIFO) {
            throw new ErrnoException(Errno.ESPIPE, "fallocate", f.path() + " is a FIFO");
        }
        if (attr.type() == FileType.DIRECTORY) {
            throw new ErrnoException(Errno.EISDIR, "fallocate", f.path());
        }
        if (attr.type() != FileType.REGULAR) {
            throw new ErrnoException(Errno.ENODEV, "fallocate", f.path() + " is a " + attr.type());
        }
        long end = offset + len;
        if (end < 0 || end > fs.maxBytes()) {
            throw new ErrnoException(Errno.EFBIG, "fallocate", "offset " + offset + " + length " + len
                    + " exceeds the maximum file size " + fs.maxBytes());
        }
        fs.fallocate(f.ino(), m, offset, len);
        // xfs_file_fallocate calls file_modified(): every mode sets mtime and ctime.
        fs.setattr(f.ino(), SetAttr.times(null, SetAttr.NOW));
    }
}
