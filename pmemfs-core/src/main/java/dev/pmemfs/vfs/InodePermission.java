package dev.pmemfs.vfs;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FileType;
import dev.pmemfs.fs.InodeAttr;
import dev.pmemfs.vfs.Credentials.Capability;

/**
 * Who may do what to an inode: mirrors {@code inode_permission}, {@code generic_permission},
 * {@code inode_owner_or_capable} and the capability rules of fs/namei.c and fs/attr.c (no ACLs, no
 * user namespaces: the capability is either held or not).
 */
final class InodePermission {
    static final int MAY_EXEC = 1;
    static final int MAY_WRITE = 2;
    static final int MAY_READ = 4;

    private static final int S_IXUGO = 0111;

    private InodePermission() {}

    /**
     * {@code inode_permission}: nobody gets write access to an immutable inode (EPERM), then the DAC
     * check (EACCES).
     */
    static void require(Credentials cred, InodeAttr attr, int mask, String op) throws ErrnoException {
        if ((mask & MAY_WRITE) != 0 && attr.immutable()) {
            throw new ErrnoException(Errno.EPERM, op, "inode " + attr.ino() + " is immutable");
        }
        if (!generic(cred, attr, mask)) {
            throw new ErrnoException(Errno.EACCES, op, "inode " + attr.ino() + " mode 0" + Integer.toOctalString(
                    attr.mode()) + " owner " + attr.uid() + ":" + attr.gid() + " denies " + maskName(mask)
                    + " to uid " + cred.uid());
        }
    }

    /** {@code generic_permission}: owner, group or other bits, then the DAC-override capabilities. */
    static boolean generic(Credentials cred, InodeAttr attr, int mask) {
        mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
        int mode = attr.mode();
        int granted;
        if (cred.uid() == attr.uid()) {
            granted = (mode >> 6) & 7;
        } else if (cred.inGroup(attr.gid())) {
            granted = (mode >> 3) & 7;
        } else {
            granted = mode & 7;
        }
        if ((mask & ~granted) == 0) {
            return true;
        }
        if (attr.type() == FileType.DIRECTORY) {
            if ((mask & MAY_WRITE) == 0 && cred.has(Capability.CAP_DAC_READ_SEARCH)) {
                return true;
            }
            return cred.has(Capability.CAP_DAC_OVERRIDE);
        }
        if (mask == MAY_READ && cred.has(Capability.CAP_DAC_READ_SEARCH)) {
            return true;
        }
        // Read/write are always overridable; exec only when some exec bit is set.
        if ((mask & MAY_EXEC) == 0 || (mode & S_IXUGO) != 0) {
            return cred.has(Capability.CAP_DAC_OVERRIDE);
        }
        return false;
    }

    /** {@code inode_owner_or_capable}: the owner, or CAP_FOWNER. */
    static boolean ownerOrCapable(Credentials cred, InodeAttr attr) {
        return cred.uid() == attr.uid() || cred.has(Capability.CAP_FOWNER);
    }

    static void requireOwnerOrCapable(Credentials cred, InodeAttr attr, String op) throws ErrnoException {
        if (!ownerOrCapable(cred, attr)) {
            throw new ErrnoException(Errno.EPERM, op, "uid " + cred.uid() + " does not own inode " + attr.ino()
                    + " (owner " + attr.uid() + ") and lacks CAP_FOWNER");
        }
    }

    /** {@code chown_ok}: keeping the owner as oneself, or CAP_CHOWN. */
    static boolean chownOk(Credentials cred, InodeAttr attr, int uid) {
        if (cred.uid() == attr.uid() && uid == attr.uid()) {
            return true;
        }
        return cred.has(Capability.CAP_CHOWN);
    }

    /** {@code chgrp_ok}: the owner moving the file to a group they are in (or keeping it), or CAP_CHOWN. */
    static boolean chgrpOk(Credentials cred, InodeAttr attr, int gid) {
        if (cred.uid() == attr.uid() && (gid == attr.gid() || cred.inGroup(gid))) {
            return true;
        }
        return cred.has(Capability.CAP_CHOWN);
    }

    private static String maskName(int mask) {
        StringBuilder s = new StringBuilder();
        if ((mask & MAY_READ) != 0) {
            s.append('r');
        }
        if ((mask & MAY_WRITE) != 0) {
            s.append('w');
        }
        if ((mask & MAY_EXEC) != 0) {
            s.append('x');
        }
        return s.toString();
    }
}
