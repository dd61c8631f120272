package dev.pmemfs.media;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A set of disjoint, non-adjacent half-open ranges {@code [start, end)} of longs, kept sorted in
 * chunks of primitive arrays so that millions of ranges cost 16 bytes each and a lookup costs two
 * binary searches (one over the chunks, one inside a chunk).
 *
 * <p>This is pmemfs's answer to Linux's one-page {@code struct badblocks} (block/badblocks.c,
 * reference §2.1): the same sorted-table idea, without the 512-entry cap. Adding a range merges it
 * with every range it overlaps or touches; removing one splits the range it cuts. Not thread-safe:
 * the owner ({@link MediaState}) guards it.
 */
final class RangeSet {
    /** Ranges per chunk at most; a full chunk splits in two halves. */
    static final int CHUNK = 1024;

    private static final class Chunk {
        final long[] starts = new long[CHUNK];
        final long[] ends = new long[CHUNK];
        int n;
    }

    private Chunk[] chunks = new Chunk[4];
    /** {@code firsts[c] == chunks[c].starts[0]}; kept in step so the chunk search touches one array. */
    private long[] firsts = new long[4];
    private int nChunks;
    private long count;
    private long totalLength;

    /** Number of ranges. */
    long size() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Sum of the lengths of all ranges. */
    long totalLength() {
        return totalLength;
    }

    /** The chunk that would hold a range starting at {@code x}: the last chunk whose first start is ≤ x. */
    private int chunkFor(long x) {
        int lo = 0;
        int hi = nChunks - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (firsts[mid] <= x) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** In chunk {@code c}, the index of the first range whose end is greater than {@code x}. */
    private static int firstEndAfter(Chunk c, long x) {
        int lo = 0;
        int hi = c.n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (c.ends[mid] > x) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * The first range overlapping {@code [start, end)}, as {@code long[]{start, end}}, or null. The
     * fast path of every read: no allocation when nothing overlaps.
     */
    long[] firstOverlap(long start, long end) {
        if (count == 0 || end <= start) {
            return null;
        }
        int c = chunkFor(start);
        Chunk ch = chunks[c];
        int i = firstEndAfter(ch, start);
        if (i == ch.n) {
            if (c + 1 >= nChunks) {
                return null;
            }
            ch = chunks[c + 1];
            i = 0;
        }
        if (ch.starts[i] < end) {
            return new long[] {ch.starts[i], ch.ends[i]};
        }
        return null;
    }

    /** Whether any range overlaps {@code [start, end)}. */
    boolean overlaps(long start, long end) {
        if (count == 0 || end <= start) {
            return false;
        }
        int c = chunkFor(start);
        Chunk ch = chunks[c];
        int i = firstEndAfter(ch, start);
        if (i == ch.n) {
            if (c + 1 >= nChunks) {
                return false;
            }
            ch = chunks[c + 1];
            i = 0;
        }
        return ch.starts[i] < end;
    }

    /** Whether {@code [start, end)} lies wholly inside one range. */
    boolean covers(long start, long end) {
        long[] r = firstOverlap(start, end);
        return r != null && r[0] <= start && r[1] >= end;
    }

    /** Adds {@code [start, end)}, merging with overlapping and adjacent ranges. */
    void add(long start, long end) {
        if (end <= start) {
            return;
        }
        long newStart = start;
        long newEnd = end;
        // Ranges touching [start, end] (adjacent included) are the ones with end >= start and start <= end.
        int[] first = locateFirstEndAtLeast(start);
        int[] last = locateLastStartAtMost(end);
        if (first != null && last != null && compare(first, last) <= 0) {
            newStart = Math.min(newStart, chunks[first[0]].starts[first[1]]);
            newEnd = Math.max(newEnd, chunks[last[0]].ends[last[1]]);
            deleteBetween(first, last);
        }
        insertSorted(newStart, newEnd);
    }

    /** Removes {@code [start, end)}, splitting any range it cuts. */
    void remove(long start, long end) {
        if (end <= start || count == 0) {
            return;
        }
        int[] first = locateFirstEndAtLeast(start + 1);
        int[] last = locateLastStartAtMost(end - 1);
        if (first == null || last == null || compare(first, last) > 0) {
            return;
        }
        long headStart = chunks[first[0]].starts[first[1]];
        long tailEnd = chunks[last[0]].ends[last[1]];
        deleteBetween(first, last);
        if (headStart < start) {
            insertSorted(headStart, start);
        }
        if (tailEnd > end) {
            insertSorted(end, tailEnd);
        }
    }

    /** Removes everything. */
    void clear() {
        chunks = new Chunk[4];
        firsts = new long[4];
        nChunks = 0;
        count = 0;
        totalLength = 0;
    }

    /** Calls {@code action(start, end)} for each range in ascending order. */
    void forEach(BiConsumer<Long, Long> action) {
        for (int c = 0; c < nChunks; c++) {
            Chunk ch = chunks[c];
            for (int i = 0; i < ch.n; i++) {
                action.accept(ch.starts[i], ch.ends[i]);
            }
        }
    }

    /** The ranges overlapping {@code [start, end)}, clipped to it, ascending. */
    List<long[]> within(long start, long end) {
        List<long[]> out = new ArrayList<>();
        if (count == 0 || end <= start) {
            return out;
        }
        int c = chunkFor(start);
        int i = firstEndAfter(chunks[c], start);
        for (; c < nChunks; c++, i = 0) {
            Chunk ch = chunks[c];
            for (; i < ch.n; i++) {
                if (ch.starts[i] >= end) {
                    return out;
                }
                out.add(new long[] {Math.max(ch.starts[i], start), Math.min(ch.ends[i], end)});
            }
        }
        return out;
    }

    /** All ranges, ascending, as {start, end} pairs. */
    List<long[]> toList() {
        return within(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    // ---- positions are {chunk, index} pairs ----

    private static int compare(int[] a, int[] b) {
        return a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]);
    }

    /** Position of the first range with end ≥ x, or null. */
    private int[] locateFirstEndAtLeast(long x) {
        if (count == 0) {
            return null;
        }
        int c = chunkFor(x);
        Chunk ch = chunks[c];
        int i = firstEndAfter(ch, x - 1);
        if (i == ch.n) {
            if (c + 1 >= nChunks) {
                return null;
            }
            return new int[] {c + 1, 0};
        }
        return new int[] {c, i};
    }

    /** Position of the last range with start ≤ x, or null. */
    private int[] locateLastStartAtMost(long x) {
        if (count == 0 || firsts[0] > x) {
            return null;
        }
        int c = chunkFor(x);
        Chunk ch = chunks[c];
        int lo = 0;
        int hi = ch.n - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ch.starts[mid] <= x) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return new int[] {c, found};
    }

    /** Deletes the ranges from position {@code a} to {@code b} inclusive. */
    private void deleteBetween(int[] a, int[] b) {
        if (a[0] == b[0]) {
            Chunk ch = chunks[a[0]];
            for (int i = a[1]; i <= b[1]; i++) {
                count--;
                totalLength -= ch.ends[i] - ch.starts[i];
            }
            int tail = ch.n - b[1] - 1;
            System.arraycopy(ch.starts, b[1] + 1, ch.starts, a[1], tail);
            System.arraycopy(ch.ends, b[1] + 1, ch.ends, a[1], tail);
            ch.n -= b[1] - a[1] + 1;
            afterChange(a[0]);
            return;
        }
        Chunk head = chunks[a[0]];
        for (int i = a[1]; i < head.n; i++) {
            count--;
            totalLength -= head.ends[i] - head.starts[i];
        }
        head.n = a[1];
        for (int c = a[0] + 1; c < b[0]; c++) {
            Chunk mid = chunks[c];
            for (int i = 0; i < mid.n; i++) {
                count--;
                totalLength -= mid.ends[i] - mid.starts[i];
            }
            mid.n = 0;
        }
        Chunk tailChunk = chunks[b[0]];
        for (int i = 0; i <= b[1]; i++) {
            count--;
            totalLength -= tailChunk.ends[i] - tailChunk.starts[i];
        }
        int rest = tailChunk.n - b[1] - 1;
        System.arraycopy(tailChunk.starts, b[1] + 1, tailChunk.starts, 0, rest);
        System.arraycopy(tailChunk.ends, b[1] + 1, tailChunk.ends, 0, rest);
        tailChunk.n = rest;
        dropEmptyChunks(a[0], b[0]);
    }

    private void afterChange(int c) {
        if (chunks[c].n == 0) {
            dropEmptyChunks(c, c);
        } else {
            firsts[c] = chunks[c].starts[0];
        }
    }

    /** Removes empty chunks among {@code [from, to]} and refreshes their firsts. */
    private void dropEmptyChunks(int from, int to) {
        int w = from;
        for (int c = from; c <= to; c++) {
            if (chunks[c].n > 0) {
                chunks[w] = chunks[c];
                firsts[w] = chunks[c].starts[0];
                w++;
            }
        }
        int removed = to + 1 - w;
        if (removed > 0) {
            System.arraycopy(chunks, to + 1, chunks, w, nChunks - to - 1);
            System.arraycopy(firsts, to + 1, firsts, w, nChunks - to - 1);
            nChunks -= removed;
            for (int c = nChunks; c < nChunks + removed; c++) {
                chunks[c] = null;
            }
        }
    }

    /** Inserts a range that overlaps and touches nothing present. */
    private void insertSorted(long start, long end) {
        count++;
        totalLength += end - start;
        if (nChunks == 0) {
            Chunk ch = new Chunk();
            ch.starts[0] = start;
            ch.ends[0] = end;
            ch.n = 1;
            insertChunk(0, ch);
            return;
        }
        int c = chunkFor(start);
        Chunk ch = chunks[c];
        int i = firstEndAfter(ch, start);
        if (ch.n == CHUNK) {
            Chunk right = new Chunk();
            int half = CHUNK / 2;
            System.arraycopy(ch.starts, half, right.starts, 0, CHUNK - half);
            System.arraycopy(ch.ends, half, right.ends, 0, CHUNK - half);
            right.n = CHUNK - half;
            ch.n = half;
            insertChunk(c + 1, right);
            if (i > half) {
                ch = right;
                c = c + 1;
                i -= half;
            }
        }
        System.arraycopy(ch.starts, i, ch.starts, i + 1, ch.n - i);
        System.arraycopy(ch.ends, i, ch.ends, i + 1, ch.n - i);
        ch.starts[i] = start;
        ch.ends[i] = end;
        ch.n++;
        firsts[c] = ch.starts[0];
    }

    private void insertChunk(int at, Chunk ch) {
        if (nChunks == chunks.length) {
            chunks = java.util.Arrays.copyOf(chunks, nChunks * 2);
            firsts = java.util.Arrays.copyOf(firsts, nChunks * 2);
        }
        System.arraycopy(chunks, at, chunks, at + 1, nChunks - at);
        System.arraycopy(firsts, at, firsts, at + 1, nChunks - at);
        chunks[at] = ch;
        firsts[at] = ch.starts[0];
        nChunks++;
    }
}
