package dev.pmemfs.fs;

import dev.pmemfs.dax.DaxHolder;
import dev.pmemfs.dax.DaxWindow;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.List;

/**
 * A mounted pmemfs: the {@link FileSystem} contract over {@link Namei} (namespace), {@link FileIo}
 * (DAX read/write/fault), {@link FileSpace} (truncate, fallocate), {@link FileMap} (FIEMAP, seek), and the
 * dax holder, whose work (consumed poison into "file X, offset Y" through the rmap,
 * xfs_dax_notify_failure, reference §7.2) is {@link PoisonOwners}'s.
 */
final class MountedFs implements FileSystem, DaxHolder {
    /**
     * s_maxbytes: XFS's MAX_LFS_FILESIZE, 2^63 - 1 bytes. File blocks then run up to 2^51, far inside the
     * on-media u64 fields (the rmap keeps its two flag bits above them); byte offsets of block ends are
     * computed without overflow ({@link FileIo#byteOf}, {@code Math.ceilDiv}).
     */
    static final long MAX_BYTES = Long.MAX_VALUE;

    private final Volume vol;
    private final Inactivation reaper;
    private final Namei namei;
    private final ParentPaths paths;
    private final FileIo io;
    private final FileSpace space;
    private final FileMap map;
    private final ReplayResult replay;
    private final PoisonOwners poison;
    private boolean closed;

    MountedFs(Volume vol, ReplayResult replay) {
        this.vol = vol;
        this.reaper = new Inactivation(vol);
        this.namei = new Namei(vol, reaper);
        this.paths = new ParentPaths(vol, namei);
        this.io = new FileIo(vol);
        this.space = new FileSpace(vol, reaper, io);
        this.map = new FileMap(vol);
        this.replay = replay;
        this.poison = new PoisonOwners(vol);
    }

    Volume volume() {
        return vol;
    }

    /** Metadata blocks read from the media since mount began (mount itself reads only a few). */
    long metadataReads() {
        return vol.meta.mediaReads();
    }

    /** What journal replay did at mount. */
    ReplayResult replayResult() {
        return replay;
    }

    /** Frees inodes left on the orphan list by a crash (mount-time xlog_recover_process_iunlinks). */
    void processOrphans() throws ErrnoException {
        List<Long> orphans;
        vol.txLock.lock();
        try {
            orphans = OrphanList.read(vol.meta);
        } finally {
            vol.txLock.unlock();
        }
        for (long ino : orphans) {
            Inode in;
            vol.txLock.lock();
            try {
                in = vol.inodes.allocated(ino) ? vol.inodes.get(ino) : null;
            } finally {
                vol.txLock.unlock();
            }
            if (in == null || in.nlink > 0) {
                vol.transact("iunlink_recover", tx -> {
                    OrphanList.remove(tx, vol.meta, ino);
                    return null;
                });
            } else {
                reaper.inactivate(in);
            }
        }
    }

    /** An operation on a pinned in-core inode. */
    private interface InodeOp<T> {
        T run(Inode in) throws ErrnoException;
    }

    /**
     * Runs {@code op} with the inode pinned, so the cache cannot evict it (and a second copy be loaded)
     * while the operation holds it — also for callers that never opened it (truncate(2) by path).
     */
    private <T> T withInode(long ino, InodeOp<T> op) throws ErrnoException {
        Inode in = vol.inodes.cached(ino);
        if (in != null) {
            in.pins.incrementAndGet();
            if (!in.dying && vol.inodes.cached(ino) == in && in.type != null) {
                try {
                    return op.run(in);
                } finally {
                    unpin(in);
                }
            }
            unpin(in);
        }
        vol.txLock.lock();
        try {
            vol.checkAlive("iget");
            in = vol.inodes.get(ino);
            in.pins.incrementAndGet();
        } finally {
            vol.txLock.unlock();
        }
        try {
            return op.run(in);
        } finally {
            unpin(in);
        }
    }

    /** Drops a pin; the last holder of an unlinked, unopened inode tears it down (iput → xfs_inactive). */
    private void unpin(Inode in) throws ErrnoException {
        if (in.pins.decrementAndGet() == 0 && in.nlink == 0 && in.type != null) {
            Inode victim;
            vol.txLock.lock();
            try {
                victim = in.type != null && in.nlink == 0 && in.openCount == 0 && in.pins.get() == 0 ? in : null;
            } finally {
                vol.txLock.unlock();
            }
            reaper.inactivate(victim);
        }
    }

    private interface Locked<T> {
        T run() throws ErrnoException;
    }

    private <T> T locked(String op, Locked<T> body) throws ErrnoException {
        vol.txLock.lock();
        try {
            vol.checkAlive(op);
            return body.run();
        } finally {
            vol.txLock.unlock();
        }
    }

    /**
     * Data operations by inode number are for regular files (and directories, which answer EISDIR
     * themselves): a symlink's block or a device file has no data to read, write or map (EINVAL).
     */
    private static Inode requireData(Inode in, String op) throws ErrnoException {
        if (in.type == FileType.SYMLINK || in.type.special()) {
            throw new ErrnoException(Errno.EINVAL, op, "inode " + in.ino + " is a " + in.type + ", not a regular file");
        }
        return in;
    }

    @Override
    public long maxBytes() {
        return MAX_BYTES;
    }

    @Override
    public long rootIno() {
        return vol.rootIno;
    }

    @Override
    public StatFs statfs() {
        vol.txLock.lock();
        try {
            long free = vol.alloc.freeBlocks();
            return new StatFs(StatFs.PMEMFS_MAGIC, BLOCK_SIZE, vol.g.totalBlocks() - vol.g.fileDataStart(), free, free,
                    vol.g.inodeCount(), vol.inodes.freeInodes(), vol.meta.fsid() & 0xffffffffL, Directory.MAX_NAME);
        } finally {
            vol.txLock.unlock();
        }
    }

    @Override
    public MountOptions options() {
        return vol.options;
    }

    @Override
    public long lookup(long dirIno, String name) throws ErrnoException {
        return locked("lookup", () -> namei.lookupLocked(dirIno, name));
    }

    @Override
    public long create(long dirIno, String name, FileType type, int mode, int uid, int gid) throws ErrnoException {
        return namei.create(dirIno, name, type, mode, uid, gid);
    }

    @Override
    public long mknod(long dirIno, String name, FileType type, int mode, int uid, int gid, long rdev)
            throws ErrnoException {
        if (!type.special()) {
            throw new IllegalArgumentException("mknod makes devices, FIFOs and sockets, not " + type);
        }
        return namei.createNode("mknod", dirIno, name, type, mode, uid, gid, rdev, null);
    }

    @Override
    public long symlink(long dirIno, String name, String target, int uid, int gid) throws ErrnoException {
        return namei.createNode("symlink", dirIno, name, FileType.SYMLINK, 0777, uid, gid, 0, target);
    }

    @Override
    public String readlink(long ino) throws ErrnoException {
        return locked("readlink", () -> namei.readlinkLocked(vol.inodes.get(ino)));
    }

    @Override
    public void link(long ino, long dirIno, String name) throws ErrnoException {
        namei.link(ino, dirIno, name);
    }

    @Override
    public void unlink(long dirIno, String name) throws ErrnoException {
        namei.unlink(dirIno, name);
    }

    @Override
    public void rmdir(long dirIno, String name) throws ErrnoException {
        namei.rmdir(dirIno, name);
    }

    @Override
    public void rename(long srcDir, String srcName, long dstDir, String dstName, int flags) throws ErrnoException {
        if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) != 0
                || flags == (RENAME_NOREPLACE | RENAME_EXCHANGE)) {
            throw new ErrnoException(Errno.EINVAL, "rename", "flags 0x" + Integer.toHexString(flags));
        }
        namei.rename(srcDir, srcName, dstDir, dstName, flags);
    }

    @Override
    public List<DirEntry> readdir(long dirIno) throws ErrnoException {
        return locked("readdir", () -> namei.readdirLocked(dirIno));
    }

    @Override
    public void open(long ino) throws ErrnoException {
        locked("open", () -> {
            Inode in = vol.inodes.get(ino);
            in.openCount++;
            return null;
        });
    }

    @Override
    public void release(long ino) throws ErrnoException {
        Inode in;
        vol.txLock.lock();
        try {
            Inode i = vol.inodes.get(ino);
            if (i.openCount <= 0) {
                throw new IllegalStateException("release of inode " + ino + " that is not open");
            }
            i.openCount--;
            // close(2) succeeds on a shut-down filesystem too; the last close of an unlinked inode then
            // frees nothing (as XFS skips inactivation after a shutdown): the orphan list at the next
            // mount does it.
            in = vol.shutdownReason() == null && i.openCount == 0 && i.nlink == 0 ? i : null;
        } finally {
            vol.txLock.unlock();
        }
        reaper.inactivate(in);
    }

    @Override
    public InodeAttr getattr(long ino) throws ErrnoException {
        return locked("stat", () -> vol.inodes.get(ino).attr());
    }

    @Override
    public void setattr(long ino, SetAttr change) throws ErrnoException {
        vol.transact("setattr", tx -> {
            Inode in = vol.inodes.get(ino);
            tx.dirty(in);
            if (change.mode() != null) {
                in.mode = change.mode() & 07777;
            }
            if (change.uid() != null) {
                in.uid = change.uid();
            }
            if (change.gid() != null) {
                in.gid = change.gid();
            }
            if (change.flags() != null) {
                in.flags = change.flags();
            }
            long now = vol.now();
            if (change.mtimeNs() != null) {
                in.mtimeNs = change.mtimeNs() == SetAttr.NOW ? now : change.mtimeNs();
            }
            if (change.atimeNs() != null) {
                in.atimeNs = change.atimeNs() == SetAttr.NOW ? now : change.atimeNs();
            }
            in.ctimeNs = now;
            return null;
        });
    }

    /** One day: relatime updates an atime at least this old even when it is later than mtime and ctime. */
    static final long RELATIME_PERIOD_NS = 24L * 3600 * 1_000_000_000L;

    @Override
    public void accessed(long ino) throws ErrnoException {
        vol.checkAlive("touch_atime");
        withInode(ino, in -> {
            // relatime_need_update (fs/inode.c), then a lazily logged change like an overwrite's times.
            long now = vol.now();
            if (in.atimeNs <= in.mtimeNs || in.atimeNs <= in.ctimeNs || now - in.atimeNs >= RELATIME_PERIOD_NS) {
                if (in.atimeNs != now) {
                    in.atimeNs = now;
                    in.timesDirty = true;
                }
            }
            return null;
        });
    }

    @Override
    public int read(long ino, long pos, byte[] buf, int off, int len) throws ErrnoException {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        vol.checkAlive("read");
        return withInode(ino, in -> io.read(requireData(in, "read"), pos, buf, off, len));
    }

    @Override
    public int write(long ino, long pos, byte[] buf, int off, int len) throws ErrnoException {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        vol.checkAlive("write");
        return withInode(ino, in -> io.write(requireData(in, "write"), pos, buf, off, len, MAX_BYTES));
    }

    @Override
    public void truncate(long ino, long size) throws ErrnoException {
        vol.checkAlive("truncate");
        withInode(ino, in -> {
            space.truncate(requireData(in, "truncate"), size, MAX_BYTES);
            return null;
        });
    }

    @Override
    public void fallocate(long ino, FallocateMode mode, long offset, long len) throws ErrnoException {
        vol.checkAlive("fallocate");
        withInode(ino, in -> {
            space.fallocate(requireData(in, "fallocate"), mode, offset, len, MAX_BYTES);
            return null;
        });
    }

    @Override
    public SalvageResult salvage(long ino, long offset, long len) throws ErrnoException {
        vol.checkAlive("salvage");
        return withInode(ino, in -> new Salvage(vol).run(in, offset, len));
    }

    @Override
    public List<FileExtent> extents(long ino, long start, long len) throws ErrnoException {
        return withInode(ino, in -> map.extents(in, start, len));
    }

    @Override
    public long seekData(long ino, long pos) throws ErrnoException {
        return withInode(ino, in -> map.seekData(requireData(in, "lseek"), pos));
    }

    @Override
    public long seekHole(long ino, long pos) throws ErrnoException {
        return withInode(ino, in -> map.seekHole(requireData(in, "lseek"), pos));
    }

    @Override
    public void fsync(long ino) throws ErrnoException {
        vol.transact("fsync", tx -> {
            Inode in = vol.inodes.get(ino);
            if (in.timesDirty) {
                tx.dirty(in);
            }
            vol.forceLocked();
            return null;
        });
        vol.dax.fence();
        vol.syncParity();
    }

    @Override
    public DaxWindow fault(long ino, long pgoff, boolean write) throws ErrnoException {
        vol.checkAlive("dax_fault");
        return withInode(ino, in -> io.fault(requireData(in, "dax_fault"), pgoff, write));
    }

    @Override
    public BlockOwner owner(long deviceOffset) throws ErrnoException {
        return locked("owner", () -> poison.ownerLocked(deviceOffset));
    }

    @Override
    public String path(long ino) throws ErrnoException {
        return locked("path", () -> paths.pathLocked(ino));
    }

    @Override
    public List<MediaFailure> mediaFailures() {
        return poison.failures();
    }

    @Override
    public void notifyFailure(long offset, long len, int mfFlags) throws ErrnoException {
        poison.notifyFailure(offset, len, mfFlags);
    }

    /** With metadata replicas, heals every known-bad metadata block from its copy (mount, sync, unmount). */
    void healKnownPoison() throws ErrnoException {
        vol.txLock.lock();
        try {
            vol.meta.healKnownPoison();
        } finally {
            vol.txLock.unlock();
        }
    }


    @Override
    public List<BlockOwner> badblockOwners() throws ErrnoException {
        return locked("badblocks", poison::badblockOwnersLocked);
    }

    @Override
    public void syncfs() throws ErrnoException {
        locked("sync", () -> {
            for (Inode in : vol.inodes.timesDirty()) {
                vol.transact("sync", tx -> {
                    tx.dirty(in);
                    return null;
                });
            }
            vol.checkpointLocked();
            vol.syncParity();
            vol.meta.healKnownPoison();
            return null;
        });
    }

    @Override
    public void close() throws ErrnoException {
        vol.txLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            vol.dax.setHolder(null);
            if (vol.shutdownReason() != null) {
                return; // never write a shut-down filesystem's in-memory state
            }
            for (Inode in : vol.inodes.timesDirty()) {
                vol.transact("unmount", tx -> {
                    tx.dirty(in);
                    return null;
                });
            }
            vol.meta.healKnownPoison();
            vol.meta.close();
            vol.syncParity();
        } finally {
            vol.txLock.unlock();
        }
    }
}
