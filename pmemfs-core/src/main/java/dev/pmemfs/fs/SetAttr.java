package dev.pmemfs.fs;

/**
 * An attribute change; null fields stay as they are. Time fields in nanoseconds since the epoch, or
 * {@link #NOW} for the filesystem's current time (utimensat's UTIME_NOW).
 */
public record SetAttr(Integer mode, Integer uid, Integer gid, Integer flags, Long mtimeNs, Long atimeNs) {
    /** A time field meaning "the current time" (the clock is the filesystem's). */
    public static final long NOW = Long.MIN_VALUE;

    public static SetAttr times(Long atimeNs, Long mtimeNs) {
        return new SetAttr(null, null, null, null, mtimeNs, atimeNs);
    }

    public static SetAttr mode(int mode) {
        return new SetAttr(mode, null, null, null, null, null);
    }

    public static SetAttr owner(Integer uid, Integer gid) {
        return new SetAttr(null, uid, gid, null, null, null);
    }

    public static SetAttr flags(int flags) {
        return new SetAttr(null, null, null, flags, null, null);
    }
}
