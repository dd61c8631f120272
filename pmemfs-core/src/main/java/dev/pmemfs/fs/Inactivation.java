package dev.pmemfs.fs;

import dev.pmemfs.errno.ErrnoException;
import java.util.List;

/**
 * Tearing down unlinked inodes (xfs_inactive, xfs_itruncate_extents): their blocks are unmapped and
 * freed in bounded transactions, {@link #FREE_BATCH} extents each, so each redo record stays small; an
 * inode still open or pinned waits on the orphan list until its last holder lets go.
 */
final class Inactivation {
    /** Extents freed per transaction when an inode is torn down, so each record stays bounded. */
    static final int FREE_BATCH = 48;

    private final Volume vol;

    Inactivation(Volume vol) {
        this.vol = vol;
    }

    /** Frees every block of an unlinked inode and the inode itself, in one transaction. */
    void freeInode(Transaction tx, Inode in) throws ErrnoException {
        freeBlocks(tx, in, 0, Long.MAX_VALUE);
        vol.inodes.freeListBlocks(in, vol.alloc);
        vol.inodes.free(tx, in);
    }

    /** Unmaps file blocks {@code [from, to)} and frees them (busy until forced / checkpointed). */
    void freeBlocks(Transaction tx, Inode in, long from, long to) throws ErrnoException {
        tx.dirty(in);
        boolean journaled = in.hasMetadataBlocks();
        for (Extent x : in.extents.remove(from, to)) {
            vol.alloc.free(x.devBlock(), x.count(), journaled);
            if (journaled) {
                for (long b = x.devBlock(); b < x.devEnd(); b++) {
                    vol.meta.forget(b);
                }
            }
            in.blocks -= x.count();
        }
    }

    /** Tears down an orphan in bounded transactions (xfs_inactive), then drops it from the orphan list. */
    void inactivate(Inode in) throws ErrnoException {
        if (in == null) {
            return;
        }
        boolean done = false;
        while (!done) {
            done = vol.transact("inactivate", tx -> {
                if (in.type == null || in.nlink > 0 || in.openCount > 0 || in.pins.get() > 0) {
                    return true;
                }
                List<Extent> all = in.extents.all();
                if (all.size() <= FREE_BATCH) {
                    freeInode(tx, in);
                    OrphanList.remove(tx, vol.meta, in.ino);
                    return true;
                }
                freeBlocks(tx, in, all.get(all.size() - FREE_BATCH).fileBlock(), Long.MAX_VALUE);
                return false;
            });
        }
    }
}
