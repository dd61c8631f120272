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
 * The directory system calls of one process: unlink, mkdir, rmdir, rename and readdir, with the
 * checks of fs/namei.c ({@code may_delete}, {@code may_create}, {@code do_renameat2}'s trap rules) before
 * one call into the filesystem.
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

    void rename(String from, String to) throws ErrnoException {
        PathWalk src = PathWalk.walk(fs, cred, from, "rename");
        PathWalk dst = PathWalk.walk(fs, cred, to, "rename");
        if (src.last() != PathWalk.Last.NORM || dst.last() != PathWalk.Last.NORM) {
            throw new ErrnoException(Errno.EBUSY, "rename", from + " -> " + to + ": '.', '..' or '/'");
        }
        InodeAttr srcAttr = fs.getattr(src.require(fs, "rename"));
        boolean srcDir = srcAttr.type() == FileType.DIRECTORY;
        if (!srcDir && (src.trailingSlash() || dst.trailingSlash())) {
            throw new ErrnoException(Errno.ENOTDIR, "rename", from + " -> " + to + ": trailing slash on a non-directory");
        }
        // lock_rename's trap: a directory cannot move below itself.
        if (srcDir && dst.passesThrough(srcAttr.ino())) {
            throw new ErrnoException(Errno.EINVAL, "rename", from + " -> " + to + ": would move a directory below itself");
        }
        OptionalLong target = dst.lookup(fs);
        if (target.isPresent() && src.passesThrough(target.getAsLong())) {
            throw new ErrnoException(Errno.ENOTEMPTY, "rename", to + " is an ancestor of " + from);
        }
        if (target.isPresent() && target.getAsLong() == srcAttr.ino()) {
            return;
        }
        mayDelete(src, srcAttr, srcDir, "rename");
        if (target.isEmpty()) {
            InodePermission.require(cred, dst.dirAttr(), MAY_WRITE | MAY_EXEC, "rename");
        } else {
            mayDelete(dst, fs.getattr(target.getAsLong()), srcDir, "rename");
        }
        if (srcDir && src.dirIno() != dst.dirIno()) {
            // Its ".." changes, which is a write to the directory being moved.
            InodePermission.require(cred, srcAttr, MAY_WRITE, "rename");
        }
        fs.rename(src.dirIno(), src.name(), dst.dirIno(), dst.name());
    }

    List<String> readdir(String path) throws ErrnoException {
        PathWalk w = PathWalk.walk(fs, cred, path, "readdir");
        InodeAttr attr = fs.getattr(w.require(fs, "readdir"));
        if (attr.type() != FileType.DIRECTORY) {
            throw new ErrnoException(Errno.ENOTDIR, "readdir", path);
        }
        InodePermission.require(cred, attr, MAY_READ, "readdir");
        List<String> names = new ArrayList<>();
        for (DirEntry e : fs.readdir(attr.ino())) {
            names.add(e.name());
        }
        names.sort(null);
        return List.copyOf(names);
    }
}
