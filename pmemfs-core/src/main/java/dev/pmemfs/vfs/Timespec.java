package dev.pmemfs.vfs;

/**
 * {@code struct timespec} as utimensat(2) takes it: seconds and nanoseconds, or one of the special
 * nanosecond values {@link #UTIME_NOW} and {@link #UTIME_OMIT}.
 */
public record Timespec(long sec, long nsec) {
    /** include/uapi/linux/stat.h. */
    public static final long UTIME_NOW = (1L << 30) - 1;
    public static final long UTIME_OMIT = (1L << 30) - 2;

    public static final Timespec NOW = new Timespec(0, UTIME_NOW);
    public static final Timespec OMIT = new Timespec(0, UTIME_OMIT);

    public static Timespec ofNanos(long ns) {
        return new Timespec(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    }

    /** nsec_valid (fs/utimes.c): 0..999999999 or one of the two special values. */
    boolean valid() {
        return (nsec >= 0 && nsec <= 999_999_999L) || nsec == UTIME_NOW || nsec == UTIME_OMIT;
    }

    /** Nanoseconds since the epoch, saturating. */
    long toNanos() {
        try {
            return Math.addExact(Math.multiplyExact(sec, 1_000_000_000L), nsec);
        } catch (ArithmeticException e) {
            return sec < 0 ? Long.MIN_VALUE + 1 : Long.MAX_VALUE;
        }
    }
}
