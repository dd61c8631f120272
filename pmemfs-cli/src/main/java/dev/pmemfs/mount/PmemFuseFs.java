package dev.pmemfs.mount;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.DirEntry;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.fs.InodeAttr;
import dev.pmemfs.fs.SetAttr;
import dev.pmemfs.fs.StatFs;
import dev.pmemfs.fuse.Attr;
import dev.pmemfs.fuse.DirEntryOut;
import dev.pmemfs.fuse.FuseOperations;
import dev.pmemfs.fuse.FuseRequest;
import dev.pmemfs.fuse.SetattrValues;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.Stat;
import dev.pmemfs.vfs.Syscalls;
import dev.pmemfs.vfs.Timespec;
import dev.pmemfs.vfs.Vfs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;

/**
 * The FUSE requests of one mount, served by the syscall layer: each request runs as a
 * {@link Syscalls} process with the caller's uid, gid and supplementary groups (fuse_req_ctx), so
 * permissions, errno and their order are the vfs's; the kernel checks them first too
 * ({@code default_permissions}). Node ids are inode numbers (the root swapped with node id 1).
 *
 * <p>Regular files are opened with FOPEN_DIRECT_IO: no page cache between the program and the
 * namespace, as with DAX, so a read reaches the media every time and meets poison as a DAX read does
 * (a short read up to the bad block, then EIO). The price: MAP_SHARED is refused (ENODEV) by the
 * kernel on such files (README "Mounting").
 *
 * <p><b>Concurrency.</b> Requests may arrive on several threads at once ({@code pmemfs mount
 * --threads N}). Requests on an open handle (read, write, fsync, fallocate, lseek, getattr with a handle,
 * readdir from the handle's list) run in parallel under the shared side of {@link #lock}: they name
 * no path, and the filesystem serialises them where it must (each inode's rwsem, the journal's
 * transaction lock; {@code ConcurrencyTest}). Everything that resolves a node id to a path and walks
 * it (lookup, create, open, rename, link, unlink, setattr, ...), the ioctls (recovery) and the
 * control socket's commands take the exclusive side: the vfs is path-based, and a path computed from
 * a node id must still name that node when it is walked, which a concurrent rename or unlink could
 * otherwise break.
 */
final class PmemFuseFs implements FuseOperations {
    /** Seconds the kernel may cache attributes and names: every change but recovery comes through us. */
    private static final double TIMEOUT = 1.0;

    private final Vfs vfs;
    private final FileSystem fs;
    private final long rootIno;
    private final ReentrantReadWriteLock lock;
    private final IoctlHandler ioctls;
    private final Map<Credentials, Syscalls> processes = new ConcurrentHashMap<>();
    private final Map<Long, Handle> handles = new ConcurrentHashMap<>();
    private final Map<Long, List<DirEntryOut>> dirs = new ConcurrentHashMap<>();
    private final AtomicLong nextFh = new AtomicLong(1);
    /** Nanoseconds read and write requests spent in the syscall layer and below (bench mount). */
    private final LongAdder stackNanos = new LongAdder();
    private final ThreadLocal<byte[]> readBuf = ThreadLocal.withInitial(() -> new byte[1 << 20]);

    /** An open file: the process that opened it and its descriptor there. */
    record Handle(Syscalls process, int fd, long ino) {}

    PmemFuseFs(Vfs vfs, ReentrantReadWriteLock lock) {
        this.vfs = vfs;
        this.fs = vfs.fileSystem();
        this.rootIno = fs.rootIno();
        this.lock = lock;
        this.ioctls = new IoctlHandler();
    }

    // ---- node ids, paths, processes ----

    private long toNode(long ino) {
        return ino == rootIno ? ROOT_ID : ino == ROOT_ID ? rootIno : ino;
    }

    private long toIno(long node) {
        return node == ROOT_ID ? rootIno : node == rootIno ? ROOT_ID : node;
    }

    private String path(long node) throws ErrnoException {
        return fs.path(toIno(node));
    }

    private String child(long parent, String name) throws ErrnoException {
        String p = path(parent);
        return p.equals("/") ? "/" + name : p + "/" + name;
    }

    /** The process standing for the caller: root with every capability, anyone else with none. */
    private Syscalls process(FuseRequest r) {
        int uid = r.uid();
        int gid = r.gid();
        Set<Integer> groups = Arrays.stream(r.groups()).boxed().collect(Collectors.toUnmodifiableSet());
        Credentials c = uid == 0
                ? new Credentials(0, gid, groups, Credentials.ROOT.caps())
                : new Credentials(uid, gid, groups, Set.of());
        return processes.computeIfAbsent(c, vfs::process);
    }

    private Handle handle(long fh) throws ErrnoException {
        Handle h = handles.get(fh);
        if (h == null) {
            throw new ErrnoException(Errno.EBADF, "fuse", "no open file with handle " + fh);
        }
        return h;
    }

    private Attr attr(Stat s) {
        return new Attr(toNode(s.ino()), s.mode(), s.nlink(), s.uid(), s.gid(), s.rdev(), s.size(), s.blksize(), s.blocks(),
                s.atimeNs(), s.mtimeNs(), s.ctimeNs());
    }

    private Attr attr(InodeAttr a) {
        return new Attr(toNode(a.ino()), a.type().ifmt() | a.mode(), a.nlink(), a.uid(), a.gid(), a.rdev(), a.size(),
                FileSystem.BLOCK_SIZE, a.blocks(), a.atimeNs(), a.mtimeNs(), a.ctimeNs());
    }

    @FunctionalInterface
    private interface Body {
        void run() throws ErrnoException;
    }

    /** Runs {@code b} alone: no other request and no control-socket command runs meanwhile. */
    private void locked(Body b) throws ErrnoException {
        run(lock.writeLock(), b);
    }

    /** Runs {@code b} beside other handle requests (no path is resolved in it). */
    private void shared(Body b) throws ErrnoException {
        run(lock.readLock(), b);
    }

    private static void run(Lock l, Body b) throws ErrnoException {
        l.lock();
        try {
            b.run();
        } finally {
            l.unlock();
        }
    }

    // ---- requests ----

    @Override
    public void lookup(FuseRequest r, long parent, String name) throws ErrnoException {
        // lstat: a symlink is a node of its own; the kernel follows it (readlink) when it walks a path.
        locked(() -> r.replyEntry(attr(process(r).lstat(child(parent, name))), TIMEOUT, TIMEOUT));
    }

    @Override
    public void getattr(FuseRequest r, long ino, long fh) throws ErrnoException {
        // stat needs no permission on the inode itself (the kernel checked search rights on the way);
        // by inode number, no path: shared.
        shared(() -> {
            Handle h = handles.get(fh);
            r.replyAttr(h != null ? attr(h.process().fstat(h.fd())) : attr(fs.getattr(toIno(ino))), TIMEOUT);
        });
    }

    @Override
    public void setattr(FuseRequest r, long ino, SetattrValues v, long fh) throws ErrnoException {
        locked(() -> {
            Syscalls p = process(r);
            Handle h = handles.get(fh);
            if (v.has(SetattrValues.SIZE)) {
                if (h != null) {
                    h.process().ftruncate(h.fd(), v.size());
                } else {
                    p.truncate(path(ino), v.size());
                }
            }
            if (v.has(SetattrValues.MODE)) {
                p.chmod(path(ino), v.mode() & 07777);
            }
            if (v.has(SetattrValues.UID) || v.has(SetattrValues.GID)) {
                // the node itself: chown(2) has followed a symlink in the kernel already
                p.lchown(path(ino), v.has(SetattrValues.UID) ? v.uid() : -1, v.has(SetattrValues.GID) ? v.gid() : -1);
            }
            if (v.has(SetattrValues.ATIME | SetattrValues.MTIME | SetattrValues.ATIME_NOW | SetattrValues.MTIME_NOW)) {
                // utimensat(2)/futimens(3): the vfs's rules (owner or CAP_FOWNER for explicit times,
                // write access for "now"), the time of "now" from the filesystem's clock.
                Timespec atime = times(v, SetattrValues.ATIME, SetattrValues.ATIME_NOW, v.atimeNs());
                Timespec mtime = times(v, SetattrValues.MTIME, SetattrValues.MTIME_NOW, v.mtimeNs());
                if (h != null) {
                    h.process().futimens(h.fd(), atime, mtime);
                } else {
                    p.utimensat(path(ino), atime, mtime, Syscalls.AT_SYMLINK_NOFOLLOW);
                }
            }
            r.replyAttr(attr(fs.getattr(toIno(ino))), TIMEOUT);
        });
    }

    private static Timespec times(SetattrValues v, int set, int now, long ns) {
        return v.has(now) ? Timespec.NOW : v.has(set) ? Timespec.ofNanos(ns) : Timespec.OMIT;
    }

    @Override
    public void readlink(FuseRequest r, long ino) throws ErrnoException {
        locked(() -> r.replyReadlink(process(r).readlink(path(ino))));
    }

    @Override
    public void symlink(FuseRequest r, String target, long parent, String name) throws ErrnoException {
        locked(() -> {
            Syscalls p = process(r);
            String path = child(parent, name);
            p.symlink(target, path);
            r.replyEntry(attr(p.lstat(path)), TIMEOUT, TIMEOUT);
        });
    }

    @Override
    public void link(FuseRequest r, long ino, long newParent, String newName) throws ErrnoException {
        locked(() -> {
            Syscalls p = process(r);
            String path = child(newParent, newName);
            p.link(path(ino), path);
            r.replyEntry(attr(p.lstat(path)), TIMEOUT, TIMEOUT);
        });
    }

    /** mknod(2) of a fifo, socket, character or block device (or a regular file), as the vfs makes them. */
    @Override
    public void mknod(FuseRequest r, long parent, String name, int mode, long rdev) throws ErrnoException {
        locked(() -> {
            Syscalls p = process(r);
            String path = child(parent, name);
            // the kernel sends new_encode_dev(rdev), which is glibc's makedev for 32-bit numbers
            p.mknod(path, mode, rdev);
            r.replyEntry(attr(p.lstat(path)), TIMEOUT, TIMEOUT);
        });
    }

    @Override
    public void mkdir(FuseRequest r, long parent, String name, int mode) throws ErrnoException {
        locked(() -> {
            Syscalls p = process(r);
            String path = child(parent, name);
            p.mkdir(path, mode & 07777);
            r.replyEntry(attr(p.stat(path)), TIMEOUT, TIMEOUT);
        });
    }

    @Override
    public void unlink(FuseRequest r, long parent, String name) throws ErrnoException {
        locked(() -> {
            process(r).unlink(child(parent, name));
            r.replyErr(0);
        });
    }

    @Override
    public void rmdir(FuseRequest r, long parent, String name) throws ErrnoException {
        locked(() -> {
            process(r).rmdir(child(parent, name));
            r.replyErr(0);
        });
    }

    @Override
    public void rename(FuseRequest r, long parent, String name, long newParent, String newName, int flags)
            throws ErrnoException {
        // renameat2: RENAME_NOREPLACE and RENAME_EXCHANGE as the vfs does them; RENAME_WHITEOUT is
        // EINVAL there (no whiteouts, as XFS without them), which the kernel passes on.
        locked(() -> {
            process(r).rename(child(parent, name), child(newParent, newName), flags);
            r.replyErr(0);
        });
    }

    private long install(Syscalls p, int fd, long ino) {
        long fh = nextFh.getAndIncrement();
        handles.put(fh, new Handle(p, fd, ino));
        return fh;
    }

    @Override
    public void open(FuseRequest r, long ino, int flags) throws ErrnoException {
        locked(() -> {
            Syscalls p = process(r);
            int fd = p.open(path(ino), flags & ~(Syscalls.O_CREAT | Syscalls.O_EXCL), 0);
            r.replyOpen(install(p, fd, toIno(ino)), true);
        });
    }

    @Override
    public void create(FuseRequest r, long parent, String name, int mode, int flags) throws ErrnoException {
        locked(() -> {
            Syscalls p = process(r);
            int fd = p.open(child(parent, name), flags | Syscalls.O_CREAT, mode & 07777);
            Stat s = p.fstat(fd);
            r.replyCreate(attr(s), TIMEOUT, TIMEOUT, install(p, fd, s.ino()), true);
        });
    }

    @Override
    public void read(FuseRequest r, long ino, long fh, long size, long off) throws ErrnoException {
        shared(() -> {
            Handle h = handle(fh);
            byte[] buf = readBuf.get();
            if (buf.length < size) {
                buf = new byte[(int) size];
                readBuf.set(buf);
            }
            long t0 = System.nanoTime();
            int n = h.process().pread(h.fd(), buf, 0, (int) size, off);
            stackNanos.add(System.nanoTime() - t0);
            r.replyBuf(buf, 0, n);
        });
    }

    @Override
    public void write(FuseRequest r, long ino, long fh, byte[] buf, int len, long off) throws ErrnoException {
        shared(() -> {
            Handle h = handle(fh);
            long t0 = System.nanoTime();
            int n = h.process().pwrite(h.fd(), buf, 0, len, off);
            stackNanos.add(System.nanoTime() - t0);
            r.replyWrite(n);
        });
    }

    @Override
    public void flush(FuseRequest r, long ino, long fh) {
        r.replyErr(0); // close(2) of one descriptor: nothing to write back (no page cache here)
    }

    @Override
    public void release(FuseRequest r, long ino, long fh) throws ErrnoException {
        locked(() -> {
            Handle h = handles.remove(fh);
            if (h != null) {
                h.process().close(h.fd());
            }
            r.replyErr(0);
        });
    }

    @Override
    public void fsync(FuseRequest r, long ino, long fh, boolean datasync) throws ErrnoException {
        shared(() -> {
            Handle h = handle(fh);
            h.process().fsync(h.fd());
            r.replyErr(0);
        });
    }

    @Override
    public void opendir(FuseRequest r, long ino, int flags) throws ErrnoException {
        locked(() -> {
            Syscalls p = process(r);
            String path = path(ino);
            p.close(p.open(path, Syscalls.O_RDONLY | Syscalls.O_DIRECTORY, 0)); // read permission, ENOTDIR
            long dirIno = toIno(ino);
            List<DirEntryOut> entries = new ArrayList<>();
            entries.add(new DirEntryOut(".", ino, Stat.S_IFDIR));
            entries.add(new DirEntryOut("..", ino == ROOT_ID ? ROOT_ID : parentNode(path), Stat.S_IFDIR));
            for (DirEntry e : fs.readdir(dirIno)) {
                entries.add(new DirEntryOut(e.name(), toNode(e.ino()), e.type().ifmt()));
            }
            long fh = nextFh.getAndIncrement();
            dirs.put(fh, entries);
            r.replyOpen(fh, false);
        });
    }

    private long parentNode(String path) throws ErrnoException {
        int slash = path.lastIndexOf('/');
        String parent = slash <= 0 ? "/" : path.substring(0, slash);
        return toNode(vfs.process(Credentials.ROOT).stat(parent).ino());
    }

    @Override
    public void readdir(FuseRequest r, long ino, long fh, long size, long off) throws ErrnoException {
        List<DirEntryOut> entries = dirs.get(fh);
        if (entries == null) {
            throw new ErrnoException(Errno.EBADF, "readdir", "no open directory with handle " + fh);
        }
        r.replyDirectory(entries, off, size);
    }

    @Override
    public void releasedir(FuseRequest r, long ino, long fh) {
        dirs.remove(fh);
        r.replyErr(0);
    }

    @Override
    public void fsyncdir(FuseRequest r, long ino, long fh, boolean datasync) throws ErrnoException {
        locked(() -> {
            fs.syncfs(); // every metadata change is one journal transaction; make them durable
            r.replyErr(0);
        });
    }

    @Override
    public void statfs(FuseRequest r, long ino) throws ErrnoException {
        locked(() -> {
            StatFs s = fs.statfs();
            r.replyStatfs(s.blockSize(), s.totalBlocks(), s.freeBlocks(), s.freeBlocks(), s.totalInodes(),
                    s.freeInodes(), 255);
        });
    }

    @Override
    public void fallocate(FuseRequest r, long ino, long fh, int mode, long offset, long length) throws ErrnoException {
        shared(() -> {
            Handle h = handle(fh);
            h.process().fallocate(h.fd(), mode, offset, length);
            r.replyErr(0);
        });
    }

    @Override
    public void lseek(FuseRequest r, long ino, long fh, long off, int whence) throws ErrnoException {
        shared(() -> {
            Handle h = handle(fh);
            r.replyLseek(h.process().lseek(h.fd(), off, whence));
        });
    }

    @Override
    public void ioctl(FuseRequest r, long ino, long fh, int cmd, int flags, byte[] in, long outSize)
            throws ErrnoException {
        locked(() -> {
            Handle h = handle(fh);
            r.replyIoctl(0, ioctls.handle(h.process(), h.fd(), cmd, in, outSize));
        });
    }

    long stackNanos() {
        return stackNanos.sum();
    }

    /** Closes every descriptor still open (the kernel sends no release for them after an abort). */
    void closeAll() {
        lock.writeLock().lock();
        try {
            for (Handle h : handles.values()) {
                try {
                    h.process().close(h.fd());
                } catch (ErrnoException ignored) {
                    // already closed
                }
            }
            handles.clear();
            dirs.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
