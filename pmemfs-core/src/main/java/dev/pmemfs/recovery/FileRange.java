package dev.pmemfs.recovery;

/** A byte range of a file, {@code [offset, offset + length)}. */
public record FileRange(long offset, long length) {
    public FileRange {
        if (offset < 0 || length <= 0 || offset + length < offset) {
            throw new IllegalArgumentException("bad file range offset=" + offset + " length=" + length);
        }
    }

    public long end() {
        return offset + length;
    }

    /** This range cut to {@code [0, size)}, or null when nothing of it lies below {@code size}. */
    public FileRange clipTo(long size) {
        long e = Math.min(end(), size);
        return e <= offset ? null : new FileRange(offset, e - offset);
    }

    @Override
    public String toString() {
        return "[" + offset + ", +" + length + ")";
    }
}
