package dev.pmemfs.fs;

import static dev.pmemfs.fs.FileSystem.BLOCK_SIZE;

import dev.pmemfs.dax.DaxHolder;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.ArrayList;
import java.util.List;

/**
 * The filesystem's side of a media failure: which structure or file owns a device block (the
 * reverse map, as xfs_rmap_query_range answers xfs_dax_notify_failure, reference §7.2), the failures
 * recorded so far (consumed poison in data and poisoned metadata reads), and what a failure in
 * metadata means: corruption, as XFS reports it before it shuts down.
 */
final class PoisonOwners {
    private final Volume vol;
    /* guarded by itself */
    private final List<MediaFailure> failures = new ArrayList<>();

    PoisonOwners(Volume vol) {
        this.vol = vol;
        // With metadata replicas, only blocks the rmap names as metadata have a copy to heal from.
        vol.meta.setAllocatedMetadata(block -> {
            try {
                return vol.alloc.isUsed(block) && ownerLocked(block * BLOCK_SIZE) instanceof BlockOwner.Metadata;
            } catch (ErrnoException e) {
                return false;
            }
        });
        vol.meta.setPoisonListener((block, structure) -> {
            long off = block * BLOCK_SIZE;
            record(new MediaFailure(off, new BlockOwner.Metadata(off, structure), 0));
        });
    }

    private void record(MediaFailure f) {
        synchronized (failures) {
            failures.add(f);
        }
    }

    List<MediaFailure> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** What block {@code deviceOffset / BLOCK_SIZE} holds (xfs_rmap_query_range); the caller holds the transaction lock. */
    BlockOwner ownerLocked(long deviceOffset) throws ErrnoException {
        long block = deviceOffset / BLOCK_SIZE;
        String parityRegion = vol.parity != null && deviceOffset >= 0 ? vol.parity.layout.region(block) : null;
        if (parityRegion != null) {
            return new BlockOwner.Metadata(deviceOffset, parityRegion);
        }
        if (deviceOffset < 0 || block >= vol.g.totalBlocks()) {
            throw new ErrnoException(Errno.ENXIO, "owner", "offset " + deviceOffset + " is outside the device");
        }
        String region = vol.g.staticRegion(block);
        if (region != null) {
            return new BlockOwner.Metadata(deviceOffset, region);
        }
        if (!vol.alloc.isUsed(block)) {
            return new BlockOwner.Free(deviceOffset);
        }
        Rmap.Entry e = vol.rmap.get(block);
        if (e.extentMap()) {
            return new BlockOwner.Metadata(deviceOffset, "extent list of inode " + e.ino());
        }
        Inode in = vol.inodes.allocated(e.ino()) ? vol.inodes.get(e.ino()) : null;
        Extent x = in == null ? null : in.extents.find(e.fileBlock());
        if (x == null || x.devBlock() + (e.fileBlock() - x.fileBlock()) != block) {
            long primary = vol.g.primaryOf(block);
            if (primary >= 0 && primary != block && vol.alloc.isUsed(primary)
                    && ownerLocked(primary * BLOCK_SIZE) instanceof BlockOwner.Metadata m) {
                // The copy of a metadata block (meta_replicas=2) has no rmap entry of its own.
                return new BlockOwner.Metadata(deviceOffset, "copy of " + m.structure() + " (block " + primary + ")");
            }
            throw new FsCorruptedException("owner", vol.g.rmapBlock(block), "rmap", "block " + block
                    + " is allocated but its rmap entry (inode " + e.ino() + ", file block " + e.fileBlock()
                    + ") does not map it");
        }
        if (in.isDir()) {
            return new BlockOwner.Metadata(deviceOffset, "directory " + e.ino());
        }
        if (in.type == FileType.SYMLINK) {
            return new BlockOwner.Metadata(deviceOffset, "symlink " + e.ino());
        }
        return new BlockOwner.FileData(deviceOffset, e.ino(), e.fileBlock() * BLOCK_SIZE + deviceOffset % BLOCK_SIZE,
                x.unwritten());
    }

    /**
     * notify_failure: each page of the range is looked up in the rmap and recorded; a metadata owner is
     * reported as corruption (EFSCORRUPTED), as XFS does before it shuts down, unless the filesystem keeps
     * metadata replicas and the block's other copy verifies: then the damaged copy is rewritten from it
     * and nothing is lost.
     */
    void notifyFailure(long offset, long len, int mfFlags) throws ErrnoException {
        if ((mfFlags & DaxHolder.MF_MEM_PRE_REMOVE) != 0) {
            // kill_dax: the whole device (length "U64_MAX") goes away under a mount being torn down; no
            // page failed, so there is nothing to look up or record.
            return;
        }
        boolean metadata = false;
        String what = null;
        long end = Math.min(len > Long.MAX_VALUE - offset ? Long.MAX_VALUE : offset + len, vol.g.totalBlocks() * BLOCK_SIZE);
        for (long off = offset / BLOCK_SIZE * BLOCK_SIZE; off < end; off += BLOCK_SIZE) {
            BlockOwner o;
            // Safe to wait: the transaction lock's holders never wait for an inode lock or for media
            // locks held across this call (media locks are leaves); a holder that consumed poison itself
            // re-enters.
            vol.txLock.lock();
            try {
                o = ownerLocked(off);
            } catch (ErrnoException e) {
                o = new BlockOwner.Metadata(off, "unknown (rmap query failed: " + e.getMessage() + ")");
            } finally {
                vol.txLock.unlock();
            }
            if (o instanceof BlockOwner.Metadata && healed(off / BLOCK_SIZE)) {
                continue;
            }
            record(new MediaFailure(off, o, mfFlags));
            // Parity is redundancy, not metadata: poison in it stops nothing (fsck --repair or a heal
            // recomputes it), so it is not reported as corruption.
            if (o instanceof BlockOwner.Metadata m
                    && (vol.parity == null || vol.parity.layout.region(off / FileSystem.BLOCK_SIZE) == null)) {
                metadata = true;
                what = m.structure();
            }
        }
        if (metadata) {
            // xfs_dax_notify_failure shuts the filesystem down (SHUTDOWN_CORRUPT_ONDISK) when memory_failure
            // reports metadata. Here only a memory_failure from outside a load does (hwpoison-inject,
            // MF_SW_SIMULATED): poison our own metadata read consumed already fails that call, and the
            // filesystem goes on as it always has (the study's runs depend on it).
            if ((mfFlags & DaxHolder.MF_SW_SIMULATED) != 0) {
                vol.shutdown("memory failure in metadata (" + what + ") at device byte " + offset);
                throw new FsCorruptedException("notify_failure", offset / BLOCK_SIZE, what,
                        "memory failure in filesystem metadata; the filesystem is shut down");
            }
            throw new FsCorruptedException("notify_failure", offset / BLOCK_SIZE, what,
                    "media failure in filesystem metadata");
        }
    }

    /** With metadata replicas, rewrites a damaged metadata block from its copy; whether it did. */
    private boolean healed(long block) throws ErrnoException {
        if (vol.g.replicas() < 2) {
            return false;
        }
        vol.txLock.lock();
        try {
            return vol.meta.heal(block);
        } finally {
            vol.txLock.unlock();
        }
    }

    /** The owner of every block the driver knows to be bad, in device order; the caller holds the transaction lock. */
    List<BlockOwner> badblockOwnersLocked() throws ErrnoException {
        List<BlockOwner> out = new ArrayList<>();
        long lastBlock = -1;
        for (var r : vol.dax.knownBadRanges()) {
            long first = Math.max(r.offset() / BLOCK_SIZE, lastBlock + 1);
            long end = (r.offset() + r.length() + BLOCK_SIZE - 1) / BLOCK_SIZE;
            for (long b = first; b < end && b < vol.deviceEnd(); b++) {
                out.add(ownerLocked(b * BLOCK_SIZE));
                lastBlock = b;
            }
        }
        return out;
    }
}
