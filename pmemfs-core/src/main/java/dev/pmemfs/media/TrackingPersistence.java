package dev.pmemfs.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * A persistence domain for crash tests: it performs every store on the mapping like production, and
 * also records it as 8-byte words with the fence epoch it was issued in and the fence that made it
 * durable (a store becomes durable at the first fence after a flush covering it). From that record it
 * can build the image as it would be after a power cut between fence {@code K} and fence {@code K+1}:
 * the image at attach time, plus every store durable by fence {@code K}, plus any chosen subset of the
 * stores issued by then but not yet durable (unflushed or flushed-unfenced), applied in program order.
 *
 * <p>Models the x86 ADR rules (clwb + sfence; 8-byte stores are atomic, nothing else is). How a test
 * uses it:
 * <pre>{@code
 * TrackingPersistence tracking = new TrackingPersistence();
 * try (Namespace ns = Namespace.create(image, NamespaceConfig.of(16 << 20), tracking)) {
 *     ... workload ...
 * }
 * for (int k = 0; k <= tracking.fenceCount(); k++) {
 *     Path crashed = tracking.crashImage(k, TrackingPersistence.DURABLE_ONLY, dir.resolve("cut" + k));
 *     try (Namespace again = Namespace.open(crashed)) { ... check ... }
 * }
 * }</pre>
 * The image as attached is copied to {@code <image>.tracking-base} (keep test images small).
 */
public final class TrackingPersistence extends PersistenceDomain {
    /** Keep no store that was not durable: the image exactly as fence {@code K} left it. */
    public static final IntPredicate DURABLE_ONLY = i -> false;
    /** Keep every store issued before fence {@code K+1}: as if the cut came just before that fence. */
    public static final IntPredicate ALL_ISSUED = i -> true;

    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int NOT_DURABLE = Integer.MAX_VALUE;

    private Path base;
    private long imageSize;

    // One entry per 8-byte word store, in program order. Guarded by this.
    private long[] words = new long[1024];
    private long[] values = new long[1024];
    private int[] issuedEpoch = new int[1024];
    private int[] durableAt = new int[1024];
    private int n;
    private int fences;
    /** Stored, not yet flushed: word address → entries, so a flush finds its words in O(log n + k). */
    private final java.util.TreeMap<Long, int[]> unflushed = new java.util.TreeMap<>();
    private int[] flushed = new int[256];
    private int nFlushed;

    public TrackingPersistence() {}

    @Override
    synchronized void attached() {
        try {
            base = image().resolveSibling(image().getFileName() + ".tracking-base");
            Files.copy(image(), base, StandardCopyOption.REPLACE_EXISTING);
            imageSize = Files.size(image());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + image() + " as the base of a tracking domain", e);
        }
    }

    @Override
    public synchronized void storeBytes(long offset, byte[] src, int srcOff, int len) {
        MemorySegment.copy(src, srcOff, mapping(), ValueLayout.JAVA_BYTE, offset, len);
        record(offset, len);
    }

    @Override
    public synchronized void storeLong(long offset, long value) {
        mapping().set(LONG_LE, offset, value);
        record(offset, 8);
    }

    @Override
    public synchronized void fill(long offset, long len, byte value) {
        mapping().asSlice(offset, len).fill(value);
        record(offset, len);
    }

    /** Records the words covering {@code [offset, offset+len)} with their values after the store. */
    private void record(long offset, long len) {
        if (len <= 0) {
            return;
        }
        long first = offset & ~7L;
        long end = Math.min((offset + len + 7) & ~7L, imageSize & ~7L);
        for (long w = first; w < end; w += 8) {
            ensureEntries();
            words[n] = w;
            values[n] = mapping().get(LONG_LE, w);
            issuedEpoch[n] = fences;
            durableAt[n] = NOT_DURABLE;
            int entry = n;
            // Entries of one word, in program order: [count, e1, e2, ...].
            unflushed.merge(w, new int[] {1, entry}, (old, one) -> {
                int[] grown = old[0] + 1 < old.length ? old : Arrays.copyOf(old, old.length * 2);
                grown[++grown[0]] = entry;
                return grown;
            });
            n++;
        }
    }

    private void ensureEntries() {
        if (n == words.length) {
            int cap = n * 2;
            words = Arrays.copyOf(words, cap);
            values = Arrays.copyOf(values, cap);
            issuedEpoch = Arrays.copyOf(issuedEpoch, cap);
            durableAt = Arrays.copyOf(durableAt, cap);
        }
    }

    @Override
    public synchronized void flush(long offset, long len) {
        long first = offset & ~7L;
        long end = offset + len;
        var range = unflushed.subMap(first, true, end, false);
        for (int[] list : range.values()) {
            for (int i = 1; i <= list[0]; i++) {
                if (nFlushed == flushed.length) {
                    flushed = Arrays.copyOf(flushed, nFlushed * 2);
                }
                flushed[nFlushed++] = list[i];
            }
        }
        range.clear();
    }

    @Override
    public synchronized void fence() {
        fences++;
        for (int i = 0; i < nFlushed; i++) {
            durableAt[flushed[i]] = fences;
        }
        nFlushed = 0;
    }

    @Override
    public void sync() {
        // A crash image is built from the record; the live file needs no forcing in tests.
    }

    /** Fences completed so far; cut points are {@code 0..fenceCount()}. */
    public synchronized int fenceCount() {
        return fences;
    }

    /** Word stores recorded so far. */
    public synchronized int storeCount() {
        return n;
    }

    /** How many stores were issued by fence {@code k+1} but not durable at fence {@code k}: the choosable ones. */
    public synchronized int volatileStores(int k) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (issuedEpoch[i] <= k && durableAt[i] > k) {
                count++;
            }
        }
        return count;
    }

    /**
     * Writes to {@code out} the image after a power cut between fence {@code k} and fence {@code k+1}.
     *
     * @param keep asked once per non-durable store issued by then (numbered 0.. in program order):
     *             whether that store reached the media anyway
     */
    public synchronized Path crashImage(int k, IntPredicate keep, Path out) {
        if (k < 0 || k > fences) {
            throw new IllegalArgumentException("cut point " + k + " outside 0.." + fences);
        }
        try {
            Files.copy(base, out, StandardCopyOption.REPLACE_EXISTING);
            try (Arena arena = Arena.ofConfined();
                    FileChannel ch = FileChannel.open(out, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MemorySegment seg = ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size(), arena);
                int ordinal = 0;
                for (int i = 0; i < n; i++) {
                    if (issuedEpoch[i] > k) {
                        continue;
                    }
                    boolean apply = durableAt[i] <= k || keep.test(ordinal++);
                    if (apply) {
                        seg.set(LONG_LE, words[i], values[i]);
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write crash image " + out, e);
        }
    }
}
