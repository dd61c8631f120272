package dev.pmemfs.vfs;

import dev.pmemfs.errno.ErrnoException;
import java.util.List;

/**
 * API CONTRACT: the POSIX-like system calls of one process (its credentials and its file-descriptor
 * table) on a mounted pmemfs. Obtained from {@code Vfs.process(Credentials)}. Paths are absolute
 * within the filesystem ("/dir/file"). Every method returns what Linux returns or throws
 * {@link ErrnoException} with Linux's errno, checks made in Linux's order (reference §4.2).
 */
public interface Syscalls extends AutoCloseable {
    // open(2) flags, x86-64 values
    int O_RDONLY = 0;
    int O_WRONLY = 01;
    int O_RDWR = 02;
    int O_ACCMODE = 03;
    int O_CREAT = 0100;
    int O_EXCL = 0200;
    int O_TRUNC = 01000;
    int O_APPEND = 02000;
    int O_DIRECTORY = 0200000;
    int O_NONBLOCK = 04000;
    int O_NOFOLLOW = 0400000;

    /** utimensat(2) flag: act on a final symlink itself. */
    int AT_SYMLINK_NOFOLLOW = 0x100;

    /** renameat2(2) flags. */
    int RENAME_NOREPLACE = 1;
    int RENAME_EXCHANGE = 2;
    int RENAME_WHITEOUT = 4;

    int SEEK_SET = 0;
    int SEEK_CUR = 1;
    int SEEK_END = 2;
    int SEEK_DATA = 3;
    int SEEK_HOLE = 4;

    // access(2) modes
    int F_OK = 0;
    int X_OK = 1;
    int W_OK = 2;
    int R_OK = 4;

    int PROT_READ = 1;
    int PROT_WRITE = 2;

    Credentials credentials();

    int open(String path, int flags, int mode) throws ErrnoException;

    void close(int fd) throws ErrnoException;

    int pread(int fd, byte[] buf, int off, int len, long pos) throws ErrnoException;

    int pwrite(int fd, byte[] buf, int off, int len, long pos) throws ErrnoException;

    /** read(2)/write(2) at the file position (O_APPEND writes at EOF). */
    int read(int fd, byte[] buf, int off, int len) throws ErrnoException;

    int write(int fd, byte[] buf, int off, int len) throws ErrnoException;

    long lseek(int fd, long offset, int whence) throws ErrnoException;

    void ftruncate(int fd, long length) throws ErrnoException;

    void truncate(String path, long length) throws ErrnoException;

    void fsync(int fd) throws ErrnoException;

    void fallocate(int fd, int mode, long offset, long len) throws ErrnoException;

    Stat fstat(int fd) throws ErrnoException;

    /** stat(2): follows a final symlink. */
    Stat stat(String path) throws ErrnoException;

    /** lstat(2): a final symlink is described itself. */
    Stat lstat(String path) throws ErrnoException;

    /** statfs(2) of the filesystem holding {@code path}. */
    dev.pmemfs.fs.StatFs statfs(String path) throws ErrnoException;

    dev.pmemfs.fs.StatFs fstatfs(int fd) throws ErrnoException;

    /** link(2): a new name for an existing non-directory (the old name is not followed). */
    void link(String oldPath, String newPath) throws ErrnoException;

    /** symlink(2): {@code linkPath} becomes a symlink to {@code target}. */
    void symlink(String target, String linkPath) throws ErrnoException;

    /** readlink(2): the target, cut to {@code bufsiz} bytes. */
    String readlink(String path, int bufsiz) throws ErrnoException;

    /** readlink(2) with a PATH_MAX buffer. */
    default String readlink(String path) throws ErrnoException {
        return readlink(path, 4096);
    }

    /** mknod(2): {@code mode} holds the type (S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK, S_IFREG or 0). */
    void mknod(String path, int mode, long dev) throws ErrnoException;

    /** mkfifo(3). */
    default void mkfifo(String path, int mode) throws ErrnoException {
        mknod(path, Stat.S_IFIFO | (mode & 07777), 0);
    }

    /** utimensat(2) with AT_FDCWD; both times null means both "now" (times == NULL). */
    void utimensat(String path, Timespec atime, Timespec mtime, int flags) throws ErrnoException;

    /** futimens(3). */
    void futimens(int fd, Timespec atime, Timespec mtime) throws ErrnoException;

    /**
     * access(2) ({@code do_faccessat}): the path walk's errors, then EINVAL for unknown mode bits and
     * {@code inode_permission} with the {@code R_OK|W_OK|X_OK} asked (F_OK checks existence only).
     */
    void access(String path, int mode) throws ErrnoException;

    void unlink(String path) throws ErrnoException;

    void mkdir(String path, int mode) throws ErrnoException;

    void rmdir(String path) throws ErrnoException;

    void rename(String from, String to) throws ErrnoException;

    /** renameat2(2) with RENAME_NOREPLACE, RENAME_EXCHANGE (RENAME_WHITEOUT is refused: no whiteouts). */
    void rename(String from, String to, int flags) throws ErrnoException;

    /** Names in the directory, sorted, without "." and "..". */
    List<String> readdir(String path) throws ErrnoException;

    void chmod(String path, int mode) throws ErrnoException;

    /** chown(2): follows a final symlink; -1 keeps a field. */
    void chown(String path, int uid, int gid) throws ErrnoException;

    /** lchown(2): a final symlink itself. */
    void lchown(String path, int uid, int gid) throws ErrnoException;

    /** FS_IOC_GETFLAGS. */
    int getFlags(int fd) throws ErrnoException;

    /** FS_IOC_SETFLAGS (immutable/append-only need CAP_LINUX_IMMUTABLE). */
    void setFlags(int fd, int flags) throws ErrnoException;

    /** ioctl(FS_IOC_FIEMAP) with the kernel's structure semantics (reference §5). */
    Fiemap fiemap(int fd, long start, long length, int flags, int extentCount) throws ErrnoException;

    /**
     * The known media errors of the file, in file order, fs-block aligned (libpmem2's
     * {@code pmem2_badblock_next} over {@code FIEMAP} and the sysfs badblocks list). Any open descriptor
     * may ask: listing the errors of an fsdax namespace needs no privilege.
     */
    List<Badblock> badblocks(int fd) throws ErrnoException;

    /**
     * pmemfs's {@code PMEMFS_IOC_SALVAGE} on a descriptor open for writing: repairs the poisoned blocks
     * overlapping {@code [offset, offset+len)} in place, losing only their known-bad sectors (see
     * {@code fs.FileSystem#salvage}). Checked as fallocate: EINVAL for the range, EBADF without write
     * access, EPERM for immutable or append-only files, EISDIR; EOPNOTSUPP when the mount has
     * {@code zeroinit=off}. Needs no privilege beyond write access to the file.
     */
    dev.pmemfs.fs.SalvageResult salvage(int fd, long offset, long len) throws ErrnoException;

    /** mmap(MAP_SHARED) of a DAX file. */
    DaxMapping mmap(int fd, long offset, long length, int prot) throws ErrnoException;

    /** Closes every descriptor this process holds. */
    @Override
    void close();
}
