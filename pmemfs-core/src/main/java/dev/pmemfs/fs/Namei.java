package dev.pmemfs.fs;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.List;

/**
 * Namespace operations: lookup, create, link, unlink, rmdir, rename, readdir (the parts of fs/namei.c
 * and xfs_inode.c below the VFS). Every change is one transaction. An inode whose last link goes is
 * torn down by {@link Inactivation}; the path of an inode is {@link ParentPaths}'s.
 */
final class Namei {
    /** Most blocks a directory grows by at once. */
    static final long DIR_GROW_MAX = 16;

    private final Volume vol;
    private final Inactivation reaper;

    Namei(Volume vol, Inactivation reaper) {
        this.vol = vol;
        this.reaper = reaper;
    }

    /** The directory inode, its entries loaded. ENOTDIR / ENOENT (deleted directory). */
    Directory dir(Inode in, String op) throws ErrnoException {
        assert vol.txLock.isHeldByCurrentThread();
        if (!in.isDir()) {
            throw new ErrnoException(Errno.ENOTDIR, op, "inode " + in.ino + " is not a directory");
        }
        if (in.dir == null) {
            in.dir = Directory.load(in, vol.meta);
        }
        return in.dir;
    }

    long lookupLocked(long dirIno, String name) throws ErrnoException {
        Inode d = vol.inodes.get(dirIno);
        Directory dir = dir(d, "lookup");
        if (name.equals(".")) {
            return dirIno;
        }
        if (name.equals("..")) {
            return d.parent;
        }
        Directory.checkName("lookup", name);
        DirEntry e = dir.lookup(name);
        if (e == null) {
            throw new ErrnoException(Errno.ENOENT, "lookup", "\"" + name + "\" in directory " + dirIno);
        }
        return e.ino();
    }

    List<DirEntry> readdirLocked(long dirIno) throws ErrnoException {
        return dir(vol.inodes.get(dirIno), "readdir").list();
    }

    long create(long dirIno, String name, FileType type, int mode, int uid, int gid) throws ErrnoException {
        return createNode("create", dirIno, name, type, mode, uid, gid, 0, null);
    }

    /**
     * Creates an inode of any type with one name: a device file gets {@code rdev}, a symlink
     * {@code target} (inline up to 192 bytes, else in one journaled block). The directory's mtime and
     * ctime and the new inode's three times are the same instant.
     */
    long createNode(String op, long dirIno, String name, FileType type, int mode, int uid, int gid, long rdev,
            String target) throws ErrnoException {
        int targetLen = target == null ? 0 : target.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (type == FileType.SYMLINK && (targetLen == 0 || targetLen > InodeCodec.SYMLINK_MAX)) {
            throw new ErrnoException(targetLen == 0 ? Errno.ENOENT : Errno.ENAMETOOLONG, op, "symlink target of "
                    + targetLen + " bytes (1.." + InodeCodec.SYMLINK_MAX + ")");
        }
        return vol.transact(op, tx -> {
            Directory.checkName(op, name);
            Inode d = vol.inodes.get(dirIno);
            Directory dir = dir(d, op);
            if (d.nlink == 0) {
                throw new ErrnoException(Errno.ENOENT, op, "directory " + dirIno + " was removed");
            }
            if (dir.lookup(name) != null) {
                throw new ErrnoException(Errno.EEXIST, op, "\"" + name + "\" in directory " + dirIno);
            }
            if (vol.inodes.freeInodes() == 0) {
                throw new ErrnoException(Errno.ENOSPC, op, "no free inodes");
            }
            boolean remote = type == FileType.SYMLINK && targetLen > InodeCodec.INLINE_TARGET;
            long need = (remote ? 1 : 0) + (dir.blockWithRoom(name) < 0 ? 1 : 0);
            if (need > 0 && vol.alloc.freeMetaBlocks() < need) {
                throw new ErrnoException(Errno.ENOSPC, op, "no space for a new " + (remote ? "symlink" : "directory")
                        + " block");
            }
            long now = vol.now();
            Inode in = vol.inodes.allocate(tx, type, mode, uid, gid, dirIno, now);
            if (type.special()) {
                in.rdev = rdev;
            }
            if (type == FileType.SYMLINK) {
                in.target = target;
                in.size = targetLen;
                if (remote) {
                    long[] run = vol.allocateMeta(tx, d.extents.size() == 0 ? vol.g.dataStart()
                            : d.extents.all().getFirst().devBlock(), 1);
                    if (run == null) {
                        throw new ErrnoException(Errno.ENOSPC, op, "no space for the symlink block");
                    }
                    in.extents.insert(new Extent(0, run[0], 1, false));
                    vol.rmap.set(tx, run[0], 1, in.ino, 0, 0);
                    in.blocks = 1;
                    tx.put(run[0], MetaBlock.MAGIC_SYMLINK, SymlinkBlock.encode(in.ino, target));
                }
            }
            addEntry(tx, d, new DirEntry(name, in.ino, type));
            if (type == FileType.DIRECTORY) {
                d.nlink++;
            }
            d.mtimeNs = d.ctimeNs = now;
            return in.ino;
        });
    }

    /**
     * link(2) below the VFS (xfs_link): a new name for a non-directory. EEXIST when the name is taken,
     * ENOENT when the target directory or the inode was removed, EPERM for a directory, EMLINK at the
     * link limit. The inode's ctime and the directory's mtime/ctime change.
     */
    void link(long ino, long dirIno, String name) throws ErrnoException {
        vol.transact("link", tx -> {
            Directory.checkName("link", name);
            Inode d = vol.inodes.get(dirIno);
            Directory dir = dir(d, "link");
            if (d.nlink == 0) {
                throw new ErrnoException(Errno.ENOENT, "link", "directory " + dirIno + " was removed");
            }
            if (dir.lookup(name) != null) {
                throw new ErrnoException(Errno.EEXIST, "link", "\"" + name + "\" in directory " + dirIno);
            }
            Inode in = vol.inodes.get(ino);
            if (in.isDir()) {
                throw new ErrnoException(Errno.EPERM, "link", "inode " + ino + " is a directory");
            }
            if (in.nlink == 0) {
                throw new ErrnoException(Errno.ENOENT, "link", "inode " + ino + " has been unlinked");
            }
            if (in.nlink >= InodeCodec.MAX_LINK) {
                throw new ErrnoException(Errno.EMLINK, "link", "inode " + ino + " has " + in.nlink + " links");
            }
            requireRoom(dir, name, "link");
            long now = vol.now();
            addEntry(tx, d, new DirEntry(name, ino, in.type));
            tx.dirty(in);
            in.nlink++;
            in.ctimeNs = now;
            d.mtimeNs = d.ctimeNs = now;
            return null;
        });
    }

    /** readlink: the target of a symlink, read from its block on first use; EINVAL for other types. */
    String readlinkLocked(Inode in) throws ErrnoException {
        if (in.type != FileType.SYMLINK) {
            throw new ErrnoException(Errno.EINVAL, "readlink", "inode " + in.ino + " is not a symlink");
        }
        if (in.target == null) {
            in.target = SymlinkBlock.read(vol.meta, in);
        }
        return in.target;
    }

    private void requireRoom(Directory dir, String name, String op) throws ErrnoException {
        if (dir.blockWithRoom(name) < 0 && vol.alloc.freeMetaBlocks() == 0) {
            throw new ErrnoException(Errno.ENOSPC, op, "no space for a new directory block");
        }
    }

    /** Adds an entry, growing the directory by one block when no block has room. */
    void addEntry(Transaction tx, Inode d, DirEntry e) throws ErrnoException {
        Directory dir = d.dir;
        tx.dirty(d);
        int bi = dir.blockWithRoom(e.name());
        if (bi < 0) {
            // Grow by a quarter of the directory (1 to 16 blocks) at once, so a directory of a million
            // entries takes a few hundred extents rather than one per block.
            long fb = dir.blockCount();
            long grow = Math.clamp(fb / 4, 1, DIR_GROW_MAX);
            Extent last = d.extents.find(fb - 1);
            long goal = last == null ? vol.g.dataStart() : last.devEnd();
            long got = 0;
            while (got < grow) {
                long[] run = vol.allocateMeta(tx, goal, grow - got);
                if (run == null) {
                    if (got > 0) {
                        break;
                    }
                    throw new ErrnoException(Errno.ENOSPC, "create", "no space for a new directory block");
                }
                d.extents.insert(new Extent(fb + got, run[0], run[1], false));
                vol.rmap.set(tx, run[0], run[1], d.ino, fb + got, 0);
                d.blocks += run[1];
                got += run[1];
                goal = run[0] + run[1];
            }
            d.size = (fb + got) * MetaBlock.SIZE;
            bi = dir.addBlock();
            for (long k = 1; k < got; k++) {
                int empty = dir.addBlock();
                dir.logBlock(tx, empty, devOf(d, empty));
            }
            dir.preferBlock(bi);
        }
        dir.add(bi, e);
        dir.logBlock(tx, bi, devOf(d, bi));
    }

    private long devOf(Inode d, long fb) {
        Extent x = d.extents.find(fb);
        return x.devBlock() + (fb - x.fileBlock());
    }

    void removeEntry(Transaction tx, Inode d, String name) {
        tx.dirty(d);
        int bi = d.dir.remove(name);
        d.dir.logBlock(tx, bi, devOf(d, bi));
    }

    /** unlink(2): removes a name of a non-directory; the inode goes with its last link (and last opener). */
    void unlink(long dirIno, String name) throws ErrnoException {
        Inode victim = vol.transact("unlink", tx -> {
            Directory.checkName("unlink", name);
            Inode d = vol.inodes.get(dirIno);
            Directory dir = dir(d, "unlink");
            DirEntry e = dir.lookup(name);
            if (e == null) {
                throw new ErrnoException(Errno.ENOENT, "unlink", "\"" + name + "\" in directory " + dirIno);
            }
            if (e.type() == FileType.DIRECTORY) {
                throw new ErrnoException(Errno.EISDIR, "unlink", "\"" + name + "\" is a directory");
            }
            Inode in = vol.inodes.get(e.ino());
            long now = vol.now();
            removeEntry(tx, d, name);
            d.mtimeNs = d.ctimeNs = now;
            return dropLink(tx, in, now);
        });
        reaper.inactivate(victim);
    }

    void rmdir(long dirIno, String name) throws ErrnoException {
        Inode victim = vol.transact("rmdir", tx -> {
            Directory.checkName("rmdir", name);
            Inode d = vol.inodes.get(dirIno);
            Directory dir = dir(d, "rmdir");
            DirEntry e = dir.lookup(name);
            if (e == null) {
                throw new ErrnoException(Errno.ENOENT, "rmdir", "\"" + name + "\" in directory " + dirIno);
            }
            if (e.type() != FileType.DIRECTORY) {
                throw new ErrnoException(Errno.ENOTDIR, "rmdir", "\"" + name + "\" is not a directory");
            }
            Inode in = vol.inodes.get(e.ino());
            if (!dir(in, "rmdir").isEmpty()) {
                throw new ErrnoException(Errno.ENOTEMPTY, "rmdir", "\"" + name + "\" is not empty");
            }
            long now = vol.now();
            removeEntry(tx, d, name);
            d.nlink--;
            d.mtimeNs = d.ctimeNs = now;
            return dropLink(tx, in, now);
        });
        reaper.inactivate(victim);
    }

    /**
     * Drops one link (a directory loses both of its own). Returns the inode when it must now be torn
     * down outside this transaction, null otherwise.
     */
    private Inode dropLink(Transaction tx, Inode in, long now) throws ErrnoException {
        tx.dirty(in);
        in.nlink = in.isDir() ? 0 : in.nlink - 1;
        in.ctimeNs = now;
        if (in.nlink > 0) {
            return null;
        }
        // An operation may hold the inode without having opened it (truncate by path): it must not
        // be freed under that operation. Announce the free, then look for pins (a pinner checks
        // "dying" after pinning, so one of the two always sees the other).
        in.dying = true;
        boolean held = in.openCount > 0 || in.pins.get() > 0;
        if (held) {
            in.dying = false;
        }
        if (!held && in.extents.size() <= Inactivation.FREE_BATCH) {
            reaper.freeInode(tx, in);
            return null;
        }
        OrphanList.add(tx, vol.meta, in.ino);
        return held ? null : in;
    }

    /** renameat2 flags. */
    static final int RENAME_NOREPLACE = 1;
    static final int RENAME_EXCHANGE = 2;

    /**
     * rename(2) / renameat2(2) below the VFS (xfs_rename): replaces a target of a compatible type;
     * with {@code RENAME_NOREPLACE} an existing target is EEXIST; with {@code RENAME_EXCHANGE} both
     * names must exist (ENOENT) and swap atomically, of any types. EINVAL moving a directory under
     * itself. Both inodes' ctime and both directories' mtime/ctime change.
     */
    void rename(long srcDir, String srcName, long dstDir, String dstName, int flags) throws ErrnoException {
        Inode victim = vol.transact("rename", tx -> {
            Directory.checkName("rename", srcName);
            Directory.checkName("rename", dstName);
            Inode sd = vol.inodes.get(srcDir);
            Inode dd = vol.inodes.get(dstDir);
            Directory sdir = dir(sd, "rename");
            Directory ddir = dir(dd, "rename");
            DirEntry se = sdir.lookup(srcName);
            if (se == null) {
                throw new ErrnoException(Errno.ENOENT, "rename", "\"" + srcName + "\" in directory " + srcDir);
            }
            if (dd.nlink == 0) {
                throw new ErrnoException(Errno.ENOENT, "rename", "directory " + dstDir + " was removed");
            }
            if (srcDir == dstDir && srcName.equals(dstName)) {
                return null;
            }
            Inode src = vol.inodes.get(se.ino());
            requireNotAncestor(src, dstDir);
            DirEntry de = ddir.lookup(dstName);
            if (de == null && (flags & RENAME_EXCHANGE) != 0) {
                throw new ErrnoException(Errno.ENOENT, "rename", "\"" + dstName + "\" in directory " + dstDir
                        + " (RENAME_EXCHANGE needs both names)");
            }
            if (de != null && (flags & RENAME_NOREPLACE) != 0) {
                throw new ErrnoException(Errno.EEXIST, "rename", "\"" + dstName + "\" in directory " + dstDir
                        + " (RENAME_NOREPLACE)");
            }
            Inode dst = null;
            if (de != null) {
                if (de.ino() == se.ino()) {
                    return null;
                }
                if ((flags & RENAME_EXCHANGE) != 0) {
                    exchange(tx, sd, srcName, src, dd, dstName, vol.inodes.get(de.ino()));
                    return null;
                }
                dst = vol.inodes.get(de.ino());
                if (src.isDir() && !dst.isDir()) {
                    throw new ErrnoException(Errno.ENOTDIR, "rename", "\"" + dstName + "\" is not a directory");
                }
                if (!src.isDir() && dst.isDir()) {
                    throw new ErrnoException(Errno.EISDIR, "rename", "\"" + dstName + "\" is a directory");
                }
                if (dst.isDir() && !dir(dst, "rename").isEmpty()) {
                    throw new ErrnoException(Errno.ENOTEMPTY, "rename", "\"" + dstName + "\" is not empty");
                }
            } else {
                requireRoom(ddir, dstName, "rename");
            }
            long now = vol.now();
            Inode dropped = null;
            if (dst != null) {
                removeEntry(tx, dd, dstName);
                if (dst.isDir()) {
                    dd.nlink--;
                }
                dropped = dropLink(tx, dst, now);
            }
            removeEntry(tx, sd, srcName);
            addEntry(tx, dd, new DirEntry(dstName, src.ino, src.type));
            tx.dirty(src);
            if (src.isDir() && srcDir != dstDir) {
                sd.nlink--;
                dd.nlink++;
            }
            src.parent = dstDir;
            src.ctimeNs = now;
            sd.mtimeNs = sd.ctimeNs = now;
            dd.mtimeNs = dd.ctimeNs = now;
            return dropped;
        });
        reaper.inactivate(victim);
    }

    /** EINVAL when {@code dirIno} is {@code in} or lies below it (a directory cannot move under itself). */
    private void requireNotAncestor(Inode in, long dirIno) throws ErrnoException {
        if (!in.isDir()) {
            return;
        }
        for (long a = dirIno; ; a = vol.inodes.get(a).parent) {
            if (a == in.ino) {
                throw new ErrnoException(Errno.EINVAL, "rename", "cannot move directory " + in.ino + " under itself");
            }
            if (a == vol.rootIno) {
                return;
            }
        }
    }

    /** RENAME_EXCHANGE: each name now names the other inode; link counts follow moved directories. */
    private void exchange(Transaction tx, Inode sd, String srcName, Inode src, Inode dd, String dstName, Inode dst)
            throws ErrnoException {
        requireNotAncestor(dst, sd.ino);
        long now = vol.now();
        replaceEntry(tx, sd, srcName, new DirEntry(srcName, dst.ino, dst.type));
        replaceEntry(tx, dd, dstName, new DirEntry(dstName, src.ino, src.type));
        if (sd.ino != dd.ino) {
            if (src.isDir()) {
                sd.nlink--;
                dd.nlink++;
            }
            if (dst.isDir()) {
                dd.nlink--;
                sd.nlink++;
            }
        }
        tx.dirty(src);
        tx.dirty(dst);
        src.parent = dd.ino;
        dst.parent = sd.ino;
        src.ctimeNs = dst.ctimeNs = now;
        sd.mtimeNs = sd.ctimeNs = now;
        dd.mtimeNs = dd.ctimeNs = now;
    }

    /** Points an existing name at another inode, in the block that holds it (same name: same size). */
    private void replaceEntry(Transaction tx, Inode d, String name, DirEntry e) {
        tx.dirty(d);
        int bi = d.dir.remove(name);
        d.dir.add(bi, e);
        d.dir.logBlock(tx, bi, devOf(d, bi));
    }
}
