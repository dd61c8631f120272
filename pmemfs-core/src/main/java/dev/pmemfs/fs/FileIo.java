package dev.pmemfs.fs;

import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.dax.DaxWindow;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * read(2), write(2) and the DAX fault on a file: the iomap iteration of fs/dax.c
 * ({@code dax_iomap_iter}, {@code dax_iomap_fault}) over this filesystem's extent maps, with XFS's
 * DAX allocation rule (holes and unwritten extents are zeroed through the block path and converted to
 * written before data lands). Reference §1.4, §4.6.
 */
final class FileIo {
    static final int PAGE = DaxDevice.PAGE_SIZE;

    /**
     * Byte offset of file block {@code fb}, saturated at {@code Long.MAX_VALUE}: the end of the last block
     * of a file of 2^63 - 1 bytes is 2^63, one past what a long holds, and is only ever compared with
     * offsets inside the file.
     */
    static long byteOf(long fb) {
        return fb >= (Long.MAX_VALUE >> 12) + 1 ? Long.MAX_VALUE : fb * PAGE;
    }
    /** Blocks allocated per write transaction (bounds the journal record, like XFS per-extent transactions). */
    static final long WRITE_CHUNK_BLOCKS = 4096;
    /** Separate runs one allocation chunk may take, so the record stays bounded on a fragmented device. */
    static final int MAX_RUNS_PER_CHUNK = 32;

    private final Volume vol;

    FileIo(Volume vol) {
        this.vol = vol;
    }

    int read(Inode in, long pos, byte[] buf, int off, int len) throws ErrnoException {
        in.rwsem.readLock().lock();
        try {
            if (in.isDir()) {
                throw new ErrnoException(Errno.EISDIR, "read", "inode " + in.ino + " is a directory");
            }
            long end = Math.min(pos + len, in.size);
            int done = 0;
            while (pos < end) {
                long fb = pos / PAGE;
                Extent e = in.extents.find(fb);
                if (e == null || e.unwritten()) {
                    // Holes and unwritten extents read as zeros without touching media (iov_iter_zero).
                    long stop;
                    if (e == null) {
                        Extent next = in.extents.nextAfter(fb);
                        stop = next == null ? end : Math.min(end, byteOf(next.fileBlock()));
                    } else {
                        stop = Math.min(end, byteOf(e.end()));
                    }
                    int n = (int) (stop - pos);
                    Arrays.fill(buf, off + done, off + done + n, (byte) 0);
                    done += n;
                    pos += n;
                    continue;
                }
                long segEnd = Math.min(end, byteOf(e.end()));
                long pgoff = e.devBlock() + (fb - e.fileBlock());
                int inPage = (int) (pos % PAGE);
                long nrPages = (inPage + (segEnd - pos) + PAGE - 1) / PAGE;
                DaxWindow w;
                try {
                    // The whole rest of the I/O inside this extent is checked: a bad sector anywhere in it
                    // fails the read before any byte is copied from this extent.
                    w = vol.dax.directAccess(pgoff, nrPages, DaxAccessMode.ACCESS);
                } catch (ErrnoException ex) {
                    if (done > 0) {
                        return done;
                    }
                    throw DaxSeam.mem2blkErr(ex, "read", "inode " + in.ino + " offset " + pos);
                }
                int want = (int) Math.min(segEnd - pos, w.nrPages() * PAGE - inPage);
                var copied = w.read(inPage, buf, off + done, want);
                done += (int) copied.bytesCopied();
                pos += copied.bytesCopied();
                if (!copied.isComplete()) {
                    // Latent poison consumed mid-copy: a short read; the range is now known-bad.
                    if (done == 0) {
                        throw new ErrnoException(Errno.EIO, "read", "inode " + in.ino
                                + ": machine check at device offset " + copied.poisonedAt());
                    }
                    return done;
                }
            }
            return done;
        } finally {
            in.rwsem.readLock().unlock();
        }
    }

    int write(Inode in, long pos, byte[] buf, int off, int len, long maxBytes) throws ErrnoException {
        in.rwsem.writeLock().lock();
        try {
            if (in.isDir()) {
                throw new ErrnoException(Errno.EISDIR, "write", "inode " + in.ino + " is a directory");
            }
            if (len == 0) {
                return 0;
            }
            if (pos >= maxBytes) {
                throw new ErrnoException(Errno.EFBIG, "write", "offset " + pos + " beyond the maximum file size");
            }
            len = (int) Math.min(len, maxBytes - pos);
            int done = 0;
            while (done < len) {
                long p = pos + done;
                long fb = p / PAGE;
                Extent e = in.extents.find(fb);
                int n;
                try {
                    if (e != null && !e.unwritten()) {
                        long segEnd = Math.min(pos + len, byteOf(e.end()));
                        n = overwrite(in, e, p, buf, off + done, (int) (segEnd - p));
                    } else {
                        n = allocatingWrite(in, e, p, buf, off + done, len - done);
                    }
                } catch (ErrnoException ex) {
                    if (done > 0) {
                        break;
                    }
                    throw ex;
                }
                done += n;
                if (n == 0) {
                    break;
                }
            }
            if (done > 0) {
                finishWrite(in, pos + done);
            }
            return done;
        } finally {
            in.rwsem.writeLock().unlock();
        }
    }

    /** Size (logged) and timestamps (logged lazily) after data landed. */
    private void finishWrite(Inode in, long end) throws ErrnoException {
        long now = vol.now();
        if (end > in.size) {
            vol.transact("write", tx -> {
                tx.dirty(in);
                in.size = end;
                in.mtimeNs = in.ctimeNs = now;
                return null;
            });
        } else {
            in.mtimeNs = in.ctimeNs = now;
            in.timesDirty = true;
        }
    }

    /**
     * Writes into written blocks in place (dax_iomap_iter's copy loop): direct access over the rest of
     * the extent; on EHWPOISON retry in recovery-write mode when the mount allows it.
     */
    private int overwrite(Inode in, Extent e, long p, byte[] buf, int off, int len) throws ErrnoException {
        int done = 0;
        while (done < len) {
            long q = p + done;
            long fb = q / PAGE;
            long pgoff = e.devBlock() + (fb - e.fileBlock());
            int inPage = (int) (q % PAGE);
            int rest = len - done;
            long nrPages = (inPage + (long) rest + PAGE - 1) / PAGE;
            DaxWindow w;
            boolean recovery = false;
            try {
                w = vol.dax.directAccess(pgoff, nrPages, DaxAccessMode.ACCESS);
            } catch (ErrnoException ex) {
                if (ex.errno() != Errno.EHWPOISON || !vol.options.recoveryWrite()) {
                    if (done > 0) {
                        return done;
                    }
                    throw DaxSeam.mem2blkErr(ex, "write", "inode " + in.ino + " offset " + q);
                }
                w = vol.dax.directAccess(pgoff, nrPages, DaxAccessMode.RECOVERY_WRITE);
                recovery = true;
            }
            int mapLen = (int) Math.min(rest, w.nrPages() * PAGE - inPage);
            long xfer;
            if (recovery) {
                xfer = vol.dax.recoveryWrite(w, inPage, buf, off + done, mapLen);
            } else {
                w.write(inPage, buf, off + done, mapLen);
                xfer = mapLen;
            }
            if (xfer == 0) {
                if (done > 0) {
                    return done;
                }
                // A recovery write that cannot proceed (sub-page or misaligned over poison) ends with EFAULT.
                throw new ErrnoException(Errno.EFAULT, "write", "inode " + in.ino + " offset " + q
                        + ": poisoned page needs a page-aligned, whole-page write");
            }
            done += (int) xfer;
            if (xfer < mapLen) {
                return done;
            }
        }
        return done;
    }

    /**
     * Writes into a hole or unwritten extent: allocate (holes), zero through the block path (clears
     * poison), copy the data, fence, and only then commit the mapping as written — one transaction.
     */
    private int allocatingWrite(Inode in, Extent e, long p, byte[] buf, int off, int len) throws ErrnoException {
        long fb = p / PAGE;
        long lastFb = Math.ceilDiv(p + len, PAGE);
        long stop;
        if (e == null) {
            Extent next = in.extents.nextAfter(fb);
            stop = next == null ? lastFb : Math.min(lastFb, next.fileBlock());
        } else {
            stop = Math.min(lastFb, e.end());
        }
        long toBlock = Math.min(stop, fb + WRITE_CHUNK_BLOCKS);
        int room = InodeTable.MAX_EXTENTS - in.extents.size() - 2;
        if (room <= 0) {
            throw new ErrnoException(Errno.ENOSPC, "write", "inode " + in.ino + " has the maximum number of extents");
        }
        int n = (int) Math.min(len, byteOf(toBlock) - p);
        int[] copied = new int[1];
        ErrnoException[] failure = new ErrnoException[1];
        vol.transact("write", tx -> {
            List<Extent> target = e == null ? allocate(tx, in, fb, toBlock, false, Math.min(room, MAX_RUNS_PER_CHUNK))
                    : List.of(e.clip(fb, toBlock));
            if (target.isEmpty()) {
                throw new ErrnoException(Errno.ENOSPC, "write", "no free blocks");
            }
            try {
                for (Extent x : target) {
                    vol.bdev.issueZeroout(Volume.sector(x.devBlock()), x.count() << 3);
                }
            } catch (ErrnoException zeroFailed) {
                // The block path could not clear a poisoned block: unmap what this write allocated
                // (the blocks go back as busy, so the retry picks others) and fail the write with EIO.
                if (e == null) {
                    for (Extent x : target) {
                        in.extents.remove(x.fileBlock(), x.end());
                        vol.alloc.free(x.devBlock(), x.count());
                        in.blocks -= x.count();
                    }
                }
                failure[0] = zeroFailed;
                return null;
            }
            long mappedEnd = target.get(target.size() - 1).end();
            int want = (int) Math.min(n, byteOf(mappedEnd) - p);
            int done = 0;
            for (Extent x : target) {
                long segStart = Math.max(p, byteOf(x.fileBlock()));
                long segEnd = Math.min(p + want, byteOf(x.end()));
                if (segStart >= segEnd) {
                    continue;
                }
                DaxWindow w = vol.dax.directAccess(x.devBlock() + (segStart / PAGE - x.fileBlock()),
                        (segEnd - 1) / PAGE - segStart / PAGE + 1, DaxAccessMode.ACCESS);
                w.write(segStart % PAGE, buf, off + (int) (segStart - p), (int) (segEnd - segStart));
                done += (int) (segEnd - segStart);
            }
            // Data (and the zeroes around it) must be durable before the mapping that exposes it.
            vol.dax.fence();
            tx.dirty(in);
            for (Extent x : target) {
                if (e != null) {
                    in.extents.setState(x.fileBlock(), x.end(), false);
                }
            }
            // When this piece ends the write, the size moves in the same transaction as the mapping
            // (an extending write is one commit); earlier pieces of a longer write leave it alone, so a
            // crash never exposes a partly extended size (xfs_dax_write_iter sets it once, at the end).
            if (done == len && p + done > in.size) {
                in.size = p + done;
                in.mtimeNs = in.ctimeNs = vol.now();
            }
            copied[0] = done;
            return null;
        });
        if (failure[0] != null) {
            throw DaxSeam.mem2blkErr(failure[0], "write", "zeroing new blocks of inode " + in.ino);
        }
        return copied[0];
    }

    /**
     * Allocates the holes of {@code [from, to)} as new extents (written or unwritten), recording their
     * rmap entries; returns them in file order. Stops early at {@code maxRuns} runs or when space ends.
     */
    List<Extent> allocate(Transaction tx, Inode in, long from, long to, boolean unwritten, int maxRuns)
            throws ErrnoException {
        List<Extent> out = new ArrayList<>();
        long fb = from;
        while (fb < to && out.size() < maxRuns) {
            Extent prev = in.extents.find(fb - 1);
            long goal = prev != null ? prev.devEnd() : in.extents.size() > 0 ? lastDev(in) : vol.g.dataStart();
            long[] run = vol.allocate(tx, goal, Math.min(to - fb, Extent.MAX_COUNT));
            if (run == null) {
                break;
            }
            tx.dirty(in);
            Extent x = new Extent(fb, run[0], run[1], unwritten);
            in.extents.insert(x);
            vol.rmap.set(tx, run[0], run[1], in.ino, fb, 0);
            in.blocks += run[1];
            out.add(x);
            fb += run[1];
        }
        return out;
    }

    private static long lastDev(Inode in) {
        List<Extent> all = in.extents.all();
        return all.get(all.size() - 1).devEnd();
    }

    /**
     * The DAX page fault: the window of the page backing file page {@code pgoff}. A read fault on a hole
     * or unwritten page maps the filesystem's zero page (dax_load_hole: nothing is allocated; callers
     * must fault again with {@code write} before storing); a write fault allocates and zeroes it.
     * EHWPOISON is kept (it becomes SIGBUS BUS_MCEERR_AR); EFAULT past EOF (SIGBUS).
     */
    DaxWindow fault(Inode in, long pgoff, boolean write) throws ErrnoException {
        if (write) {
            in.rwsem.writeLock().lock();
        } else {
            in.rwsem.readLock().lock();
        }
        try {
            if (pgoff < 0 || pgoff * PAGE >= in.size) {
                throw new ErrnoException(Errno.EFAULT, "dax_fault", "page " + pgoff + " of inode " + in.ino
                        + " is beyond EOF");
            }
            Extent cur = in.extents.find(pgoff);
            if (cur == null || cur.unwritten()) {
                Extent e = cur;
                if (!write) {
                    return vol.dax.directAccess(Geometry.ZERO_PAGE, 1, DaxAccessMode.ACCESS);
                }
                vol.transact("dax_fault", tx -> {
                    List<Extent> target = e == null ? allocate(tx, in, pgoff, pgoff + 1, false, 1)
                            : List.of(e.clip(pgoff, pgoff + 1));
                    if (target.isEmpty()) {
                        throw new ErrnoException(Errno.ENOSPC, "dax_fault", "no free blocks");
                    }
                    Extent x = target.get(0);
                    vol.bdev.issueZeroout(Volume.sector(x.devBlock()), x.count() << 3);
                    vol.dax.fence();
                    tx.dirty(in);
                    if (e != null) {
                        in.extents.setState(pgoff, pgoff + 1, false);
                    }
                    return null;
                });
                cur = in.extents.find(pgoff);
            }
            return vol.dax.directAccess(cur.devBlock() + (pgoff - cur.fileBlock()), 1, DaxAccessMode.ACCESS);
        } finally {
            if (write) {
                in.rwsem.writeLock().unlock();
            } else {
                in.rwsem.readLock().unlock();
            }
        }
    }
}
