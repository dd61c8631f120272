package dev.pmemfs.vfs;

/**
 * An open file description ({@code struct file}): the inode, the access mode and flags given to
 * open(2), and the file position ({@code f_pos}, guarded by this object as {@code f_pos_lock}).
 */
final class OpenFile {
    private final long ino;
    private final int flags;
    private final String path;
    /* guarded by this */
    private long pos;

    OpenFile(long ino, int flags, String path) {
        this.ino = ino;
        this.flags = flags;
        this.path = path;
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
