package dev.pmemfs.fs;

import dev.pmemfs.errno.ErrnoException;
import java.util.List;

/**
 * API CONTRACT between the fs layer (implementation) and the vfs layer (caller): a mounted pmemfs
 * filesystem, addressed by inode number. This file is the agreed surface; the fs layer owns it and
 * may add to it, and must keep these signatures.
 *
 * <p>No credentials, file descriptors or permission checks here: vfs checks them first, in Linux's
 * order, and then calls one of these methods, each of which is one journal transaction (crash-atomic)
 * when it changes metadata. Errors are Linux's: ENOENT, EEXIST, ENOTEMPTY, ENOSPC, EIO (poison in a
 * data read, EHWPOISON turned into EIO at the fs–dax seam), EUCLEAN (corrupt metadata), EINVAL for
 * fs-specific argument rules (collapse/insert alignment), EFBIG past the maximum file size.
 */
public interface FileSystem extends AutoCloseable {
    int BLOCK_SIZE = 4096;

    /** Largest file offset + 1 (s_maxbytes). */
    long maxBytes();

    long rootIno();

    StatFs statfs();

    /** The mount options in force. */
    MountOptions options();

    // ---- namespace ----
    long lookup(long dirIno, String name) throws ErrnoException;

    /** Creates a regular file or directory; {@code mode} holds permission bits only. */
    long create(long dirIno, String name, FileType type, int mode, int uid, int gid) throws ErrnoException;

    /**
     * mknod(2) below the VFS: a character or block device (with device number {@code rdev}), a FIFO or a
     * socket; {@code mode} holds permission bits only.
     */
    long mknod(long dirIno, String name, FileType type, int mode, int uid, int gid, long rdev)
            throws ErrnoException;

    /** symlink(2): a symlink with permission bits 0777; ENAMETOOLONG for a target of 1024 bytes or more. */
    long symlink(long dirIno, String name, String target, int uid, int gid) throws ErrnoException;

    /** The target of a symlink; EINVAL for another type. Does not touch atime (see {@link #accessed}). */
    String readlink(long ino) throws ErrnoException;

    /** link(2): one more name for a non-directory (EPERM for a directory, EEXIST, EMLINK, ENOENT). */
    void link(long ino, long dirIno, String name) throws ErrnoException;

    /** Removes a directory entry of a non-directory; the inode is freed when unlinked and closed. */
    void unlink(long dirIno, String name) throws ErrnoException;

    void rmdir(long dirIno, String name) throws ErrnoException;

    /** rename(2) semantics: replaces a target of compatible type; EINVAL moving a dir under itself. */
    default void rename(long srcDir, String srcName, long dstDir, String dstName) throws ErrnoException {
        rename(srcDir, srcName, dstDir, dstName, 0);
    }

    /** renameat2(2) flag: fail with EEXIST rather than replace. */
    int RENAME_NOREPLACE = 1;
    /** renameat2(2) flag: swap the two names atomically (both must exist: ENOENT). */
    int RENAME_EXCHANGE = 2;

    /** renameat2(2) with {@link #RENAME_NOREPLACE} or {@link #RENAME_EXCHANGE} (flags checked by vfs). */
    void rename(long srcDir, String srcName, long dstDir, String dstName, int flags) throws ErrnoException;

    /** Entries in name order, without "." and "..". */
    List<DirEntry> readdir(long dirIno) throws ErrnoException;

    /** Tell the fs an inode is open (pins an unlinked inode until {@link #release}). */
    void open(long ino) throws ErrnoException;

    void release(long ino) throws ErrnoException;

    // ---- attributes ----
    InodeAttr getattr(long ino) throws ErrnoException;

    /** Changes attributes; ctime becomes the current time (as notify_change sets ATTR_CTIME). */
    void setattr(long ino, SetAttr change) throws ErrnoException;

    /**
     * touch_atime under relatime (Linux's default mount option): atime becomes now when it is not
     * later than mtime or ctime, or is a day old; called by the VFS after read, readdir, readlink and
     * mmap. Logged lazily, like the times of an overwrite.
     */
    void accessed(long ino) throws ErrnoException;

    // ---- data (DAX semantics, reference §1.4) ----
    /** Bytes read (0 at or past EOF); EIO on known poison in a mapped extent, short on latent poison. */
    int read(long ino, long pos, byte[] buf, int off, int len) throws ErrnoException;

    /** Bytes written (may be short); allocates and zeroes holes through the block path. */
    int write(long ino, long pos, byte[] buf, int off, int len) throws ErrnoException;

    void truncate(long ino, long size) throws ErrnoException;

    /** fallocate after the generic vfs checks, with the mode vfs decoded ({@link FallocateMode#of}). */
    void fallocate(long ino, FallocateMode mode, long offset, long len) throws ErrnoException;

    /**
     * Salvage (pmemfs's PMEMFS_IOC_SALVAGE): every written block overlapping {@code [offset,
     * offset+len)} that holds known poison is cleared in place and written back with all of its
     * sectors that could still be read, as one journaled step; only the poisoned sectors read as zeros
     * afterwards. EOPNOTSUPP when the mount has {@code zeroinit=off}.
     */
    SalvageResult salvage(long ino, long offset, long len) throws ErrnoException;

    /** Extents overlapping {@code [start, start+len)}, file order, holes omitted. */
    List<FileExtent> extents(long ino, long start, long len) throws ErrnoException;

    /** SEEK_DATA / SEEK_HOLE; ENXIO when {@code pos >= size} or no data follows. */
    long seekData(long ino, long pos) throws ErrnoException;

    long seekHole(long ino, long pos) throws ErrnoException;

    void fsync(long ino) throws ErrnoException;

    /**
     * A DAX page fault on page {@code pgoff} of the file: the device window backing it (allocating
     * and zeroing a hole when {@code write}). A read fault on a hole or unwritten page returns a window
     * on the filesystem's all-zero page (Linux's shared zero page; nothing is allocated): never store
     * through a window from a read fault. EHWPOISON when the page holds known poison; EFAULT (SIGBUS)
     * past EOF.
     */
    dev.pmemfs.dax.DaxWindow fault(long ino, long pgoff, boolean write) throws ErrnoException;

    // ---- reverse mapping (which file a bad block hit) ----
    /** Who owns the filesystem block holding device byte {@code deviceOffset} (rmap query). */
    BlockOwner owner(long deviceOffset) throws ErrnoException;

    /** An absolute path of the inode, from its parent pointers ("/dir/file"); ENOENT if unlinked. */
    String path(long ino) throws ErrnoException;

    /**
     * Media failures the filesystem was notified of since mount (consumed poison, memory_failure), each
     * with the owner the rmap named: the "which file did the error hit" record; also metadata blocks it
     * found poisoned when reading them (mfFlags 0).
     */
    List<MediaFailure> mediaFailures();

    /**
     * Which files and structures the device's known bad ranges hit right now: the owner of every
     * filesystem block overlapping {@code DaxDevice.knownBadRanges()} (the "which files are hit" query
     * of `pmemfs badblocks`), in device order.
     */
    List<BlockOwner> badblockOwners() throws ErrnoException;

    /** syncfs(2): every committed metadata change written in place (journal checkpoint), busy blocks freed. */
    void syncfs() throws ErrnoException;

    /** Flushes the journal and unmounts cleanly. */
    @Override
    void close() throws ErrnoException;
}
