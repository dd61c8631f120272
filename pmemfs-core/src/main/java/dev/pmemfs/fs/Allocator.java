package dev.pmemfs.fs;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * The free-space allocator: the block bitmap loaded at mount, plus busy extents — blocks freed since
 * the last log force that must not be reused yet (XFS's xfs_extent_busy: if they were reused at once,
 * punch + pwrite would land on the same poisoned block and never move the file). Mirrors
 * xfs_alloc_vextent's "near the goal" policy in its simplest form: first fit at or after the goal.
 *
 * <p>Lock order: called with the journal (transaction) lock held; nothing here calls out.
 */
final class Allocator {
    private final Bitmap used;
    private final Bitmap busy;
    private final List<long[]> busyRanges = new ArrayList<>();
    private final long dataStart;
    /**
     * With metadata replicas, the length of each half of the metadata pool at the start of the data
     * area: metadata is allocated in the first half and its copy lies {@code twin} blocks further, in
     * the second; file data never goes into the pool. 0 without replicas (no pool).
     */
    private final long twin;
    /** Free blocks of the pool, both halves (0 without one); {@link #free} counts the rest. */
    private long poolFree;
    /** Bitmap blocks changed since the dirty set was last taken (indices into the bitmap region). */
    private final TreeSet<Long> dirtyBitmapBlocks = new TreeSet<>();
    private long free;

    Allocator(Bitmap used, long dataStart) {
        this(used, dataStart, 0);
    }

    Allocator(Bitmap used, long dataStart, long twin) {
        this.twin = twin;
        this.used = used;
        this.busy = new Bitmap(used.size());
        this.dataStart = dataStart;
        this.free = used.size() - used.cardinality();
        for (long b = dataStart; b < dataStart + 2 * twin; b++) {
            if (!used.get(b)) {
                poolFree++;
            }
        }
        this.free -= poolFree;
    }

    /** Free blocks file data may use (outside the metadata pool). */
    long freeBlocks() {
        return free;
    }

    /** Free blocks metadata may use: pairs of the pool with replicas, else the same as file data. */
    long freeMetaBlocks() {
        return twin > 0 ? poolFree / 2 : free;
    }

    private boolean inPool(long b) {
        return b >= dataStart && b < dataStart + 2 * twin;
    }

    long busyBlocks() {
        long n = 0;
        for (long[] r : busyRanges) {
            n += r[1];
        }
        return n;
    }

    long totalBlocks() {
        return used.size();
    }

    boolean isUsed(long block) {
        return used.get(block);
    }

    Bitmap bitmap() {
        return used;
    }

    /**
     * Allocates one contiguous run of at most {@code maxLen} blocks, the first free non-busy run at or
     * after {@code goal} (wrapping to the start of the data area); null when no such block exists.
     */
    long[] allocate(long goal, long maxLen) {
        long fileStart = dataStart + 2 * twin; // file data never goes into the metadata pool
        long start = Math.max(goal, fileStart);
        if (start >= used.size()) {
            start = fileStart;
        }
        long[] run = firstRun(start, used.size(), maxLen);
        if (run == null && start > fileStart) {
            run = firstRun(fileStart, start, maxLen);
        }
        if (run != null) {
            mark(run[0], run[1], true);
            free -= run[1];
        }
        return run;
    }

    /**
     * Allocates a run for metadata (directory, extent-list, symlink blocks). With replicas it lies in
     * the first half of the metadata pool and its copy, the run {@code twin} blocks further, is
     * allocated with it; both free and not busy. Null when no such pair exists (the pool is full).
     */
    long[] allocateMeta(long goal, long maxLen) {
        if (twin == 0) {
            return allocate(goal, maxLen);
        }
        long lowEnd = dataStart + twin;
        long start = goal >= dataStart && goal < lowEnd ? goal : dataStart;
        long[] run = pairedRun(start, lowEnd, maxLen);
        if (run == null && start > dataStart) {
            run = pairedRun(dataStart, start, maxLen);
        }
        if (run != null) {
            mark(run[0], run[1], true);
            mark(run[0] + twin, run[1], true);
            poolFree -= 2 * run[1];
        }
        return run;
    }

    private boolean available(long b) {
        return !used.get(b) && !busy.get(b);
    }

    private long[] pairedRun(long from, long to, long maxLen) {
        long b = from;
        while (b < to) {
            b = nextAvailable(b);
            if (b < 0 || b >= to) {
                return null;
            }
            if (!available(b + twin)) {
                b++;
                continue;
            }
            long e = b + 1;
            while (e < to && e - b < maxLen && available(e) && available(e + twin)) {
                e++;
            }
            return new long[] {b, e - b};
        }
        return null;
    }

    private long[] firstRun(long from, long to, long maxLen) {
        long b = from;
        while (b < to) {
            b = nextAvailable(b);
            if (b < 0 || b >= to) {
                return null;
            }
            long e = b + 1;
            while (e < to && e - b < maxLen && !used.get(e) && !busy.get(e)) {
                e++;
            }
            return new long[] {b, e - b};
        }
        return null;
    }

    private long nextAvailable(long from) {
        long b = from;
        while (true) {
            b = used.nextClear(b);
            if (b < 0) {
                return -1;
            }
            if (!busy.get(b)) {
                return b;
            }
            long nb = busy.nextClear(b);
            if (nb < 0) {
                return -1;
            }
            b = nb;
        }
    }

    /** Marks a run used without searching (mkfs, fsck repair, journal-replayed state). */
    void claim(long start, long len) {
        for (long b = start; b < start + len; b++) {
            if (used.get(b)) {
                throw new IllegalStateException("block " + b + " already in use");
            }
        }
        mark(start, len, true);
        for (long b = start; b < start + len; b++) {
            if (inPool(b)) {
                poolFree--;
            } else {
                free--;
            }
        }
    }

    /** Frees a data run; it stays busy until the next log force ({@link #releaseBusy}). */
    void free(long start, long len) {
        free(start, len, false);
    }

    /**
     * Frees a run. Metadata blocks ({@code journaled}) stay busy until the next checkpoint: the log may
     * still hold images of them that replay would write in place, so they must not hold file data
     * before the log tail has moved past those records (what jbd2's revoke records solve).
     */
    void free(long start, long len, boolean journaled) {
        if (journaled && twin > 0) {
            freeRun(start + twin, len, true); // the metadata's copy goes with it
        }
        freeRun(start, len, journaled);
    }

    private void freeRun(long start, long len, boolean journaled) {
        for (long b = start; b < start + len; b++) {
            if (!used.get(b)) {
                throw new IllegalStateException("double free of block " + b);
            }
        }
        mark(start, len, false);
        busy.setRange(start, start + len, true);
        busyRanges.add(new long[] {start, len, journaled ? 1 : 0});
        if (inPool(start)) {
            poolFree += len; // a run never straddles the pool's end: metadata runs lie inside, data runs outside
        } else {
            free += len;
        }
    }

    /**
     * The freeing transactions are forced to the log: busy data blocks become reusable, and busy
     * metadata blocks too when {@code checkpointed}.
     */
    void releaseBusy(boolean checkpointed) {
        Iterator<long[]> it = busyRanges.iterator();
        while (it.hasNext()) {
            long[] r = it.next();
            if (r[2] == 0 || checkpointed) {
                busy.setRange(r[0], r[0] + r[1], false);
                it.remove();
            }
        }
    }

    private void mark(long start, long len, boolean v) {
        used.setRange(start, start + len, v);
        long first = start / Geometry.BITS_PER_BITMAP_BLOCK;
        long last = (start + len - 1) / Geometry.BITS_PER_BITMAP_BLOCK;
        for (long k = first; k <= last; k++) {
            dirtyBitmapBlocks.add(k);
        }
    }

    /** Bitmap blocks changed since the last call (indices within the bitmap region). */
    List<Long> takeDirty() {
        List<Long> out = new ArrayList<>(dirtyBitmapBlocks);
        dirtyBitmapBlocks.clear();
        return out;
    }

    /** The on-media image payload of bitmap block {@code k}. */
    void storeBlock(long k, byte[] img) {
        long from = k * Geometry.BITS_PER_BITMAP_BLOCK;
        long count = Math.min(Geometry.BITS_PER_BITMAP_BLOCK, used.size() - from);
        java.util.Arrays.fill(img, MetaBlock.HEADER, img.length, (byte) 0);
        used.store(from, count, img, MetaBlock.HEADER);
    }
}
