package dev.pmemfs.media;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-memory image of the media error log: media poison (byte ranges in clear units, each latent
 * or known) and the driver's badblocks (region-relative 512-byte sectors). Every change is first made
 * durable in the {@link MediaErrorLog}, then applied here, under one read-write lock (a leaf lock:
 * nothing is called out while it is held).
 *
 * <p>Models the bus badrange list plus {@code struct badblocks} (drivers/nvdimm/badrange.c,
 * block/badblocks.c; reference §1.3, §2). Poison is stored as two range sets: {@code all} (every
 * poisoned byte) and {@code known} (the subset the platform has reported); latent = all − known.
 */
final class MediaState {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final RangeSet all = new RangeSet();
    private final RangeSet known = new RangeSet();
    private final RangeSet badblocks = new RangeSet();
    private MediaErrorLog log;

    void attachLog(MediaErrorLog log) {
        this.log = log;
    }

    /** Applies a replayed or freshly logged record. Caller holds the write lock (or is single-threaded replay). */
    void apply(MediaErrorLog.Entry e) {
        switch (e.type()) {
            case MediaErrorLog.POISON_LATENT -> all.add(e.a(), e.b());
            case MediaErrorLog.POISON_KNOWN -> {
                all.add(e.a(), e.b());
                known.add(e.a(), e.b());
            }
            case MediaErrorLog.POISON_REMOVED -> {
                all.remove(e.a(), e.b());
                known.remove(e.a(), e.b());
            }
            case MediaErrorLog.BADBLOCKS_SET -> badblocks.add(e.a(), e.b());
            case MediaErrorLog.BADBLOCKS_CLEARED -> badblocks.remove(e.a(), e.b());
            default -> throw new IllegalStateException("unknown media log record type " + e.type());
        }
    }

    /** Linux's table size when the badblocks table is Linux's, else 0 (no limit). */
    private volatile int maxEntries;

    void setMaxEntries(int max) {
        this.maxEntries = max;
    }

    private void commitLocked(List<MediaErrorLog.Entry> entries) throws ErrnoException {
        commitLocked(entries, false);
    }

    /**
     * Logs {@code entries} and applies them. Under Linux's table ({@link #maxEntries}), the badblocks
     * entries that would not fit are left out first: a set that would need more than the table holds,
     * a clear whose split would ({@link #fitLinuxTable}); with {@code strictSet} a set left out fails
     * the whole batch with ENOSPC instead (the sysfs store), changing nothing.
     */
    private void commitLocked(List<MediaErrorLog.Entry> entries, boolean strictSet) throws ErrnoException {
        assert lock.isWriteLockedByCurrentThread();
        if (maxEntries > 0) {
            entries = fitLinuxTable(entries, strictSet);
        }
        if (entries.isEmpty()) {
            return;
        }
        log.append(entries, this::snapshotLocked);
        for (MediaErrorLog.Entry e : entries) {
            apply(e);
        }
    }

    /** Entries of Linux's table a run of {@code len} sectors takes (each holds at most BB_MAX_LEN = 512). */
    private static long tableEntries(long len) {
        return (len + 511) >>> 9;
    }

    /**
     * block/badblocks.c's limits over one batch: each badblocks record is tried, in order, against a
     * copy of the table; a set that would take it past {@link #maxEntries} is not recorded
     * (badblocks_set fails; nvdimm_badblocks_populate and the notify paths ignore that), a clear whose
     * split would is dropped ("if the table becomes full, we just drop the remove request").
     */
    private List<MediaErrorLog.Entry> fitLinuxTable(List<MediaErrorLog.Entry> entries, boolean strictSet)
            throws ErrnoException {
        boolean any = false;
        for (MediaErrorLog.Entry e : entries) {
            any |= e.type() == MediaErrorLog.BADBLOCKS_SET || e.type() == MediaErrorLog.BADBLOCKS_CLEARED;
        }
        if (!any) {
            return entries;
        }
        RangeSet table = new RangeSet();
        long[] count = {0};
        badblocks.forEach((s, e) -> {
            table.add(s, e);
            count[0] += tableEntries(e - s);
        });
        List<MediaErrorLog.Entry> out = new ArrayList<>();
        for (MediaErrorLog.Entry e : entries) {
            if (e.type() == MediaErrorLog.BADBLOCKS_SET) {
                long delta = addDelta(table, e.a(), e.b());
                if (count[0] + delta > maxEntries) {
                    if (strictSet) {
                        throw new ErrnoException(Errno.ENOSPC, "badblocks_set", "the badblocks table is full ("
                                + maxEntries + " entries, Linux's block/badblocks.c): sectors " + e.a() + "+" + (e.b() - e.a())
                                + " not recorded");
                    }
                    continue;
                }
                table.add(e.a(), e.b());
                count[0] += delta;
            } else if (e.type() == MediaErrorLog.BADBLOCKS_CLEARED) {
                long delta = removeDelta(table, e.a(), e.b());
                if (count[0] + delta > maxEntries) {
                    continue;
                }
                table.remove(e.a(), e.b());
                count[0] += delta;
            }
            out.add(e);
        }
        return out;
    }

    /** How many table entries adding {@code [s, e)} adds (it merges with what it overlaps or touches). */
    private static long addDelta(RangeSet table, long s, long e) {
        long lo = s;
        long hi = e;
        long before = 0;
        long cursor = Math.max(0, s - 1);
        long limit = e == Long.MAX_VALUE ? e : e + 1;
        long[] r;
        while (cursor < limit && (r = table.firstOverlap(cursor, limit)) != null) {
            before += tableEntries(r[1] - r[0]);
            lo = Math.min(lo, r[0]);
            hi = Math.max(hi, r[1]);
            cursor = r[1];
        }
        return tableEntries(hi - lo) - before;
    }

    /** How many table entries removing {@code [s, e)} adds (a range it cuts in the middle splits in two). */
    private static long removeDelta(RangeSet table, long s, long e) {
        long delta = 0;
        long cursor = s;
        long[] r;
        while (cursor < e && (r = table.firstOverlap(cursor, e)) != null) {
            long after = (r[0] < s ? tableEntries(s - r[0]) : 0) + (r[1] > e ? tableEntries(r[1] - e) : 0);
            delta += after - tableEntries(r[1] - r[0]);
            cursor = r[1];
        }
        return delta;
    }

    /** Records that rebuild the current state from an empty one. */
    private List<MediaErrorLog.Entry> snapshotLocked() {
        List<MediaErrorLog.Entry> out = new ArrayList<>();
        for (PoisonRange p : poisonLocked(Long.MIN_VALUE, Long.MAX_VALUE)) {
            out.add(new MediaErrorLog.Entry(p.known() ? MediaErrorLog.POISON_KNOWN : MediaErrorLog.POISON_LATENT,
                    p.range().offset(), p.range().end()));
        }
        badblocks.forEach((s, e) -> out.add(new MediaErrorLog.Entry(MediaErrorLog.BADBLOCKS_SET, s, e)));
        return out;
    }

    private static long sectorFloor(long byteOff) {
        return byteOff >>> 9;
    }

    private static long sectorCeil(long byteOff) {
        return (byteOff + 511) >>> 9;
    }

    // ---- poison ----

    /** First poisoned range (latent or known) overlapping {@code [start, end)}, or null. */
    long[] firstPoison(long start, long end) {
        lock.readLock().lock();
        try {
            return all.firstOverlap(start, end);
        } finally {
            lock.readLock().unlock();
        }
    }

    boolean anyPoison(long start, long end) {
        lock.readLock().lock();
        try {
            return all.overlaps(start, end);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * A load consumed poison in {@code [start, end)} (clear-unit aligned): if any of it was latent it
     * becomes known and its sectors enter badblocks. Returns whether anything changed (a new machine
     * check the holder must hear about).
     */
    boolean consume(long start, long end) throws ErrnoException {
        lock.writeLock().lock();
        try {
            if (known.covers(start, end) && badblocks.covers(sectorFloor(start), sectorCeil(end))) {
                return false;
            }
            commitLocked(List.of(
                    new MediaErrorLog.Entry(MediaErrorLog.POISON_KNOWN, start, end),
                    new MediaErrorLog.Entry(MediaErrorLog.BADBLOCKS_SET, sectorFloor(start), sectorCeil(end))));
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Poisons {@code [start, end)}: latent, or known and in badblocks when the platform notifies. */
    void inject(long start, long end, boolean notify) throws ErrnoException {
        lock.writeLock().lock();
        try {
            if (notify) {
                commitLocked(List.of(
                        new MediaErrorLog.Entry(MediaErrorLog.POISON_KNOWN, start, end),
                        new MediaErrorLog.Entry(MediaErrorLog.BADBLOCKS_SET, sectorFloor(start), sectorCeil(end))));
            } else {
                commitLocked(List.of(new MediaErrorLog.Entry(MediaErrorLog.POISON_LATENT, start, end)));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Drops the media poison in {@code [start, end)}, leaving badblocks alone (un-inject). */
    void removePoison(long start, long end) throws ErrnoException {
        lock.writeLock().lock();
        try {
            if (all.overlaps(start, end)) {
                commitLocked(List.of(new MediaErrorLog.Entry(MediaErrorLog.POISON_REMOVED, start, end)));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Drops the badblocks sectors wholly inside the byte range {@code [start, end)} (nvdimm_account_cleared_poison). */
    void badblocksClearWhole(long start, long end) throws ErrnoException {
        long s = sectorCeil(start);
        long e = sectorFloor(end);
        if (e > s) {
            badblocksClear(s, e);
        }
    }

    /** ARS over {@code [start, end)}: every latent range there becomes known and enters badblocks. */
    List<ByteRange> scrub(long start, long end) throws ErrnoException {
        lock.writeLock().lock();
        try {
            List<ByteRange> found = new ArrayList<>();
            List<MediaErrorLog.Entry> entries = new ArrayList<>();
            for (long[] r : all.within(start, end)) {
                found.add(new ByteRange(r[0], r[1] - r[0]));
                if (!known.covers(r[0], r[1])) {
                    entries.add(new MediaErrorLog.Entry(MediaErrorLog.POISON_KNOWN, r[0], r[1]));
                }
                if (!badblocks.covers(sectorFloor(r[0]), sectorCeil(r[1]))) {
                    entries.add(new MediaErrorLog.Entry(MediaErrorLog.BADBLOCKS_SET, sectorFloor(r[0]), sectorCeil(r[1])));
                }
            }
            commitLocked(entries);
            return found;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Poison ranges overlapping {@code [start, end)} (clipped), with their state. */
    List<PoisonRange> poison(long start, long end) {
        lock.readLock().lock();
        try {
            return poisonLocked(start, end);
        } finally {
            lock.readLock().unlock();
        }
    }

    private List<PoisonRange> poisonLocked(long start, long end) {
        List<PoisonRange> out = new ArrayList<>();
        for (long[] r : all.within(start, end)) {
            long at = r[0];
            for (long[] k : known.within(r[0], r[1])) {
                if (k[0] > at) {
                    out.add(new PoisonRange(new ByteRange(at, k[0] - at), false));
                }
                out.add(new PoisonRange(new ByteRange(k[0], k[1] - k[0]), true));
                at = k[1];
            }
            if (at < r[1]) {
                out.add(new PoisonRange(new ByteRange(at, r[1] - at), false));
            }
        }
        return out;
    }

    /**
     * {@code nvdimm_badblocks_populate} at probe: badblocks becomes exactly the sectors (rounded outward)
     * of the poison the platform has reported, in one logged batch. Entries nothing backs (a sysfs store,
     * MADV_HWPOISON, an un-injected error) go; known poison whose entries were dropped comes back.
     *
     * @return whether badblocks changed
     */
    boolean revalidateBadblocks() throws ErrnoException {
        lock.writeLock().lock();
        try {
            RangeSet want = new RangeSet();
            known.forEach((s, e) -> want.add(sectorFloor(s), sectorCeil(e)));
            List<long[]> have = new ArrayList<>();
            badblocks.forEach((s, e) -> have.add(new long[] {s, e}));
            List<long[]> wanted = new ArrayList<>();
            want.forEach((s, e) -> wanted.add(new long[] {s, e}));
            if (sameRanges(have, wanted)) {
                return false;
            }
            // One record drops every old entry; the sets follow in batches of at most 65535 records
            // (the log's batch limit). A crash between batches loses only entries the next probe
            // derives again from the poison records.
            List<MediaErrorLog.Entry> entries = new ArrayList<>();
            if (!have.isEmpty()) {
                entries.add(new MediaErrorLog.Entry(MediaErrorLog.BADBLOCKS_CLEARED, have.getFirst()[0],
                        have.getLast()[1]));
            }
            for (long[] r : wanted) {
                if (entries.size() == 0xFFFF) {
                    commitLocked(entries);
                    entries = new ArrayList<>();
                }
                entries.add(new MediaErrorLog.Entry(MediaErrorLog.BADBLOCKS_SET, r[0], r[1]));
            }
            commitLocked(entries);
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static boolean sameRanges(List<long[]> a, List<long[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i)[0] != b.get(i)[0] || a.get(i)[1] != b.get(i)[1]) {
                return false;
            }
        }
        return true;
    }

    // ---- badblocks (region sectors) ----

    boolean badblocksOverlap(long startSector, long endSector) {
        lock.readLock().lock();
        try {
            return badblocks.overlaps(startSector, endSector);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** First bad sector in {@code [startSector, endSector)}, or -1. */
    long firstBadSector(long startSector, long endSector) {
        lock.readLock().lock();
        try {
            long[] r = badblocks.firstOverlap(startSector, endSector);
            return r == null ? -1 : Math.max(r[0], startSector);
        } finally {
            lock.readLock().unlock();
        }
    }

    void badblocksSet(long startSector, long endSector) throws ErrnoException {
        lock.writeLock().lock();
        try {
            if (!badblocks.covers(startSector, endSector)) {
                commitLocked(List.of(new MediaErrorLog.Entry(MediaErrorLog.BADBLOCKS_SET, startSector, endSector)), true);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    void badblocksClear(long startSector, long endSector) throws ErrnoException {
        lock.writeLock().lock();
        try {
            if (badblocks.overlaps(startSector, endSector)) {
                commitLocked(List.of(new MediaErrorLog.Entry(MediaErrorLog.BADBLOCKS_CLEARED, startSector, endSector)));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Badblocks overlapping {@code [startSector, endSector)}, clipped to it, ascending. */
    List<BadRange> badblocks(long startSector, long endSector) {
        lock.readLock().lock();
        try {
            List<BadRange> out = new ArrayList<>();
            for (long[] r : badblocks.within(startSector, endSector)) {
                out.add(new BadRange(r[0], r[1] - r[0]));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    long badblockRanges() {
        lock.readLock().lock();
        try {
            return badblocks.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    long logGeneration() {
        lock.readLock().lock();
        try {
            return log.generation();
        } finally {
            lock.readLock().unlock();
        }
    }

    long replayedRecords() {
        return log.replayedRecords();
    }
}
