package dev.pmemfs.fs;

import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.dax.DaxWindow;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.List;

/**
 * The space-changing calls on a file: truncate and every fallocate mode (xfs_bmap_util.c,
 * xfs_file_fallocate, iomap_zero_range; reference §1.4, §4.4, §4.6). Large changes are split into
 * bounded transactions as XFS does per extent. What a file's map looks like (FIEMAP, SEEK_DATA /
 * SEEK_HOLE) is {@link FileMap}'s.
 */
final class FileSpace {
    static final int PAGE = FileIo.PAGE;
    /** Blocks preallocated per transaction. */
    static final long ALLOC_CHUNK_BLOCKS = 4096;

    private final Volume vol;
    private final Inactivation reaper;
    private final ExtentShift shift;
    private final FileIo io;

    FileSpace(Volume vol, Inactivation reaper, FileIo io) {
        this.vol = vol;
        this.reaper = reaper;
        this.shift = new ExtentShift(vol, reaper, this);
        this.io = io;
    }

    private static void requireRegular(Inode in, String op) throws ErrnoException {
        if (in.isDir()) {
            throw new ErrnoException(Errno.EISDIR, op, "inode " + in.ino + " is a directory");
        }
    }

    void truncate(Inode in, long size, long maxBytes) throws ErrnoException {
        in.rwsem.writeLock().lock();
        try {
            requireRegular(in, "truncate");
            if (size < 0) {
                throw new ErrnoException(Errno.EINVAL, "truncate", "negative size " + size);
            }
            if (size > maxBytes) {
                throw new ErrnoException(Errno.EFBIG, "truncate", "size " + size + " beyond the maximum file size");
            }
            long old = in.size;
            long now = vol.now();
            if (size <= old) {
                // XFS frees every block past the new EOF, preallocation included, even when the size does not
                // change (xfs_setattr_size → xfs_itruncate_extents; seen on XFS by the differential test).
                // dax_truncate_page: the tail of the new last block is zeroed through DAX (EIO on poison)
                // before anything changes.
                long blockEnd = roundUp(size);
                if (blockEnd != size && size < old) {
                    zeroWritten(in, size, Math.min(blockEnd, old), "truncate");
                }
                long fromBlock = Math.ceilDiv(size, PAGE);
                boolean[] first = {true};
                boolean done = false;
                while (!done) {
                    done = vol.transact("truncate", tx -> {
                        tx.dirty(in);
                        if (first[0]) {
                            // xfs_setattr_size: times change with the size (ftruncate asks vfs for them always).
                            if (size != old) {
                                in.mtimeNs = in.ctimeNs = now;
                            }
                            in.size = size;
                            first[0] = false;
                        }
                        return freeTail(tx, in, fromBlock);
                    });
                }
            } else {
                if (size > old) {
                    // xfs_zero_range from the old EOF: written blocks beyond it must read as zeros.
                    zeroWritten(in, old, size, "truncate");
                }
                vol.transact("truncate", tx -> {
                    tx.dirty(in);
                    in.size = size;
                    in.mtimeNs = in.ctimeNs = now;
                    return null;
                });
            }
        } finally {
            in.rwsem.writeLock().unlock();
        }
    }

    /** Frees up to one batch of extents from file block {@code from} on, last first; true when none remain. */
    private boolean freeTail(Transaction tx, Inode in, long from) throws ErrnoException {
        List<Extent> tail = in.extents.overlapping(from, Long.MAX_VALUE);
        if (tail.size() <= Inactivation.FREE_BATCH) {
            reaper.freeBlocks(tx, in, from, Long.MAX_VALUE);
            return true;
        }
        reaper.freeBlocks(tx, in, tail.get(tail.size() - Inactivation.FREE_BATCH).fileBlock(), Long.MAX_VALUE);
        return false;
    }

    /** Frees the mapped blocks of {@code [from, to)} in bounded transactions. */
    void punchBlocks(Inode in, long from, long to, long now, String op) throws ErrnoException {
        boolean done = false;
        while (!done) {
            done = vol.transact(op, tx -> {
                tx.dirty(in);
                in.mtimeNs = in.ctimeNs = now;
                List<Extent> mapped = in.extents.overlapping(from, to);
                if (mapped.size() <= Inactivation.FREE_BATCH) {
                    reaper.freeBlocks(tx, in, from, to);
                    return true;
                }
                reaper.freeBlocks(tx, in, mapped.get(mapped.size() - Inactivation.FREE_BATCH).fileBlock(), to);
                return false;
            });
        }
    }

    /** {@code x} rounded up to a block boundary, saturated at {@code Long.MAX_VALUE} (see {@link FileIo#byteOf}). */
    static long roundUp(long x) {
        return FileIo.byteOf(Math.ceilDiv(x, PAGE));
    }

    /**
     * iomap_zero_range over written blocks only (holes and unwritten extents already read as zeros):
     * whole pages through {@code zeroPageRange} (clears poison), partial pages by DAX stores, which fail
     * with EIO on a poisoned page.
     */
    void zeroWritten(Inode in, long start, long end, String op) throws ErrnoException {
        if (start >= end) {
            return;
        }
        for (Extent x : in.extents.overlapping(start / PAGE, Math.ceilDiv(end, PAGE))) {
            if (x.unwritten()) {
                continue;
            }
            for (long fb = x.fileBlock(); fb < x.end(); fb++) {
                long ps = Math.max(start, FileIo.byteOf(fb));
                long pe = Math.min(end, FileIo.byteOf(fb + 1));
                long dev = x.devBlock() + (fb - x.fileBlock());
                if (pe - ps == PAGE) {
                    vol.dax.zeroPageRange(dev, 1);
                } else {
                    DaxWindow w;
                    try {
                        w = vol.dax.directAccess(dev, 1, DaxAccessMode.ACCESS);
                    } catch (ErrnoException e) {
                        throw DaxSeam.mem2blkErr(e, op, "partial block " + fb + " of inode " + in.ino);
                    }
                    w.zero(ps % PAGE, pe - ps);
                }
            }
        }
        vol.dax.fence();
    }

    /** Partial blocks at the edges of {@code [start, end)}, clipped to EOF, zeroed as iomap does. */
    private void zeroEdges(Inode in, long start, long end, String op) throws ErrnoException {
        end = Math.min(end, in.size);
        if (start >= end) {
            return;
        }
        long firstFull = roundUp(start);
        long lastFull = end / PAGE * PAGE;
        if (firstFull > lastFull) {
            zeroWritten(in, start, end, op); // inside one block
            return;
        }
        zeroWritten(in, start, firstFull, op);
        zeroWritten(in, lastFull, end, op);
    }

    void fallocate(Inode in, FallocateMode mode, long offset, long len, long maxBytes) throws ErrnoException {
        in.rwsem.writeLock().lock();
        try {
            requireRegular(in, "fallocate");
            boolean keepSize = mode.keepSize();
            long end = offset + len;
            long now = vol.now();
            switch (mode.op()) {
                case ALLOCATE, UNSHARE_RANGE ->
                        // No reflink: nothing is shared, so UNSHARE is a plain preallocation.
                        preallocate(in, offset, end, keepSize, now);
                case PUNCH_HOLE -> punch(in, offset, end, now);
                case ZERO_RANGE -> {
                    if (vol.options.zeroRange() == MountOptions.ZeroRange.ZEROINIT) {
                        zeroinit(in, offset, end, "fallocate");
                        preallocate(in, offset, end, keepSize, now);
                    } else {
                        // xfs_falloc_zero_range: punch (edges zeroed), then unwritten extents over the
                        // block-rounded range.
                        punch(in, offset, end, now);
                        preallocate(in, offset / PAGE * PAGE, roundUp(end), true, now);
                        growSize(in, end, keepSize, now);
                    }
                }
                case ZEROINIT_RANGE -> {
                    if (!vol.options.zeroinit()) {
                        throw new ErrnoException(Errno.EOPNOTSUPP, "fallocate",
                                "FALLOC_FL_ZEROINIT_RANGE is disabled by the mount options");
                    }
                    zeroinit(in, offset, end, "fallocate");
                    touch(in, now);
                }
                case COLLAPSE_RANGE -> shift.collapse(in, offset, len, now);
                case INSERT_RANGE -> shift.insert(in, offset, len, maxBytes, now);
                case WRITE_ZEROES -> {
                    if (vol.options.writeZeroes() != MountOptions.WriteZeroes.ZERO) {
                        // blkdev/ext4/XFS answer so unless the device offers unmapping write-zeroes, and pmem
                        // advertises none (bdev_write_zeroes_unmap_sectors is 0).
                        throw new ErrnoException(Errno.EOPNOTSUPP, "fallocate",
                                "FALLOC_FL_WRITE_ZEROES: pmem has no unmapping write-zeroes offload");
                    }
                    writeZeroes(in, offset, end, now);
                }
            }
        } finally {
            in.rwsem.writeLock().unlock();
        }
    }

    /**
     * FALLOC_FL_WRITE_ZEROES as its contract reads ("blocks should be allocated for the regions that span
     * holes, and the entire range is converted to written extents"): written blocks are zeroed in place
     * (whole blocks through {@code zeroPageRange}, which clears poison; partial ones by DAX stores), holes
     * are preallocated, and every unwritten block of the range is zeroed through the block path, fenced,
     * and only then mapped as written, in bounded transactions. The size grows to the end of the range.
     */
    private void writeZeroes(Inode in, long offset, long end, long now) throws ErrnoException {
        zeroWritten(in, offset, end, "fallocate");
        preallocate(in, offset, end, false, now);
        long from = offset / PAGE;
        long to = Math.ceilDiv(end, PAGE);
        long fb = from;
        while (fb < to) {
            long cur = fb;
            fb = vol.transact("fallocate", tx -> {
                long budget = ALLOC_CHUNK_BLOCKS;
                long c = to;
                for (Extent x : in.extents.overlapping(cur, to)) {
                    if (!x.unwritten()) {
                        continue;
                    }
                    if (budget == 0) {
                        c = Math.max(cur, x.fileBlock()); // the next transaction goes on from here
                        break;
                    }
                    long s0 = Math.max(cur, x.fileBlock());
                    Extent part = x.clip(s0, Math.min(Math.min(to, x.end()), s0 + budget));
                    vol.bdev.issueZeroout(Volume.sector(part.devBlock()), part.count() << 3);
                    // The zeroes must be durable before the mapping that exposes them.
                    vol.dax.fence();
                    in.extents.setState(part.fileBlock(), part.end(), false);
                    budget -= part.count();
                    if (part.end() < Math.min(to, x.end())) {
                        c = part.end();
                        break;
                    }
                }
                tx.dirty(in);
                in.mtimeNs = in.ctimeNs = now;
                return c;
            });
        }
    }

    private void touch(Inode in, long now) throws ErrnoException {
        vol.transact("fallocate", tx -> {
            tx.dirty(in);
            in.mtimeNs = in.ctimeNs = now;
            return null;
        });
    }

    private void growSize(Inode in, long end, boolean keepSize, long now) throws ErrnoException {
        vol.transact("fallocate", tx -> {
            tx.dirty(in);
            if (!keepSize && end > in.size) {
                in.size = end;
            }
            in.mtimeNs = in.ctimeNs = now;
            return null;
        });
    }

    /** Holes of the block-rounded range become unwritten extents, in bounded transactions. */
    private void preallocate(Inode in, long start, long end, boolean keepSize, long now) throws ErrnoException {
        long from = start / PAGE;
        long to = Math.ceilDiv(end, PAGE);
        long holes = (to - from);
        for (Extent x : in.extents.overlapping(from, to)) {
            holes -= x.count();
        }
        if (holes > vol.alloc.freeBlocks() + vol.alloc.busyBlocks()) {
            throw new ErrnoException(Errno.ENOSPC, "fallocate", holes + " blocks needed, "
                    + vol.alloc.freeBlocks() + " free");
        }
        long fb = from;
        while (fb < to) {
            long cur = fb;
            fb = vol.transact("fallocate", tx -> {
                long c = cur;
                long chunkEnd = Math.min(to, c + ALLOC_CHUNK_BLOCKS);
                int runs = 0;
                while (c < chunkEnd && runs < FileIo.MAX_RUNS_PER_CHUNK) {
                    Extent x = in.extents.find(c);
                    if (x != null) {
                        c = Math.min(chunkEnd, x.end());
                        continue;
                    }
                    Extent next = in.extents.nextAfter(c);
                    long holeEnd = next == null ? chunkEnd : Math.min(chunkEnd, next.fileBlock());
                    // Out of space or extent slots: commit what this transaction did; the next one
                    // fails cleanly before changing anything.
                    if (InodeTable.MAX_EXTENTS - in.extents.size() < 4) {
                        if (runs > 0) {
                            break;
                        }
                        throw new ErrnoException(Errno.ENOSPC, "fallocate", "inode " + in.ino
                                + " has the maximum number of extents");
                    }
                    List<Extent> got = io.allocate(tx, in, c, holeEnd, true, FileIo.MAX_RUNS_PER_CHUNK - runs);
                    if (got.isEmpty()) {
                        if (runs > 0) {
                            break;
                        }
                        throw new ErrnoException(Errno.ENOSPC, "fallocate", "no free blocks");
                    }
                    runs += got.size();
                    c = got.get(got.size() - 1).end();
                }
                tx.dirty(in);
                if (!keepSize && c >= to && end > in.size) {
                    in.size = end;
                }
                in.mtimeNs = in.ctimeNs = now;
                return c;
            });
        }
        if (from >= to && !keepSize && end > in.size) {
            growSize(in, end, false, now);
        }
    }

    private void punch(Inode in, long offset, long end, long now) throws ErrnoException {
        zeroEdges(in, offset, end, "fallocate");
        long from = Math.ceilDiv(offset, PAGE);
        long to = end / PAGE;
        if (from < to) {
            punchBlocks(in, from, to, now, "fallocate");
        } else {
            touch(in, now);
        }
    }

    /**
     * The explicit zeroinit (and ZERO_RANGE under zero_range=zeroinit): written blocks of the range are
     * reset to zeros in place through {@code dax_zeroinit_range}, clearing their media errors; partial
     * blocks are zeroed by DAX stores; holes, unwritten extents and the physical mapping are untouched.
     */
    private void zeroinit(Inode in, long offset, long end, String op) throws ErrnoException {
        long firstFull = roundUp(offset);
        long lastFull = end / PAGE * PAGE;
        if (firstFull > lastFull) {
            zeroWritten(in, offset, end, op); // the range lies inside one block
            return;
        }
        zeroWritten(in, offset, firstFull, op);
        zeroWritten(in, lastFull, end, op);
        for (Extent x : in.extents.overlapping(firstFull / PAGE, lastFull / PAGE)) {
            if (!x.unwritten()) {
                vol.dax.zeroinitRange(x.devBlock(), x.count());
            }
        }
        vol.dax.fence();
    }
}
