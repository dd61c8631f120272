package dev.pmemfs.vfs;

import static dev.pmemfs.vfs.InodePermission.MAY_EXEC;
import static dev.pmemfs.vfs.InodePermission.MAY_READ;
import static dev.pmemfs.vfs.InodePermission.MAY_WRITE;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.DirEntry;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.fs.FileType;
import dev.pmemfs.fs.InodeAttr;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The directory system calls of one process: unlink, mkdir, mknod, symlink, link, rmdir, rename
 * (renameat2 flags) and readdir, with the checks of fs/namei.c ({@code may_delete}, {@code may_create},
 * {@code may_linkat}, {@code do_renameat2}'s trap rules) in Linux's order before one call into the
 * filesystem.
 */
final class DirectoryCalls {
    private final FileSystem fs;
    private final Credentials cred;

    DirectoryCalls(FileSystem fs, Credentials cred) {
        this.fs = fs;
        this.cred = cred;
    }

    void unlink(String path) throws ErrnoException {
        PathWalk w = PathWalk.walk(fs, cred, path, "unlink");
        if (w.last() != PathWalk.Last.NORM) {
            throw new ErrnoException(Errno.EISDIR, "unlink", path);
        }
        InodeAttr victim = fs.getattr(w.require(fs, "unlink"));
        if (w.trailingSlash()) {
            throw new ErrnoException(victim.type() == FileType.DIRECTORY ? Errno.EISDIR : Errno.ENOTDIR, "unlink", path);
        }
        mayDelete(w, victim, false, "unlink");
        fs.unlink(w.dirIno(), w.name());
    }

    void mkdir(String path, int mode) throws ErrnoException {
        PathWalk w = PathWalk.walk(fs, cred, path, "mkdir");
        if (w.last() != PathWalk.Last.NORM || w.lookup(fs).isPresent()) {
            throw new ErrnoException(Errno.EEXIST, "mkdir", path);
        }
        InodePermission.require(cred, w.dirAttr(), MAY_WRITE | MAY_EXEC, "mkdir");
        fs.create(w.dirIno(), w.name(), FileType.DIRECTORY, mode & 01777, cred.uid(), cred.gid());
    }

    /**
     * mknod(2) ({@code do_mknodat}): {@code may_mknod} first (EPERM for S_IFDIR, EINVAL for an unknown
     * type; S_IFREG or no type makes a regular file), EEXIST, {@code may_create}, then CAP_MKNOD for
     * character and block devices (EPERM).
     */
    void mknod(String path, int mode, long dev) throws ErrnoException {
        int ifmt = mode & Stat.S_IFMT;
        FileType type = ifmt == 0 ? FileType.REGULAR : FileType.ofMode(ifmt);
        if (type == FileType.DIRECTORY) {
            throw new ErrnoException(Errno.EPERM, "mknod", path + ": use mkdir for directories");
        }
        if (type == null || type == FileType.SYMLINK) {
            throw new ErrnoException(Errno.EINVAL, "mknod", path + ": file type 0" + Integer.toOctalString(ifmt));
        }
        PathWalk w = createWalk(path, "mknod");
        InodePermission.require(cred, w.dirAttr(), MAY_WRITE | MAY_EXEC, "mknod");
        if ((type == FileType.CHAR_DEVICE || type == FileType.BLOCK_DEVICE)
                && !cred.has(Credentials.Capability.CAP_MKNOD)) {
            throw new ErrnoException(Errno.EPERM, "mknod", path + ": device files need CAP_MKNOD");
        }
        if (type == FileType.REGULAR) {
            fs.create(w.dirIno(), w.name(), FileType.REGULAR, mode & 07777, cred.uid(), cred.gid());
        } else {
            fs.mknod(w.dirIno(), w.name(), type, mode & 07777, cred.uid(), cred.gid(), type.special() ? dev : 0);
        }
    }

    /**
     * The walk for a call that creates its last component ({@code filename_create}): EEXIST for ".",
     * ".." or "/" and for an existing name (a symlink is not followed), ENOENT for a trailing slash.
     */
    private PathWalk createWalk(String path, String op) throws ErrnoException {
        PathWalk w = PathWalk.walk(fs, cred, path, op);
        if (w.last() != PathWalk.Last.NORM || w.lookup(fs).isPresent()) {
            throw new ErrnoException(Errno.EEXIST, op, path);
        }
        if (w.trailingSlash()) {
            throw new ErrnoException(Errno.ENOENT, op, path + ": trailing slash on a name that is not a directory");
        }
        return w;
    }

    /**
     * symlink(2) ({@code do_symlinkat}): an empty target is ENOENT, one of PATH_MAX or more
     * ENAMETOOLONG; EEXIST; {@code may_create}; the filesystem refuses targets of 1024 bytes or more
     * (XFS_SYMLINK_MAXLEN) with ENAMETOOLONG.
     */
    void symlink(String target, String linkPath) throws ErrnoException {
        if (target.isEmpty()) {
            throw new ErrnoException(Errno.ENOENT, "symlink", "empty target");
        }
        if (target.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= PathWalk.PATH_MAX) {
            throw new ErrnoException(Errno.ENAMETOOLONG, "symlink", "target longer than PATH_MAX");
        }
        PathWalk w = createWalk(linkPath, "symlink");
        InodePermission.require(cred, w.dirAttr(), MAY_WRITE | MAY_EXEC, "symlink");
        fs.symlink(w.dirIno(), w.name(), target, cred.uid(), cred.gid());
    }

    /**
     * link(2) ({@code do_linkat} without AT_SYMLINK_FOLLOW: the old name is not followed): ENOENT, EEXIST,
     * {@code may_linkat} (protected_hardlinks=1: a non-owner without CAP_FOWNER may link only a regular
     * file they can read and write, not setuid nor executable setgid: EPERM), {@code may_create} on the
     * new directory, EPERM for an append-only or immutable inode, EPERM for a directory.
     */
    void link(String oldPath, String newPath) throws ErrnoException {
        PathWalk ow = PathWalk.walk(fs, cred, oldPath, "link");
        InodeAttr old = fs.getattr(ow.require(fs, "link"));
        if (ow.trailingSlash() && old.type() != FileType.DIRECTORY) {
            throw new ErrnoException(Errno.ENOTDIR, "link", oldPath + ": trailing slash on a non-directory");
        }
        PathWalk nw = createWalk(newPath, "link");
        if (!mayLinkat(old)) {
            throw new ErrnoException(Errno.EPERM, "link", oldPath + ": protected_hardlinks: uid " + cred.uid()
                    + " neither owns inode " + old.ino() + " nor may read and write it");
        }
        InodePermission.require(cred, nw.dirAttr(), MAY_WRITE | MAY_EXEC, "link");
        if (old.appendOnly() || old.immutable()) {
            throw new ErrnoException(Errno.EPERM, "link", oldPath + " is " + (old.immutable() ? "immutable" : "append-only"));
        }
        if (old.type() == FileType.DIRECTORY) {
            throw new ErrnoException(Errno.EPERM, "link", oldPath + " is a directory");
        }
        fs.link(old.ino(), nw.dirIno(), nw.name());
    }

    /** {@code may_linkat} with fs.protected_hardlinks = 1 (the default of every distribution). */
    private boolean mayLinkat(InodeAttr attr) {
        if (InodePermission.ownerOrCapable(cred, attr)) {
            return true;
        }
        if (attr.type() != FileType.REGULAR) {
            return false;
        }
        if ((attr.mode() & 04000) != 0 || (attr.mode() & 02010) == 02010) {
            return false;
        }
        return InodePermission.generic(cred, attr, MAY_READ | MAY_WRITE);
    }

    void rmdir(String path) throws ErrnoException {
        PathWalk w = PathWalk.walk(fs, cred, path, "rmdir");
        switch (w.last()) {
            case DOT -> throw new ErrnoException(Errno.EINVAL, "rmdir", path + ": cannot remove '.'");
            case DOTDOT -> throw new ErrnoException(Errno.ENOTEMPTY, "rmdir", path);
            case ROOT -> throw new ErrnoException(Errno.EBUSY, "rmdir", "the root directory");
            case NORM -> { }
        }
        InodeAttr victim = fs.getattr(w.require(fs, "rmdir"));
        mayDelete(w, victim, true, "rmdir");
        fs.rmdir(w.dirIno(), w.name());
    }

    /**
     * {@code may_delete}: write+search on the directory (EPERM if it is immutable, EACCES), EPERM when
     * the directory is append-only or the victim immutable or append-only, then the type rules.
     */
    private void mayDelete(PathWalk w, InodeAttr victim, boolean isDir, String op) throws ErrnoException {
        InodePermission.require(cred, w.dirAttr(), MAY_WRITE | MAY_EXEC, op);
        if (w.dirAttr().appendOnly()) {
            throw new ErrnoException(Errno.EPERM, op, "directory of " + w.path() + " is append-only");
        }
        if (victim.appendOnly() || victim.immutable()) {
            throw new ErrnoException(Errno.EPERM, op, w.path() + " is " + (victim.immutable() ? "immutable" : "append-only"));
        }
        boolean dir = victim.type() == FileType.DIRECTORY;
        if (isDir && !dir) {
            throw new ErrnoException(Errno.ENOTDIR, op, w.path());
        }
        if (isDir && victim.ino() == fs.rootIno()) {
            throw new ErrnoException(Errno.EBUSY, op, "the root directory");
        }
        if (!isDir && dir) {
            throw new ErrnoException(Errno.EISDIR, op, w.path());
        }
    }

    /** renameat2(2) flags, include/uapi/linux/fs.h. */
    static final int RENAME_NOREPLACE = 1;
    static final int RENAME_EXCHANGE = 2;
    static final int RENAME_WHITEOUT = 4;

    /**
     * renameat2(2) ({@code do_renameat2}): unknown flags, NOREPLACE or WHITEOUT with EXCHANGE → EINVAL;
     * WHITEOUT needs CAP_MKNOD (EPERM) and pmemfs stores no whiteouts (EINVAL); the walks; EBUSY for
     * ".", ".." or "/"; ENOENT; EEXIST for an existing target under NOREPLACE; ENOENT for a missing one
     * under EXCHANGE; ENOTDIR for trailing slashes on non-directories; the traps (EINVAL, ENOTEMPTY);
     * then {@code vfs_rename}'s {@code may_delete}/{@code may_create} and the ".." write permission.
     */
    void rename(String from, String to, int flags) throws ErrnoException {
        if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) != 0
                || ((flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) != 0 && (flags & RENAME_EXCHANGE) != 0)) {
            throw new ErrnoException(Errno.EINVAL, "rename", "flags 0x" + Integer.toHexString(flags));
        }
        if ((flags & RENAME_WHITEOUT) != 0) {
            if (!cred.has(Credentials.Capability.CAP_MKNOD)) {
                throw new ErrnoException(Errno.EPERM, "rename", "RENAME_WHITEOUT needs CAP_MKNOD");
            }
            throw new ErrnoException(Errno.EINVAL, "rename", "pmemfs does not store whiteouts (RENAME_WHITEOUT)");
        }
        boolean exchange = (flags & RENAME_EXCHANGE) != 0;
        PathWalk src = PathWalk.walk(fs, cred, from, "rename");
        PathWalk dst = PathWalk.walk(fs, cred, to, "rename");
        if (src.last() != PathWalk.Last.NORM || dst.last() != PathWalk.Last.NORM) {
            throw new ErrnoException((flags & RENAME_NOREPLACE) != 0 && dst.last() != PathWalk.Last.NORM
                    ? Errno.EEXIST : Errno.EBUSY, "rename", from + " -> " + to + ": '.', '..' or '/'");
        }
        InodeAttr srcAttr = fs.getattr(src.require(fs, "rename"));
        boolean srcDir = srcAttr.type() == FileType.DIRECTORY;
        OptionalLong target = dst.lookup(fs);
        if ((flags & RENAME_NOREPLACE) != 0 && target.isPresent()) {
            throw new ErrnoException(Errno.EEXIST, "rename", to + " exists (RENAME_NOREPLACE)");
        }
        InodeAttr dstAttr = target.isPresent() ? fs.getattr(target.getAsLong()) : null;
        if (exchange) {
            if (dstAttr == null) {
                throw new ErrnoException(Errno.ENOENT, "rename", to + " (RENAME_EXCHANGE needs both names)");
            }
            if (dstAttr.type() != FileType.DIRECTORY && dst.trailingSlash()) {
                throw new ErrnoException(Errno.ENOTDIR, "rename", to + ": trailing slash on a non-directory");
            }
        }
        if (!srcDir && (src.trailingSlash() || (!exchange && dst.trailingSlash()))) {
            throw new ErrnoException(Errno.ENOTDIR, "rename", from + " -> " + to + ": trailing slash on a non-directory");
        }
        // lock_rename's traps: a directory cannot move below itself.
        if (srcDir && dst.passesThrough(srcAttr.ino())) {
            throw new ErrnoException(Errno.EINVAL, "rename", from + " -> " + to + ": would move a directory below itself");
        }
        if (target.isPresent() && src.passesThrough(target.getAsLong())) {
            throw new ErrnoException(exchange ? Errno.EINVAL : Errno.ENOTEMPTY, "rename", to + " is an ancestor of " + from);
        }
        if (target.isPresent() && target.getAsLong() == srcAttr.ino()) {
            return;
        }
        mayDelete(src, srcAttr, srcDir, "rename");
        if (target.isEmpty()) {
            InodePermission.require(cred, dst.dirAttr(), MAY_WRITE | MAY_EXEC, "rename");
        } else {
            boolean dstDir = dstAttr.type() == FileType.DIRECTORY;
            mayDelete(dst, dstAttr, exchange ? dstDir : srcDir, "rename");
            if (exchange && dstDir && src.dirIno() != dst.dirIno()) {
                InodePermission.require(cred, dstAttr, MAY_WRITE, "rename");
            }
        }
        if (srcDir && src.dirIno() != dst.dirIno()) {
            // Its ".." changes, which is a write to the directory being moved.
            InodePermission.require(cred, srcAttr, MAY_WRITE, "rename");
        }
        fs.rename(src.dirIno(), src.name(), dst.dirIno(), dst.name(), exchange ? FileSystem.RENAME_EXCHANGE
                : (flags & RENAME_NOREPLACE));
    }

    List<String> readdir(String path) throws ErrnoException {
        PathWalk w = PathWalk.walkFollow(fs, cred, path, "readdir");
        InodeAttr attr = fs.getattr(w.require(fs, "readdir"));
        if (attr.type() != FileType.DIRECTORY) {
            throw new ErrnoException(Errno.ENOTDIR, "readdir", path);
        }
        InodePermission.require(cred, attr, MAY_READ, "readdir");
        fs.accessed(attr.ino());
        List<String> names = new ArrayList<>();
        for (DirEntry e : fs.readdir(attr.ino())) {
            names.add(e.name());
        }
        names.sort(null);
        return List.copyOf(names);
    }
}
