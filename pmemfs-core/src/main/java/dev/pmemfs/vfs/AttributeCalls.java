package dev.pmemfs.vfs;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.fs.FileType;
import dev.pmemfs.fs.InodeAttr;
import dev.pmemfs.fs.SetAttr;
import dev.pmemfs.vfs.Credentials.Capability;

/**
 * The attribute system calls of one process: chmod, chown/lchown, utimensat/futimens,
 * FS_IOC_GETFLAGS/SETFLAGS, and the privilege dropping of writes and truncates. Mirrors fs/attr.c
 * ({@code notify_change}, {@code may_setattr}, {@code setattr_prepare}, {@code chown_ok}), fs/utimes.c,
 * fs/ioctl.c ({@code vfs_fileattr_set}) and {@code file_remove_privs} (fs/inode.c).
 */
final class AttributeCalls {
    private static final int S_ISUID = 04000;
    private static final int S_ISGID = 02000;
    private static final int S_IXGRP = 00010;
    private static final int SUPPORTED_FLAGS = InodeAttr.FS_IMMUTABLE_FL | InodeAttr.FS_APPEND_FL;

    private final FileSystem fs;
    private final Credentials cred;

    AttributeCalls(FileSystem fs, Credentials cred) {
        this.fs = fs;
        this.cred = cred;
    }

    void chmod(String path, int mode) throws ErrnoException {
        PathWalk w = PathWalk.walkFollow(fs, cred, path, "chmod");
        InodeAttr attr = fs.getattr(w.require(fs, "chmod"));
        requireNotImmutableOrAppend(attr, path, "chmod");
        InodePermission.requireOwnerOrCapable(cred, attr, "chmod");
        int m = mode & 07777;
        // setattr_prepare: setgid survives only for members of the file's group, or with CAP_FSETID.
        if (!cred.inGroup(attr.gid()) && !cred.has(Capability.CAP_FSETID)) {
            m &= ~S_ISGID;
        }
        fs.setattr(attr.ino(), SetAttr.mode(m));
    }

    /** chown(2) follows a final symlink; lchown(2) ({@code follow} false) changes the link itself. */
    void chown(String path, int uid, int gid, boolean follow) throws ErrnoException {
        PathWalk w = follow ? PathWalk.walkFollow(fs, cred, path, "chown") : PathWalk.walk(fs, cred, path, "chown");
        InodeAttr attr = fs.getattr(w.require(fs, "chown"));
        if (uid == -1 && gid == -1) {
            return;
        }
        requireNotImmutableOrAppend(attr, path, "chown");
        if (uid != -1 && !InodePermission.chownOk(cred, attr, uid)) {
            throw new ErrnoException(Errno.EPERM, "chown", "uid " + cred.uid() + " may not give inode " + attr.ino()
                    + " to uid " + uid + " without CAP_CHOWN");
        }
        if (gid != -1 && !InodePermission.chgrpOk(cred, attr, gid)) {
            throw new ErrnoException(Errno.EPERM, "chown", "uid " + cred.uid() + " may not move inode "
                    + attr.ino() + " to group " + gid + " without CAP_CHOWN");
        }
        Integer mode = null;
        if (attr.type() != FileType.DIRECTORY && attr.type() != FileType.SYMLINK) {
            int m = killSuidSgid(attr.mode());
            if (m != attr.mode()) {
                mode = m;
            }
        }
        fs.setattr(attr.ino(), new SetAttr(mode, uid == -1 ? null : uid, gid == -1 ? null : gid, null, null, null));
    }

    /** utimensat's AT_SYMLINK_NOFOLLOW. */
    static final int AT_SYMLINK_NOFOLLOW = 0x100;

    /**
     * utimensat(2): both times UTIME_OMIT → nothing, not even the lookup; invalid nanoseconds → EINVAL;
     * flags other than AT_SYMLINK_NOFOLLOW → EINVAL; the walk; then {@link #utimes}.
     *
     * @param atime null together with {@code mtime} null: both "now" (times == NULL)
     */
    void utimensat(String path, Timespec atime, Timespec mtime, int flags) throws ErrnoException {
        if (atime != null && mtime != null && atime.nsec() == Timespec.UTIME_OMIT
                && mtime.nsec() == Timespec.UTIME_OMIT) {
            return;
        }
        checkTimes(atime, mtime);
        if ((flags & ~AT_SYMLINK_NOFOLLOW) != 0) {
            throw new ErrnoException(Errno.EINVAL, "utimensat", "flags 0x" + Integer.toHexString(flags));
        }
        PathWalk w = (flags & AT_SYMLINK_NOFOLLOW) != 0 ? PathWalk.walk(fs, cred, path, "utimensat")
                : PathWalk.walkFollow(fs, cred, path, "utimensat");
        InodeAttr attr = fs.getattr(w.require(fs, "utimensat"));
        if (w.trailingSlash() && attr.type() != FileType.DIRECTORY) {
            throw new ErrnoException(Errno.ENOTDIR, "utimensat", path + ": trailing slash on a non-directory");
        }
        utimes(attr, atime, mtime);
    }

    /** futimens(3) (utimensat on a descriptor). */
    void futimens(long ino, Timespec atime, Timespec mtime) throws ErrnoException {
        if (atime != null && mtime != null && atime.nsec() == Timespec.UTIME_OMIT
                && mtime.nsec() == Timespec.UTIME_OMIT) {
            return;
        }
        checkTimes(atime, mtime);
        utimes(fs.getattr(ino), atime, mtime);
    }

    private static void checkTimes(Timespec atime, Timespec mtime) throws ErrnoException {
        if ((atime == null) != (mtime == null)) {
            throw new IllegalArgumentException("give both times or neither");
        }
        if (atime != null && (!atime.valid() || !mtime.valid())) {
            throw new ErrnoException(Errno.EINVAL, "utimensat", "tv_nsec outside 0..999999999, UTIME_NOW, UTIME_OMIT");
        }
    }

    /**
     * {@code vfs_utimes} + {@code may_setattr} + {@code setattr_prepare}: setting both times to now
     * (ATTR_TOUCH) needs the owner, CAP_FOWNER or write permission (EACCES) and is refused on an
     * immutable file (EPERM); setting an explicit time (ATTR_TIMES_SET) needs the owner or CAP_FOWNER
     * (EPERM) and is refused on an immutable or append-only file (EPERM). ctime becomes now.
     */
    private void utimes(InodeAttr attr, Timespec atime, Timespec mtime) throws ErrnoException {
        boolean touch = atime == null || (atime.nsec() == Timespec.UTIME_NOW && mtime.nsec() == Timespec.UTIME_NOW);
        String op = "utimensat";
        if (touch) {
            if (attr.immutable()) {
                throw new ErrnoException(Errno.EPERM, op, "inode " + attr.ino() + " is immutable");
            }
            if (!InodePermission.ownerOrCapable(cred, attr)) {
                InodePermission.require(cred, attr, InodePermission.MAY_WRITE, op);
            }
            fs.setattr(attr.ino(), SetAttr.times(SetAttr.NOW, SetAttr.NOW));
            return;
        }
        if (attr.immutable() || attr.appendOnly()) {
            throw new ErrnoException(Errno.EPERM, op, "inode " + attr.ino() + " is "
                    + (attr.immutable() ? "immutable" : "append-only"));
        }
        InodePermission.requireOwnerOrCapable(cred, attr, op);
        fs.setattr(attr.ino(), SetAttr.times(timeOf(atime), timeOf(mtime)));
    }

    private static Long timeOf(Timespec t) {
        if (t.nsec() == Timespec.UTIME_OMIT) {
            return null;
        }
        return t.nsec() == Timespec.UTIME_NOW ? SetAttr.NOW : t.toNanos();
    }

    int getFlags(long ino) throws ErrnoException {
        return fs.getattr(ino).flags();
    }

    /**
     * FS_IOC_SETFLAGS ({@code vfs_fileattr_set}): the owner or CAP_FOWNER (EPERM); changing immutable
     * or append-only needs CAP_LINUX_IMMUTABLE (EPERM); flags pmemfs does not store → EOPNOTSUPP.
     */
    void setFlags(long ino, int flags) throws ErrnoException {
        String op = "ioctl(FS_IOC_SETFLAGS)";
        InodeAttr attr = fs.getattr(ino);
        InodePermission.requireOwnerOrCapable(cred, attr, op);
        int changed = (attr.flags() ^ flags) & (InodeAttr.FS_IMMUTABLE_FL | InodeAttr.FS_APPEND_FL);
        if (changed != 0 && !cred.has(Capability.CAP_LINUX_IMMUTABLE)) {
            throw new ErrnoException(Errno.EPERM, op, "changing immutable/append-only needs CAP_LINUX_IMMUTABLE");
        }
        if ((flags & ~SUPPORTED_FLAGS) != 0) {
            throw new ErrnoException(Errno.EOPNOTSUPP, op, "flags 0x" + Integer.toHexString(flags & ~SUPPORTED_FLAGS)
                    + " are not supported by pmemfs");
        }
        fs.setattr(attr.ino(), SetAttr.flags(flags));
    }

    private static void requireNotImmutableOrAppend(InodeAttr attr, String path, String op) throws ErrnoException {
        if (attr.immutable() || attr.appendOnly()) {
            throw new ErrnoException(Errno.EPERM, op, path + " is " + (attr.immutable() ? "immutable" : "append-only"));
        }
    }

    /** {@code file_remove_privs}: a write or truncate drops setuid/setgid unless the caller has CAP_FSETID. */
    void removePrivs(InodeAttr attr) throws ErrnoException {
        int m = killSuidSgid(attr.mode());
        if (m != attr.mode() && !cred.has(Capability.CAP_FSETID)) {
            fs.setattr(attr.ino(), SetAttr.mode(m));
        }
    }

    /** setuid always goes; setgid only together with group-exec (otherwise it means mandatory locking). */
    private static int killSuidSgid(int mode) {
        int m = mode & ~S_ISUID;
        if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)) {
            m &= ~S_ISGID;
        }
        return m;
    }
}
