package dev.pmemfs.fs;

/**
 * A fixed-size bit array with word-level scans, the in-memory form of the on-media allocation
 * bitmaps. Not thread-safe; its owner locks.
 */
final class Bitmap {
    private final long[] words;
    private final long nbits;

    Bitmap(long nbits) {
        this.nbits = nbits;
        this.words = new long[(int) ((nbits + 63) >>> 6)];
    }

    long size() {
        return nbits;
    }

    boolean get(long i) {
        return (words[(int) (i >>> 6)] & (1L << i)) != 0;
    }

    void set(long i, boolean v) {
        if (v) {
            words[(int) (i >>> 6)] |= 1L << i;
        } else {
            words[(int) (i >>> 6)] &= ~(1L << i);
        }
    }

    void setRange(long from, long to, boolean v) {
        for (long i = from; i < to; i++) {
            set(i, v);
        }
    }

    long word(int w) {
        return words[w];
    }

    int wordCount() {
        return words.length;
    }

    long cardinality() {
        long n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /** First clear bit at or after {@code from}, or -1. */
    long nextClear(long from) {
        if (from >= nbits) {
            return -1;
        }
        int w = (int) (from >>> 6);
        long word = ~words[w] & (-1L << from);
        while (true) {
            if (word != 0) {
                long i = ((long) w << 6) + Long.numberOfTrailingZeros(word);
                return i < nbits ? i : -1;
            }
            if (++w == words.length) {
                return -1;
            }
            word = ~words[w];
        }
    }

    /** First set bit at or after {@code from}, or -1. */
    long nextSet(long from) {
        if (from >= nbits) {
            return -1;
        }
        int w = (int) (from >>> 6);
        long word = words[w] & (-1L << from);
        while (true) {
            if (word != 0) {
                long i = ((long) w << 6) + Long.numberOfTrailingZeros(word);
                return i < nbits ? i : -1;
            }
            if (++w == words.length) {
                return -1;
            }
            word = words[w];
        }
    }

    /** Copies the bits {@code [from, from + nbitsToCopy)} into {@code img} at byte offset {@code off}. */
    void store(long from, long count, byte[] img, int off) {
        long i0 = 0;
        if ((from & 63) == 0) {
            // Word-aligned (bitmap blocks hold 32640 = 510 * 64 bits): copy whole little-endian words.
            var b = MediaStruct.of(img);
            int w0 = (int) (from >>> 6);
            for (; i0 + 64 <= count && w0 + (int) (i0 >>> 6) < words.length; i0 += 64) {
                b.set(MediaStruct.U64, off + (i0 >>> 3), words[w0 + (int) (i0 >>> 6)]);
            }
        }
        for (long i = i0; i < count; i += 8) {
            int v = 0;
            for (int k = 0; k < 8 && i + k < count && from + i + k < nbits; k++) {
                if (get(from + i + k)) {
                    v |= 1 << k;
                }
            }
            img[off + (int) (i >>> 3)] = (byte) v;
        }
    }

    /** Loads bits {@code [from, from + count)} from {@code img} at byte offset {@code off}. */
    void load(long from, long count, byte[] img, int off) {
        long i0 = 0;
        if ((from & 63) == 0) {
            var b = MediaStruct.of(img);
            int w0 = (int) (from >>> 6);
            for (; i0 + 64 <= count && from + i0 + 64 <= nbits; i0 += 64) {
                words[w0 + (int) (i0 >>> 6)] = b.get(MediaStruct.U64, off + (i0 >>> 3));
            }
        }
        for (long i = i0; i < count && from + i < nbits; i++) {
            set(from + i, (img[off + (int) (i >>> 3)] & (1 << (i & 7))) != 0);
        }
    }
}
