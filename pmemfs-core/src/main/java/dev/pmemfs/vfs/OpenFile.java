package dev.pmemfs.vfs;

/**
 * An open file description ({@code struct file}): the inode and its type, the access mode and flags
 * given to open(2), the file position ({@code f_pos}, guarded by this object as {@code f_pos_lock}),
 * and for a FIFO the pipe it reads and writes.
 */
final class OpenFile {
    private final long ino;
    private final int flags;
    private final String path;
    private final dev.pmemfs.fs.FileType type;
    private final long rdev;
    private final Fifo fifo;
    /* guarded by this */
    private long pos;

    OpenFile(long ino, int flags, String path) {
        this(ino, flags, path, dev.pmemfs.fs.FileType.REGULAR, 0, null);
    }

    OpenFile(long ino, int flags, String path, dev.pmemfs.fs.FileType type, long rdev, Fifo fifo) {
        this.ino = ino;
        this.flags = flags;
        this.path = path;
        this.type = type;
        this.rdev = rdev;
        this.fifo = fifo;
    }

    dev.pmemfs.fs.FileType type() {
        return type;
    }

    long rdev() {
        return rdev;
    }

    /** The pipe of a FIFO, null otherwise. */
    Fifo fifo() {
        return fifo;
    }

    boolean nonblock() {
        return (flags & Syscalls.O_NONBLOCK) != 0;
    }

    long ino() {
        return ino;
    }

    String path() {
        return path;
    }

    /** FMODE_READ: O_RDONLY or O_RDWR. */
    boolean readable() {
        int acc = flags & Syscalls.O_ACCMODE;
        return acc == Syscalls.O_RDONLY || acc == Syscalls.O_RDWR;
    }

    /** FMODE_WRITE: O_WRONLY or O_RDWR. */
    boolean writable() {
        int acc = flags & Syscalls.O_ACCMODE;
        return acc == Syscalls.O_WRONLY || acc == Syscalls.O_RDWR;
    }

    boolean append() {
        return (flags & Syscalls.O_APPEND) != 0;
    }

    synchronized long pos() {
        return pos;
    }

    synchronized void setPos(long pos) {
        this.pos = pos;
    }
}
