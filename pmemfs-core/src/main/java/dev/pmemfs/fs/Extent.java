package dev.pmemfs.fs;

/**
 * One mapping of an extent map: {@code count} file blocks from {@code fileBlock} live at device block
 * {@code devBlock}; {@code unwritten} extents are allocated but read as zeros (XFS's XFS_EXT_UNWRITTEN).
 */
record Extent(long fileBlock, long devBlock, long count, boolean unwritten) {
    /** Longest extent: 128 MiB, so one extent touches at most two bitmap blocks and frees stay bounded. */
    static final long MAX_COUNT = 32768;

    Extent {
        if (fileBlock < 0 || devBlock < 0 || count <= 0 || count > MAX_COUNT) {
            throw new IllegalArgumentException("bad extent " + fileBlock + "+" + count + " @" + devBlock);
        }
    }

    long end() {
        return fileBlock + count;
    }

    long devEnd() {
        return devBlock + count;
    }

    boolean contains(long fb) {
        return fb >= fileBlock && fb < end();
    }

    /** The part of this extent inside file blocks {@code [from, to)}; null when they do not meet. */
    Extent clip(long from, long to) {
        long s = Math.max(from, fileBlock);
        long e = Math.min(to, end());
        if (s >= e) {
            return null;
        }
        return new Extent(s, devBlock + (s - fileBlock), e - s, unwritten);
    }

    Extent withState(boolean unwrittenState) {
        return new Extent(fileBlock, devBlock, count, unwrittenState);
    }

    Extent shifted(long delta) {
        return new Extent(fileBlock + delta, devBlock, count, unwritten);
    }

    /** Whether {@code next} continues this extent in the file and on the device, in the same state. */
    boolean mergeableWith(Extent next) {
        return end() == next.fileBlock && devEnd() == next.devBlock && unwritten == next.unwritten
                && count + next.count <= MAX_COUNT;
    }
}
