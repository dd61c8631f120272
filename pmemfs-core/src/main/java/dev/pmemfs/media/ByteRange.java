package dev.pmemfs.media;

/**
 * A half-open byte range {@code [offset, offset + length)}. Conversions live here, like Linux's
 * {@code to_sect} and {@code PFN_UP}.
 */
public record ByteRange(long offset, long length) {
    public ByteRange {
        if (offset < 0 || length < 0 || offset + length < offset) {
            throw new IllegalArgumentException("bad range offset=" + offset + " length=" + length);
        }
    }

    public long end() {
        return offset + length;
    }

    /** The smallest range aligned to {@code unit} (a power of two) that covers this one. */
    public ByteRange alignOutward(long unit) {
        long start = offset & -unit;
        long stop = (end() + unit - 1) & -unit;
        return new ByteRange(start, stop - start);
    }

    public boolean overlaps(ByteRange o) {
        return offset < o.end() && o.offset < end();
    }
}
