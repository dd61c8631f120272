package dev.pmemfs.fs;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.ArrayList;
import java.util.List;

/**
 * Sector-precise recovery of poisoned file blocks ("salvage"): before a damaged block is cleared, every
 * 512-byte sector the driver does not know to be bad is read through the block path's machine-check-safe
 * copy ({@code pmem_do_read}); the block is then cleared and written back whole with the saved sectors
 * and zeros where the poison was, so only the poisoned sectors are lost. No Linux filesystem does this;
 * it is what the RFC's {@code dax_zeroinit_range} (reference §1.2) makes possible when the filesystem,
 * not the user, drives it.
 *
 * <p>Crash safety: a plain "zeroinit, then pwrite the saved bytes" leaves zeros where good data was if
 * power fails between the two. Here the new content of each block goes into the redo journal first, in
 * the same record as the inode's timestamps (marked {@link Journal#DATA_TARGET}); only after that
 * record is durable is the block rewritten in place by the driver's recovery write (clear, store,
 * fence, then drop the badblocks records). A cut before the record commits leaves the block poisoned
 * with its old bytes; a cut after it is repaired by replay, which performs the same rewrite. The journal
 * is checkpointed before the inode lock is released, so no later replay can write the saved content
 * over data the file received afterwards.
 *
 * <p>Runs under the inode's rwsem (write): no read, write, truncate or fallocate of the file interleaves.
 */
final class Salvage {
    private static final int PAGE = FileIo.PAGE;
    private static final int SECTOR = BlockDevice.SECTOR_SIZE;
    private static final int SECTORS_PER_BLOCK = PAGE / SECTOR;
    /** Damaged blocks per journal record (a record holds at most {@link Journal#MAX_IMAGES} images). */
    static final int BATCH_BLOCKS = 32;

    private final Volume vol;

    Salvage(Volume vol) {
        this.vol = vol;
    }

    /** One damaged block: where it is in the file and on the device. */
    private record Damaged(long fileBlock, long devBlock) {}

    /**
     * Salvages the damaged written blocks overlapping {@code [offset, offset + len)}. Holes and unwritten
     * extents read as zeros whatever the media holds, so they are left alone (as zeroinit leaves them).
     * EOPNOTSUPP when the mount does not offer in-place clearing ({@code zeroinit=off}).
     */
    SalvageResult run(Inode in, long offset, long len) throws ErrnoException {
        if (!vol.options.zeroinit()) {
            throw new ErrnoException(Errno.EOPNOTSUPP, "salvage",
                    "in-place clearing (zeroinit) is disabled by the mount options");
        }
        in.rwsem.writeLock().lock();
        try {
            if (in.type != FileType.REGULAR) {
                throw new ErrnoException(Errno.EINVAL, "salvage", "inode " + in.ino + " is not a regular file");
            }
            long from = offset / PAGE;
            long to = offset + len > offset ? (offset + len + PAGE - 1) / PAGE : Long.MAX_VALUE / PAGE;
            List<Damaged> damaged = damagedBlocks(in, from, to);
            List<SalvageResult.Range> lost = new ArrayList<>();
            long repaired = 0;
            long left = 0;
            for (int i = 0; i < damaged.size(); i += BATCH_BLOCKS) {
                List<Damaged> batch = damaged.subList(i, Math.min(damaged.size(), i + BATCH_BLOCKS));
                int ok = salvageBatch(in, batch, lost);
                repaired += ok;
                left += batch.size() - ok;
            }
            return new SalvageResult(repaired, left, merge(lost));
        } finally {
            in.rwsem.writeLock().unlock();
        }
    }

    /** Written blocks in file blocks {@code [from, to)} that hold known poison, in file order. */
    private List<Damaged> damagedBlocks(Inode in, long from, long to) throws ErrnoException {
        List<Damaged> out = new ArrayList<>();
        for (Extent x : in.extents.overlapping(from, to)) {
            if (x.unwritten()) {
                continue;
            }
            long first = Math.max(from, x.fileBlock());
            long last = Math.min(to, x.end());
            for (long fb = first; fb < last; fb++) {
                long dev = x.devBlock() + (fb - x.fileBlock());
                if (knownBad(dev)) {
                    out.add(new Damaged(fb, dev));
                }
            }
        }
        return out;
    }

    private boolean knownBad(long devBlock) throws ErrnoException {
        try {
            vol.dax.directAccess(devBlock, 1, DaxAccessMode.ACCESS);
            return false;
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EHWPOISON) {
                throw e;
            }
            return true;
        }
    }

    /**
     * Saves, journals and rewrites one batch; returns how many blocks now read without error. Lost
     * sectors (inside the file's size) are added to {@code lost}.
     */
    private int salvageBatch(Inode in, List<Damaged> batch, List<SalvageResult.Range> lost) throws ErrnoException {
        List<byte[]> images = new ArrayList<>(batch.size());
        List<List<SalvageResult.Range>> lostPerBlock = new ArrayList<>(batch.size());
        for (Damaged d : batch) {
            byte[] img = new byte[PAGE];
            List<SalvageResult.Range> gone = new ArrayList<>();
            for (int s = 0; s < SECTORS_PER_BLOCK; s++) {
                if (!readSector(d.devBlock(), s, img)) {
                    long off = d.fileBlock() * PAGE + (long) s * SECTOR;
                    if (off < in.size) {
                        gone.add(new SalvageResult.Range(off, Math.min(SECTOR, in.size - off)));
                    }
                }
            }
            images.add(img);
            lostPerBlock.add(gone);
        }
        long now = vol.now();
        int ok = 0;
        vol.txLock.lock();
        try {
            vol.transact("salvage", tx -> {
                for (int i = 0; i < batch.size(); i++) {
                    tx.putData(batch.get(i).devBlock(), images.get(i));
                }
                tx.dirty(in);
                in.mtimeNs = in.ctimeNs = now;
                return null;
            });
            // The record is durable: from here a crash is repaired by replay, which does what follows.
            try {
                for (int i = 0; i < batch.size(); i++) {
                    if (vol.meta.writeData(batch.get(i).devBlock(), images.get(i))) {
                        ok++;
                        lost.addAll(lostPerBlock.get(i));
                    }
                }
                vol.dax.fence();
                // No replay may write these images again once the file can change the blocks.
                vol.checkpointLocked();
            } catch (ErrnoException | RuntimeException e) {
                // The record stays in the log: a later write to these blocks followed by a replay would
                // bring the saved content back over it, so nothing may be written any more.
                vol.shutdown("salvage failed after its journal record committed: " + e.getMessage());
                throw e;
            }
        } finally {
            vol.txLock.unlock();
        }
        return ok;
    }

    /**
     * Reads sector {@code s} of device block {@code devBlock} into its place in {@code img} through the
     * block path: false (the sector left as zeros) when the driver knows it bad or the copy met latent
     * poison, which the machine check makes known, so the rewrite clears it too.
     */
    private boolean readSector(long devBlock, int s, byte[] img) throws ErrnoException {
        long sector = (devBlock << (DaxDevice.PAGE_SHIFT - BlockDevice.SECTOR_SHIFT)) + s;
        try {
            vol.bdev.submitRead(sector, img, s * SECTOR, SECTOR);
            return true;
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EIO) {
                throw e;
            }
            java.util.Arrays.fill(img, s * SECTOR, (s + 1) * SECTOR, (byte) 0);
            return false;
        }
    }

    private static List<SalvageResult.Range> merge(List<SalvageResult.Range> ranges) {
        List<SalvageResult.Range> sorted = new ArrayList<>(ranges);
        sorted.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        List<SalvageResult.Range> out = new ArrayList<>();
        for (SalvageResult.Range r : sorted) {
            SalvageResult.Range last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.end() >= r.offset()) {
                out.set(out.size() - 1, new SalvageResult.Range(last.offset(),
                        Math.max(last.end(), r.end()) - last.offset()));
            } else {
                out.add(r);
            }
        }
        return out;
    }
}
