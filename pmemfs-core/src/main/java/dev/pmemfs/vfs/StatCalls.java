package dev.pmemfs.vfs;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.fs.FileType;
import dev.pmemfs.fs.InodeAttr;
import dev.pmemfs.fs.StatFs;
import java.nio.charset.StandardCharsets;

/**
 * The attribute-reading system calls of one process: stat/lstat/fstat and readlink (fs/stat.c),
 * faccessat (fs/open.c) and statfs/fstatfs (fs/statfs.c); the writing side is {@link AttributeCalls}.
 */
final class StatCalls {
    private final FileSystem fs;
    private final Credentials cred;
    private final FdTable fds;

    StatCalls(FileSystem fs, Credentials cred, FdTable fds) {
        this.fs = fs;
        this.cred = cred;
        this.fds = fds;
    }

    Stat fstat(int fd) throws ErrnoException {
        return toStat(fs.getattr(fds.get(fd, "fstat").ino()));
    }

    Stat stat(String path) throws ErrnoException {
        return stat(path, true);
    }

    Stat lstat(String path) throws ErrnoException {
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

    void access(String path, int mode) throws ErrnoException {
        if ((mode & ~(Syscalls.R_OK | Syscalls.W_OK | Syscalls.X_OK)) != 0) {
            throw new ErrnoException(Errno.EINVAL, "access", "mode 0" + Integer.toOctalString(mode));
        }
        // faccessat without AT_SYMLINK_NOFOLLOW: a final symlink is followed, as stat(2) follows it
        PathWalk w = PathWalk.walkFollow(fs, cred, path, "access");
        InodeAttr attr = fs.getattr(w.require(fs, "access"));
        if (w.trailingSlash() && attr.type() != FileType.DIRECTORY) {
            throw new ErrnoException(Errno.ENOTDIR, "access", path + ": trailing slash on a non-directory");
        }
        // Syscalls.R_OK, Syscalls.W_OK and Syscalls.X_OK have MAY_READ's, MAY_WRITE's and MAY_EXEC's values (4, 2, 1).
        if (mode != Syscalls.F_OK) {
            InodePermission.require(cred, attr, mode, "access");
        }
    }

    private static Stat toStat(InodeAttr a) {
        return new Stat(a.ino(), a.type().ifmt() | a.mode(), a.nlink(), a.uid(), a.gid(), a.size(),
                FileSystem.BLOCK_SIZE, a.blocks(), a.atimeNs(), a.mtimeNs(), a.ctimeNs(), a.rdev());
    }

    /** statfs(2): the walk (EACCES, ENOENT...), then the filesystem's figures. */
    StatFs statfs(String path) throws ErrnoException {
        PathWalk w = PathWalk.walkFollow(fs, cred, path, "statfs");
        w.require(fs, "statfs");
        return fs.statfs();
    }

    StatFs fstatfs(int fd) throws ErrnoException {
        fds.get(fd, "fstatfs");
        return fs.statfs();
    }

    /**
     * readlink(2) ({@code do_readlinkat}): EINVAL for a buffer size of 0 or less, the walk without
     * following the last component, EINVAL when it is not a symlink, atime touched, the target cut to
     * {@code bufsiz} bytes.
     */
    String readlink(String path, int bufsiz) throws ErrnoException {
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
        byte[] b = target.getBytes(StandardCharsets.UTF_8);
        return b.length <= bufsiz ? target
                : new String(b, 0, bufsiz, StandardCharsets.UTF_8);
    }
}
