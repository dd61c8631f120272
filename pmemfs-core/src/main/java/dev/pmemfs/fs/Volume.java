package dev.pmemfs.fs;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.time.InstantSource;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The shared state of one mounted filesystem (struct xfs_mount): devices, options, metadata store,
 * allocator, inode table, rmap, and the transaction lock that serialises every metadata change.
 *
 * <p>Lock order: inode rwsem → {@link #txLock} (the journal) → allocator (no lock of its own: it is
 * only used under the transaction lock). Every in-memory metadata change happens under
 * {@link #txLock} and is committed before the lock is released, so a committed block image never
 * carries another syscall's uncommitted change.
 */
final class Volume {
    /** A transaction body. */
    interface TxBody<T> {
        T run(Transaction tx) throws ErrnoException;
    }

    final DaxDevice dax;
    final BlockDevice bdev;
    final MountOptions options;
    final MetaStore meta;
    final Geometry g;
    final Allocator alloc;
    final InodeTable inodes;
    final Rmap rmap;
    final long rootIno;
    final ReentrantLock txLock = new ReentrantLock();
    /** Where timestamps come from (current_time(); a settable fake in tests, as jimfs's FileTimeSource). */
    final InstantSource clock;
    /** The data parity of the filesystem (its {@link #dax} and {@link #bdev} keep it); null without. */
    final Parity parity;
    private volatile String shutdownReason;

    Volume(DaxDevice dax, BlockDevice bdev, MountOptions options, MetaStore meta, Allocator alloc,
            InodeTable inodes, InstantSource clock) {
        this(dax, bdev, options, meta, alloc, inodes, clock, null);
    }

    Volume(DaxDevice dax, BlockDevice bdev, MountOptions options, MetaStore meta, Allocator alloc,
            InodeTable inodes, InstantSource clock, Parity parity) {
        this.parity = parity;
        this.dax = dax;
        this.clock = clock;
        this.bdev = bdev;
        this.options = options;
        this.meta = meta;
        this.g = meta.geometry();
        this.alloc = alloc;
        this.inodes = inodes;
        this.rmap = new Rmap(meta);
        this.rootIno = meta.superblock().rootIno();
    }

    /** current_time(): the clock's instant in nanoseconds since the epoch. */
    long now() {
        return nanos(clock.instant());
    }

    /** An instant as the on-media nanosecond count (saturating far outside ±292 years). */
    static long nanos(java.time.Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (ArithmeticException overflow) {
            return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** Runs {@code body} as one transaction under the transaction lock and commits it. */
    <T> T transact(String op, TxBody<T> body) throws ErrnoException {
        txLock.lock();
        try {
            checkAlive(op);
            Transaction tx = new Transaction(meta);
            try {
                T r = body.run(tx);
                commitLocked(tx);
                return r;
            } catch (ErrnoException | RuntimeException | Error e) {
                if (tx.isMutated()) {
                    shutdown(op + " failed after changing metadata in memory: " + e.getMessage());
                }
                throw e;
            }
        } finally {
            txLock.unlock();
        }
    }

    /** Logs the dirty inodes and bitmaps and commits the journal record. */
    void commitLocked(Transaction tx) throws ErrnoException {
        assert txLock.isHeldByCurrentThread();
        for (Inode in : tx.inodes()) {
            inodes.log(tx, in, alloc, rmap);
        }
        for (long k : alloc.takeDirty()) {
            byte[] img = new byte[MetaBlock.SIZE];
            alloc.storeBlock(k, img);
            tx.put(g.bbmStart() + k, MetaBlock.MAGIC_BBITMAP, img);
        }
        inodes.logBitmap(tx);
        if (tx.blockCount() > 0 || !tx.dataImages().isEmpty()) {
            long before = meta.checkpoints();
            meta.commit(tx.sealed(meta.fsid()), tx.dataImages());
            if (meta.checkpoints() != before) {
                alloc.releaseBusy(true);
            }
        }
        inodes.trimCache(rootIno);
    }

    /** A log force (fsync, sync): committed frees become reusable, as xfs_extent_busy_clear does. */
    void forceLocked() {
        assert txLock.isHeldByCurrentThread();
        alloc.releaseBusy(false);
    }

    /** Checkpoints the journal (all metadata in place); busy metadata blocks become reusable. */
    void checkpointLocked() throws ErrnoException {
        assert txLock.isHeldByCurrentThread();
        meta.checkpoint();
        alloc.releaseBusy(true);
    }

    void checkAlive(String op) throws ErrnoException {
        String r = shutdownReason;
        if (r != null) {
            throw new ErrnoException(Errno.EIO, op, "filesystem is shut down: " + r);
        }
    }

    /** xfs_force_shutdown: in-memory and on-media state may disagree; refuse all further work. */
    void shutdown(String reason) {
        if (shutdownReason == null) {
            shutdownReason = reason;
        }
    }

    String shutdownReason() {
        return shutdownReason;
    }

    /** Allocates up to {@code maxLen} blocks near {@code goal}; a full device first releases busy blocks. */
    long[] allocate(Transaction tx, long goal, long maxLen) throws ErrnoException {
        long[] run = alloc.allocate(goal, maxLen);
        if (run == null && alloc.busyBlocks() > 0) {
            // xfs_extent_busy_flush: force the log so freed blocks can be reused rather than fail.
            checkpointLocked();
            run = alloc.allocate(goal, maxLen);
        }
        if (run != null) {
            tx.mutated();
        }
        return run;
    }

    /** A parity clean point (fsync, syncfs, unmount): see {@link Parity#sync}. */
    void syncParity() throws ErrnoException {
        if (parity != null) {
            parity.sync();
        }
    }

    /** One past the last device block the filesystem uses (its parity region included). */
    long deviceEnd() {
        return parity != null ? parity.layout.end() : g.totalBlocks();
    }

    /**
     * Allocates up to {@code maxLen} blocks of metadata (directory, extent-list, symlink blocks), with
     * their copies when the filesystem keeps replicas ({@link Allocator#allocateMeta}).
     */
    long[] allocateMeta(Transaction tx, long goal, long maxLen) throws ErrnoException {
        long[] run = alloc.allocateMeta(goal, maxLen);
        if (run == null && alloc.busyBlocks() > 0) {
            checkpointLocked();
            run = alloc.allocateMeta(goal, maxLen);
        }
        if (run != null) {
            tx.mutated();
        }
        return run;
    }

    /** 512-byte sector of a filesystem block. */
    static long sector(long block) {
        return block << (DaxDevice.PAGE_SHIFT - BlockDevice.SECTOR_SHIFT);
    }
}
