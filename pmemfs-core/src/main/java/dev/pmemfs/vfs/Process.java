package dev.pmemfs.vfs;

import static dev.pmemfs.vfs.InodePermission.MAY_EXEC;
import static dev.pmemfs.vfs.InodePermission.MAY_READ;
import static dev.pmemfs.vfs.InodePermission.MAY_WRITE;

import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.BlockOwner;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.fs.FallocateMode;
import dev.pmemfs.fs.FileType;
import dev.pmemfs.fs.InodeAttr;
import dev.pmemfs.fs.SalvageResult;
import dev.pmemfs.fs.StatFs;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One process: credentials plus a descriptor table, serving the system calls of {@link Syscalls} with
 * the checks of fs/open.c, fs/read_write.c, fs/ioctl.c and mm/mmap.c in Linux's order, then one call
 * into the filesystem; attribute calls go to {@link AttributeCalls}, directory calls to
 * {@link DirectoryCalls}.
 */
final class Process implements Syscalls {
    private static final int PAGE_SIZE = DaxDevice.PAGE_SIZE;

    private final FileSystem fs;
    private final DaxDevice dax;
    private final Credentials cred;
    private final FdTable fds = new FdTable();
    private final AttributeCalls attrs;
    private final DirectoryCalls dirs;
    private final java.util.function.Consumer<Process> onExit;
    private final java.util.concurrent.ConcurrentHashMap<Long, Fifo> fifos;

    /**
     * @param onExit told when the process closes, so its owner stops tracking it
     * @param fifos the mount's pipes of open FIFOs, by inode
     */
    Process(FileSystem fs, DaxDevice dax, Credentials cred, java.util.function.Consumer<Process> onExit,
            java.util.concurrent.ConcurrentHashMap<Long, Fifo> fifos) {
        this.fifos = fifos;
        this.fs = fs;
        this.dax = dax;
        this.cred = cred;
        this.onExit = onExit;
        this.attrs = new AttributeCalls(fs, cred);
        this.dirs = new DirectoryCalls(fs, cred);
    }

    @Override
    public Credentials credentials() {
        return cred;
    }

    // ---- open / close ----

    /**
     * open(2) ({@code path_openat}): the walk; a final symlink is followed unless O_NOFOLLOW (ELOOP) or
     * O_CREAT|O_EXCL (EEXIST on the link itself); O_CREAT creates the target of a dangling link;
     * {@code may_open}; then the file's open method: a regular file or directory, a FIFO's pipe, the
     * memory devices null/zero/full (1:3, 1:5, 1:7); other device numbers and sockets are ENXIO, as
     * a device without a driver and {@code no_open} are.
     */
    @Override
    public int open(String path, int flags, int mode) throws ErrnoException {
        Objects.requireNonNull(path, "path");
        fds.requireFree();
        PathWalk w = PathWalk.walk(fs, cred, path, "open");
        boolean excl = (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
        if (w.lastIsSymlink(fs)) {
            if (excl) {
                throw new ErrnoException(Errno.EEXIST, "open", path + " is a symlink (O_CREAT|O_EXCL)");
            }
            if ((flags & O_NOFOLLOW) != 0) {
                throw new ErrnoException(Errno.ELOOP, "open", path + " is a symlink (O_NOFOLLOW)");
            }
            w = w.resolved(fs, cred, "open");
        }
        OptionalLong found = w.lookup(fs);
        boolean created = false;
        long ino;
        if ((flags & O_CREAT) != 0) {
            if (w.last() != PathWalk.Last.NORM || w.trailingSlash()) {
                throw new ErrnoException(Errno.EISDIR, "open", path + ": O_CREAT on a directory name");
            }
            if (found.isPresent()) {
                if ((flags & O_EXCL) != 0) {
                    throw new ErrnoException(Errno.EEXIST, "open", path);
                }
                ino = found.getAsLong();
                if (fs.getattr(ino).type() == FileType.DIRECTORY) {
                    throw new ErrnoException(Errno.EISDIR, "open", path + ": O_CREAT on a directory");
                }
            } else {
                InodePermission.require(cred, w.dirAttr(), MAY_WRITE | MAY_EXEC, "open");
                ino = fs.create(w.dirIno(), w.name(), FileType.REGULAR, mode & 07777, cred.uid(), cred.gid());
                created = true;
            }
        } else {
            if (found.isEmpty()) {
                throw new ErrnoException(Errno.ENOENT, "open", path);
            }
            ino = found.getAsLong();
        }
        InodeAttr attr = fs.getattr(ino);
        boolean dir = attr.type() == FileType.DIRECTORY;
        if (!dir && w.trailingSlash()) {
            throw new ErrnoException(Errno.ENOTDIR, "open", path + ": trailing slash on a non-directory");
        }
        if ((flags & O_DIRECTORY) != 0 && !dir) {
            throw new ErrnoException(Errno.ENOTDIR, "open", path + ": O_DIRECTORY on a non-directory");
        }
        // A file this call created is opened without further permission checks (do_open: acc_mode = 0).
        if (!created) {
            mayOpen(path, attr, flags);
            if ((flags & O_TRUNC) != 0 && attr.type() == FileType.REGULAR) {
                truncateLocked(attr, 0, "open", true);
            }
        }
        Fifo fifo = null;
        switch (attr.type()) {
            case SOCKET -> throw new ErrnoException(Errno.ENXIO, "open", path + " is a socket");
            case BLOCK_DEVICE -> throw new ErrnoException(Errno.ENXIO, "open", path + ": no block device "
                    + Stat.major(attr.rdev()) + ":" + Stat.minor(attr.rdev()) + " in this system");
            case CHAR_DEVICE -> {
                if (MemDevice.of(attr.rdev()) == null) {
                    throw new ErrnoException(Errno.ENXIO, "open", path + ": no character device "
                            + Stat.major(attr.rdev()) + ":" + Stat.minor(attr.rdev()) + " in this system");
                }
            }
            case FIFO -> {
                fifo = fifos.computeIfAbsent(ino, k -> new Fifo());
                fifo.open(new OpenFile(ino, flags, path).readable(), new OpenFile(ino, flags, path).writable(),
                        (flags & O_NONBLOCK) != 0);
            }
            default -> { }
        }
        fs.open(ino);
        OpenFile of = new OpenFile(ino, flags, path, attr.type(), attr.rdev(), fifo);
        try {
            return fds.install(of);
        } catch (ErrnoException e) {
            release(of);
            throw e;
        }
    }

    /** Drops an open file description: its pipe side, then the inode. */
    private void release(OpenFile f) throws ErrnoException {
        if (f.fifo() != null) {
            f.fifo().close(f.readable(), f.writable());
        }
        fs.release(f.ino());
    }

    /** {@code may_open}: EISDIR for writing a directory, inode_permission, then the append-only rules. */
    private void mayOpen(String path, InodeAttr attr, int flags) throws ErrnoException {
        int acc = flags & O_ACCMODE;
        int mask = switch (acc) {
            case O_RDONLY -> MAY_READ;
            case O_WRONLY -> MAY_WRITE;
            default -> MAY_READ | MAY_WRITE;
        };
        if ((flags & O_TRUNC) != 0) {
            mask |= MAY_WRITE;
        }
        if (attr.type() == FileType.DIRECTORY && (mask & MAY_WRITE) != 0) {
            throw new ErrnoException(Errno.EISDIR, "open", path + ": a directory cannot be opened for writing");
        }
        if (attr.type() == FileType.SYMLINK) {
            throw new ErrnoException(Errno.ELOOP, "open", path + " is a symlink");
        }
        InodePermission.require(cred, attr, mask, "open");
        if (attr.appendOnly()) {
            if (acc != O_RDONLY && (flags & O_APPEND) == 0) {
                throw new ErrnoException(Errno.EPERM, "open", path + " is append-only: open it with O_APPEND");
            }
            if ((flags & O_TRUNC) != 0) {
                throw new ErrnoException(Errno.EPERM, "open", path + " is append-only: O_TRUNC refused");
            }
        }
    }

    @Override
    public void close(int fd) throws ErrnoException {
        release(fds.remove(fd, "close"));
    }

    // ---- data ----

    @Override
    public int pread(int fd, byte[] buf, int off, int len, long pos) throws ErrnoException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (pos < 0) {
            throw new ErrnoException(Errno.EINVAL, "pread", "negative offset " + pos);
        }
        OpenFile f = requireReadable(fd, "pread");
        requireSeekable(f, "pread");
        return readAt(f, buf, off, len, pos, "pread");
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) throws ErrnoException {
        Objects.checkFromIndexSize(off, len, buf.length);
        OpenFile f = requireReadable(fd, "read");
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

    @Override
    public int pwrite(int fd, byte[] buf, int off, int len, long pos) throws ErrnoException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (pos < 0) {
            throw new ErrnoException(Errno.EINVAL, "pwrite", "negative offset " + pos);
        }
        OpenFile f = requireWritable(fd, "pwrite");
        requireSeekable(f, "pwrite");
        synchronized (f) {
            return writeAt(f, buf, off, len, pos, "pwrite");
        }
    }

    @Override
    public int write(int fd, byte[] buf, int off, int len) throws ErrnoException {
        Objects.checkFromIndexSize(off, len, buf.length);
        OpenFile f = requireWritable(fd, "write");
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

    @Override
    public long lseek(int fd, long offset, int whence) throws ErrnoException {
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

    @Override
    public void ftruncate(int fd, long length) throws ErrnoException {
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

    @Override
    public void truncate(String path, long length) throws ErrnoException {
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
    private void truncateLocked(InodeAttr attr, long length, String op, boolean touch) throws ErrnoException {
        if (length > fs.maxBytes()) {
            throw new ErrnoException(Errno.EFBIG, op, "length " + length + " exceeds the maximum file size "
                    + fs.maxBytes());
        }
        attrs.removePrivs(attr);
        fs.truncate(attr.ino(), length);
        if (touch || length != attr.size()) {
            fs.setattr(attr.ino(), dev.pmemfs.fs.SetAttr.times(null, dev.pmemfs.fs.SetAttr.NOW));
        }
    }

    @Override
    public void fsync(int fd) throws ErrnoException {
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
    @Override
    public void fallocate(int fd, int mode, long offset, long len) throws ErrnoException {
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
        fs.setattr(f.ino(), dev.pmemfs.fs.SetAttr.times(null, dev.pmemfs.fs.SetAttr.NOW));
    }

    /**
     * PMEMFS_IOC_SALVAGE: an ioctl on a descriptor open for writing, checked as {@link #fallocate}
     * checks a mode that changes data (EINVAL, EBADF, EPERM for append-only and immutable, EISDIR).
     */
    @Override
    public SalvageResult salvage(int fd, long offset, long len) throws ErrnoException {
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

    // ---- attributes ----

    @Override
    public Stat fstat(int fd) throws ErrnoException {
        return toStat(fs.getattr(fds.get(fd, "fstat").ino()));
    }

    @Override
    public Stat stat(String path) throws ErrnoException {
        return stat(path, true);
    }

    @Override
    public Stat lstat(String path) throws ErrnoException {
        return stat(path, false);
    }

    private Stat stat(String path, boolean follow) throws ErrnoException {
        PathWalk w = follow ? PathWalk.walkFollow(fs, cred, path, "stat") : PathWalk.walk(fs, cred, path, "stat");
        InodeAttr attr = fs.getattr(w.require(fs, "stat"));
        if (w.trailingSlash() && attr.type() != FileType.DIRECTORY) {
            throw new ErrnoException(Errno.ENOTDIR, "stat", path + ": trailing slash on a non-directory");
        }
        return toStat(attr);
    }

    @Override
    public void access(String path, int mode) throws ErrnoException {
        if ((mode & ~(R_OK | W_OK | X_OK)) != 0) {
            throw new ErrnoException(Errno.EINVAL, "access", "mode 0" + Integer.toOctalString(mode));
        }
        // faccessat without AT_SYMLINK_NOFOLLOW: a final symlink is followed, as stat(2) follows it
        PathWalk w = PathWalk.walkFollow(fs, cred, path, "access");
        InodeAttr attr = fs.getattr(w.require(fs, "access"));
        if (w.trailingSlash() && attr.type() != FileType.DIRECTORY) {
            throw new ErrnoException(Errno.ENOTDIR, "access", path + ": trailing slash on a non-directory");
        }
        // R_OK, W_OK and X_OK have MAY_READ's, MAY_WRITE's and MAY_EXEC's values (4, 2, 1).
        if (mode != F_OK) {
            InodePermission.require(cred, attr, mode, "access");
        }
    }

    private static Stat toStat(InodeAttr a) {
        return new Stat(a.ino(), a.type().ifmt() | a.mode(), a.nlink(), a.uid(), a.gid(), a.size(),
                FileSystem.BLOCK_SIZE, a.blocks(), a.atimeNs(), a.mtimeNs(), a.ctimeNs(), a.rdev());
    }

    /** statfs(2): the walk (EACCES, ENOENT...), then the filesystem's figures. */
    @Override
    public StatFs statfs(String path) throws ErrnoException {
        PathWalk w = PathWalk.walkFollow(fs, cred, path, "statfs");
        w.require(fs, "statfs");
        return fs.statfs();
    }

    @Override
    public StatFs fstatfs(int fd) throws ErrnoException {
        fds.get(fd, "fstatfs");
        return fs.statfs();
    }

    /**
     * readlink(2) ({@code do_readlinkat}): EINVAL for a buffer size of 0 or less, the walk without
     * following the last component, EINVAL when it is not a symlink, atime touched, the target cut to
     * {@code bufsiz} bytes.
     */
    @Override
    public String readlink(String path, int bufsiz) throws ErrnoException {
        if (bufsiz <= 0) {
            throw new ErrnoException(Errno.EINVAL, "readlink", "buffer size " + bufsiz);
        }
        PathWalk w = PathWalk.walk(fs, cred, path, "readlink");
        InodeAttr attr = fs.getattr(w.require(fs, "readlink"));
        if (attr.type() != FileType.SYMLINK) {
            throw new ErrnoException(Errno.EINVAL, "readlink", path + " is not a symlink");
        }
        String target = fs.readlink(attr.ino());
        fs.accessed(attr.ino());
        byte[] b = target.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return b.length <= bufsiz ? target
                : new String(b, 0, bufsiz, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void link(String oldPath, String newPath) throws ErrnoException {
        dirs.link(oldPath, newPath);
    }

    @Override
    public void symlink(String target, String linkPath) throws ErrnoException {
        dirs.symlink(target, linkPath);
    }

    @Override
    public void mknod(String path, int mode, long dev) throws ErrnoException {
        dirs.mknod(path, mode, dev);
    }

    @Override
    public void rename(String from, String to, int flags) throws ErrnoException {
        dirs.rename(from, to, flags);
    }

    @Override
    public void utimensat(String path, Timespec atime, Timespec mtime, int flags) throws ErrnoException {
        attrs.utimensat(path, atime, mtime, flags);
    }

    @Override
    public void futimens(int fd, Timespec atime, Timespec mtime) throws ErrnoException {
        attrs.futimens(fds.get(fd, "futimens").ino(), atime, mtime);
    }

    @Override
    public void lchown(String path, int uid, int gid) throws ErrnoException {
        attrs.chown(path, uid, gid, false);
    }

    // ---- attributes and directories: see AttributeCalls and DirectoryCalls ----

    @Override
    public void chmod(String path, int mode) throws ErrnoException {
        attrs.chmod(path, mode);
    }

    @Override
    public void chown(String path, int uid, int gid) throws ErrnoException {
        attrs.chown(path, uid, gid, true);
    }

    @Override
    public int getFlags(int fd) throws ErrnoException {
        return attrs.getFlags(fds.get(fd, "ioctl(FS_IOC_GETFLAGS)").ino());
    }

    @Override
    public void setFlags(int fd, int flags) throws ErrnoException {
        attrs.setFlags(fds.get(fd, "ioctl(FS_IOC_SETFLAGS)").ino(), flags);
    }

    @Override
    public void unlink(String path) throws ErrnoException {
        dirs.unlink(path);
    }

    @Override
    public void mkdir(String path, int mode) throws ErrnoException {
        dirs.mkdir(path, mode);
    }

    @Override
    public void rmdir(String path) throws ErrnoException {
        dirs.rmdir(path);
    }

    @Override
    public void rename(String from, String to) throws ErrnoException {
        dirs.rename(from, to, 0);
    }

    @Override
    public List<String> readdir(String path) throws ErrnoException {
        return dirs.readdir(path);
    }

    // ---- ioctl / mmap ----

    @Override
    public Fiemap fiemap(int fd, long start, long length, int flags, int extentCount) throws ErrnoException {
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

    @Override
    public List<Badblock> badblocks(int fd) throws ErrnoException {
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
     * mmap(MAP_SHARED): EINVAL for an unaligned offset (checked before the descriptor, as sys_mmap
     * does), EBADF, EINVAL for length 0, then do_mmap's order: EACCES for PROT_WRITE without write
     * access, for a writable descriptor of an append-only file and without read access; ENODEV for a
     * directory (no mmap method).
     */
    @Override
    public DaxMapping mmap(int fd, long offset, long length, int prot) throws ErrnoException {
        if ((offset & (PAGE_SIZE - 1)) != 0 || offset < 0) {
            throw new ErrnoException(Errno.EINVAL, "mmap", "offset " + offset + " is not page aligned");
        }
        OpenFile f = fds.get(fd, "mmap");
        if (length <= 0) {
            throw new ErrnoException(Errno.EINVAL, "mmap", "length " + length);
        }
        if (offset + length < 0) {
            throw new ErrnoException(Errno.EOVERFLOW, "mmap", "offset " + offset + " + length " + length);
        }
        InodeAttr attr = fs.getattr(f.ino());
        boolean write = (prot & PROT_WRITE) != 0;
        if (write && !f.writable()) {
            throw new ErrnoException(Errno.EACCES, "mmap", "PROT_WRITE on fd " + fd + " not open for writing");
        }
        if (attr.appendOnly() && f.writable()) {
            throw new ErrnoException(Errno.EACCES, "mmap", f.path() + " is append-only");
        }
        if (!f.readable()) {
            throw new ErrnoException(Errno.EACCES, "mmap", "fd " + fd + " is not open for reading");
        }
        if (attr.type() != FileType.REGULAR) {
            throw new ErrnoException(Errno.ENODEV, "mmap", f.path() + " is a " + attr.type() + ": no mmap");
        }
        fs.accessed(f.ino()); // file_accessed in xfs_file_mmap
        return new FileMapping(fs, dax, cred, f.ino(), offset, length, write);
    }

    /** exit(): every descriptor is closed (its inode released); mappings stay valid, as after close(2). */
    @Override
    public void close() {
        onExit.accept(this);
        List<ErrnoException> failures = new ArrayList<>();
        for (OpenFile f : fds.clear()) {
            try {
                release(f);
            } catch (ErrnoException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            IllegalStateException ex = new IllegalStateException("releasing open files failed: " + failures.getFirst());
            failures.forEach(ex::addSuppressed);
            throw ex;
        }
    }

    private OpenFile requireReadable(int fd, String op) throws ErrnoException {
        OpenFile f = fds.get(fd, op);
        if (!f.readable()) {
            throw new ErrnoException(Errno.EBADF, op, "fd " + fd + " is not open for reading");
        }
        return f;
    }

    private OpenFile requireWritable(int fd, String op) throws ErrnoException {
        OpenFile f = fds.get(fd, op);
        if (!f.writable()) {
            throw new ErrnoException(Errno.EBADF, op, "fd " + fd + " is not open for writing");
        }
        return f;
    }
}
