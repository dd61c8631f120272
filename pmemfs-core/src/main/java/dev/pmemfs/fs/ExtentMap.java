package dev.pmemfs.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A file's block map in memory: non-overlapping extents keyed by first file block, adjacent mergeable
 * extents always merged (the in-core analogue of XFS's data fork, fs/xfs/libxfs/xfs_bmap.c). Not
 * thread-safe: the owning inode's lock guards it.
 */
final class ExtentMap {
    private final TreeMap<Long, Extent> map = new TreeMap<>();

    ExtentMap() {}

    ExtentMap(List<Extent> extents) {
        for (Extent e : extents) {
            insert(e);
        }
    }

    int size() {
        return map.size();
    }

    List<Extent> all() {
        return List.copyOf(map.values());
    }

    /** The extent holding file block {@code fb}, or null in a hole. */
    Extent find(long fb) {
        Map.Entry<Long, Extent> e = map.floorEntry(fb);
        return e != null && e.getValue().contains(fb) ? e.getValue() : null;
    }

    /** The first extent starting after {@code fb}, or null. */
    Extent nextAfter(long fb) {
        Map.Entry<Long, Extent> e = map.higherEntry(fb);
        return e == null ? null : e.getValue();
    }

    /** Mapped parts of {@code [from, to)}, clipped, in file order. */
    List<Extent> overlapping(long from, long to) {
        List<Extent> out = new ArrayList<>();
        Map.Entry<Long, Extent> first = map.floorEntry(from);
        Long key = first != null && first.getValue().end() > from ? first.getKey() : map.ceilingKey(from);
        for (Map.Entry<Long, Extent> e = key == null ? null : map.ceilingEntry(key);
                e != null && e.getKey() < to; e = map.higherEntry(e.getKey())) {
            Extent c = e.getValue().clip(from, to);
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    long mappedBlocks() {
        long n = 0;
        for (Extent e : map.values()) {
            n += e.count();
        }
        return n;
    }

    /** Last mapped file block + 1, or 0 when empty. */
    long endBlock() {
        return map.isEmpty() ? 0 : map.lastEntry().getValue().end();
    }

    /** Splits the extent holding {@code fb} so that an extent starts exactly at {@code fb}. */
    void split(long fb) {
        Extent e = find(fb);
        if (e == null || e.fileBlock() == fb) {
            return;
        }
        long left = fb - e.fileBlock();
        map.put(e.fileBlock(), new Extent(e.fileBlock(), e.devBlock(), left, e.unwritten()));
        map.put(fb, new Extent(fb, e.devBlock() + left, e.count() - left, e.unwritten()));
    }

    /** Maps a hole; IllegalStateException when any block of {@code e} is already mapped. */
    void insert(Extent e) {
        if (!overlapping(e.fileBlock(), e.end()).isEmpty()) {
            throw new IllegalStateException("extent " + e + " overlaps a mapped range");
        }
        map.put(e.fileBlock(), e);
        mergeAround(e.fileBlock());
        mergeAround(e.end());
    }

    /** Unmaps {@code [from, to)} and returns the removed pieces (device ranges to free), file order. */
    List<Extent> remove(long from, long to) {
        split(from);
        split(to);
        List<Extent> removed = new ArrayList<>(map.subMap(from, true, to, false).values());
        map.subMap(from, true, to, false).clear();
        return removed;
    }

    /** Sets the state of every mapped block of {@code [from, to)}; returns the pieces it changed. */
    List<Extent> setState(long from, long to, boolean unwritten) {
        split(from);
        split(to);
        List<Extent> changed = new ArrayList<>();
        for (Extent e : new ArrayList<>(map.subMap(from, true, to, false).values())) {
            if (e.unwritten() != unwritten) {
                map.put(e.fileBlock(), e.withState(unwritten));
                changed.add(e);
            }
        }
        for (Extent e : changed) {
            mergeAround(e.fileBlock());
            mergeAround(e.end());
        }
        mergeAround(from);
        mergeAround(to);
        return changed;
    }

    /** COLLAPSE_RANGE: {@code [from, from+by)} must be unmapped; extents at or after {@code from+by} move down. */
    void shiftDown(long from, long by) {
        if (!overlapping(from, from + by).isEmpty()) {
            throw new IllegalStateException("collapse range still mapped");
        }
        List<Extent> moving = new ArrayList<>(map.tailMap(from + by, true).values());
        map.tailMap(from + by, true).clear();
        for (Extent e : moving) {
            map.put(e.fileBlock() - by, e.shifted(-by));
        }
        mergeAround(from);
    }

    /** INSERT_RANGE: extents at or after {@code from} move up by {@code by}, leaving a hole. */
    void shiftUp(long from, long by) {
        split(from);
        List<Extent> moving = new ArrayList<>(map.tailMap(from, true).values());
        map.tailMap(from, true).clear();
        for (int i = moving.size() - 1; i >= 0; i--) {
            Extent e = moving.get(i);
            map.put(e.fileBlock() + by, e.shifted(by));
        }
    }

    /** Merges the extent ending at {@code boundary} with the one starting there, when they continue. */
    private void mergeAround(long boundary) {
        Extent right = map.get(boundary);
        Map.Entry<Long, Extent> leftEntry = map.lowerEntry(boundary);
        if (right == null || leftEntry == null) {
            return;
        }
        Extent left = leftEntry.getValue();
        if (left.mergeableWith(right)) {
            map.remove(boundary);
            map.put(left.fileBlock(), new Extent(left.fileBlock(), left.devBlock(), left.count() + right.count(),
                    left.unwritten()));
        }
    }
}
