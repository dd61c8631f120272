package dev.pmemfs.fuse;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;

/**
 * The filesystem side of {@code struct fuse_lowlevel_ops}: one method per FUSE request, addressed by
 * node id ({@link #ROOT_ID} is the root). Each method answers its request exactly once through one of
 * {@link FuseRequest}'s {@code reply*} methods, or throws {@link ErrnoException}, which the binding
 * answers with {@code fuse_reply_err} (any other exception is answered with EIO and logged). The
 * defaults answer ENOSYS, as libfuse does for a NULL slot (the kernel then stops asking for some
 * operations, e.g. flush and fsync).
 *
 * <p>{@code fh} is the handle the filesystem returned from open/create/opendir, or {@link #NO_FH}
 * when the kernel sent none (getattr/setattr on a path).
 */
public interface FuseOperations {
    long ROOT_ID = 1;
    long NO_FH = -1;

    private static ErrnoException enosys(String op) {
        return new ErrnoException(Errno.ENOSYS, op, "not implemented");
    }

    /** FUSE_INIT: adjust the connection (want flags, max sizes) before the first request. */
    default void init(Connection conn) {}

    /** FUSE_DESTROY: the connection is going away (after unmount). */
    default void destroy() {}

    default void lookup(FuseRequest r, long parent, String name) throws ErrnoException {
        throw enosys("lookup");
    }

    /** The kernel dropped {@code nlookup} references to {@code ino}; no reply. */
    default void forget(long ino, long nlookup) {}

    default void getattr(FuseRequest r, long ino, long fh) throws ErrnoException {
        throw enosys("getattr");
    }

    default void setattr(FuseRequest r, long ino, SetattrValues v, long fh) throws ErrnoException {
        throw enosys("setattr");
    }

    default void readlink(FuseRequest r, long ino) throws ErrnoException {
        throw enosys("readlink");
    }

    default void mknod(FuseRequest r, long parent, String name, int mode, long rdev) throws ErrnoException {
        throw enosys("mknod");
    }

    default void mkdir(FuseRequest r, long parent, String name, int mode) throws ErrnoException {
        throw enosys("mkdir");
    }

    default void unlink(FuseRequest r, long parent, String name) throws ErrnoException {
        throw enosys("unlink");
    }

    default void rmdir(FuseRequest r, long parent, String name) throws ErrnoException {
        throw enosys("rmdir");
    }

    default void symlink(FuseRequest r, String target, long parent, String name) throws ErrnoException {
        throw enosys("symlink");
    }

    /** {@code flags}: RENAME_NOREPLACE (1), RENAME_EXCHANGE (2). */
    default void rename(FuseRequest r, long parent, String name, long newParent, String newName, int flags)
            throws ErrnoException {
        throw enosys("rename");
    }

    default void link(FuseRequest r, long ino, long newParent, String newName) throws ErrnoException {
        throw enosys("link");
    }

    /** {@code flags}: the open(2) flags (O_CREAT/O_EXCL/O_NOCTTY are handled by the kernel). */
    default void open(FuseRequest r, long ino, int flags) throws ErrnoException {
        throw enosys("open");
    }

    default void read(FuseRequest r, long ino, long fh, long size, long off) throws ErrnoException {
        throw enosys("read");
    }

    /** {@code buf} is valid only during the call. */
    default void write(FuseRequest r, long ino, long fh, byte[] buf, int len, long off) throws ErrnoException {
        throw enosys("write");
    }

    default void flush(FuseRequest r, long ino, long fh) throws ErrnoException {
        throw enosys("flush");
    }

    default void release(FuseRequest r, long ino, long fh) throws ErrnoException {
        r.replyErr(0);
    }

    default void fsync(FuseRequest r, long ino, long fh, boolean datasync) throws ErrnoException {
        throw enosys("fsync");
    }

    default void opendir(FuseRequest r, long ino, int flags) throws ErrnoException {
        r.replyOpen(0, false);
    }

    default void readdir(FuseRequest r, long ino, long fh, long size, long off) throws ErrnoException {
        throw enosys("readdir");
    }

    default void releasedir(FuseRequest r, long ino, long fh) throws ErrnoException {
        r.replyErr(0);
    }

    default void fsyncdir(FuseRequest r, long ino, long fh, boolean datasync) throws ErrnoException {
        throw enosys("fsyncdir");
    }

    default void statfs(FuseRequest r, long ino) throws ErrnoException {
        throw enosys("statfs");
    }

    default void create(FuseRequest r, long parent, String name, int mode, int flags) throws ErrnoException {
        throw enosys("create");
    }

    /**
     * A restricted ioctl on an open file: {@code in} holds the {@code _IOW} argument (empty for
     * {@code _IOR}/{@code _IO}), {@code outSize} the bytes the caller's {@code _IOR} argument has room for.
     */
    default void ioctl(FuseRequest r, long ino, long fh, int cmd, int flags, byte[] in, long outSize)
            throws ErrnoException {
        throw enosys("ioctl");
    }

    default void fallocate(FuseRequest r, long ino, long fh, int mode, long offset, long length)
            throws ErrnoException {
        throw enosys("fallocate");
    }

    default void lseek(FuseRequest r, long ino, long fh, long off, int whence) throws ErrnoException {
        throw enosys("lseek");
    }

    /** The parts of {@code struct fuse_conn_info} a filesystem may set at FUSE_INIT. */
    interface Connection {
        int capable();

        int want();

        void want(int flags);

        void maxWrite(int bytes);

        void maxReadahead(int bytes);
    }
}
