package dev.pmemfs.vfs;

import static dev.pmemfs.vfs.InodePermission.MAY_EXEC;
import static dev.pmemfs.vfs.InodePermission.MAY_READ;
import static dev.pmemfs.vfs.InodePermission.MAY_WRITE;

import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FileSystem;
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
 * open(2) and close(2) with the checks of fs/open.c and mmap(2) with those of mm/mmap.c, in Linux's
 * order, then one call into the filesystem; the other calls go to one class per family: data to
 * {@link ReadWriteCalls}, attribute reads to {@link StatCalls}, attribute changes to
 * {@link AttributeCalls}, names to {@link DirectoryCalls}, ioctls to {@link IoctlCalls}.
 */
final class Process implements Syscalls {
    private static final int PAGE_SIZE = DaxDevice.PAGE_SIZE;

    private final FileSystem fs;
    private final DaxDevice dax;
    private final Credentials cred;
    private final FdTable fds = new FdTable();
    private final AttributeCalls attrs;
    private final DirectoryCalls dirs;
    private final ReadWriteCalls rw;
    private final StatCalls stats;
    private final IoctlCalls ioctls;
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
        this.rw = new ReadWriteCalls(fs, cred, fds, attrs);
        this.stats = new StatCalls(fs, cred, fds);
        this.ioctls = new IoctlCalls(fs, fds);
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
                rw.truncateLocked(attr, 0, "open", true);
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

    // ---- data: see ReadWriteCalls ----

    @Override
    public int pread(int fd, byte[] buf, int off, int len, long pos) throws ErrnoException {
        return rw.pread(fd, buf, off, len, pos);
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) throws ErrnoException {
        return rw.read(fd, buf, off, len);
    }

    @Override
    public int pwrite(int fd, byte[] buf, int off, int len, long pos) throws ErrnoException {
        return rw.pwrite(fd, buf, off, len, pos);
    }

    @Override
    public int write(int fd, byte[] buf, int off, int len) throws ErrnoException {
        return rw.write(fd, buf, off, len);
    }

    @Override
    public long lseek(int fd, long offset, int whence) throws ErrnoException {
        return rw.lseek(fd, offset, whence);
    }

    @Override
    public void ftruncate(int fd, long length) throws ErrnoException {
        rw.ftruncate(fd, length);
    }

    @Override
    public void truncate(String path, long length) throws ErrnoException {
        rw.truncate(path, length);
    }

    @Override
    public void fsync(int fd) throws ErrnoException {
        rw.fsync(fd);
    }

    @Override
    public void fallocate(int fd, int mode, long offset, long len) throws ErrnoException {
        rw.fallocate(fd, mode, offset, len);
    }

    // ---- reading attributes: see StatCalls ----

    @Override
    public Stat fstat(int fd) throws ErrnoException {
        return stats.fstat(fd);
    }

    @Override
    public Stat stat(String path) throws ErrnoException {
        return stats.stat(path);
    }

    @Override
    public Stat lstat(String path) throws ErrnoException {
        return stats.lstat(path);
    }

    @Override
    public void access(String path, int mode) throws ErrnoException {
        stats.access(path, mode);
    }

    @Override
    public StatFs statfs(String path) throws ErrnoException {
        return stats.statfs(path);
    }

    @Override
    public StatFs fstatfs(int fd) throws ErrnoException {
        return stats.fstatfs(fd);
    }

    @Override
    public String readlink(String path, int bufsiz) throws ErrnoException {
        return stats.readlink(path, bufsiz);
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

    // ---- ioctl: see IoctlCalls; mmap ----

    @Override
    public Fiemap fiemap(int fd, long start, long length, int flags, int extentCount) throws ErrnoException {
        return ioctls.fiemap(fd, start, length, flags, extentCount);
    }

    @Override
    public List<Badblock> badblocks(int fd) throws ErrnoException {
        return ioctls.badblocks(fd);
    }

    @Override
    public SalvageResult salvage(int fd, long offset, long len) throws ErrnoException {
        return ioctls.salvage(fd, offset, len);
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
}
