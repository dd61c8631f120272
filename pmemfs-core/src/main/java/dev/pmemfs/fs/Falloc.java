package dev.pmemfs.fs;

/** fallocate(2) mode bits, values of include/uapi/linux/falloc.h (reference §4.1). */
public final class Falloc {
    public static final int FALLOC_FL_ALLOCATE_RANGE = 0x00;
    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    public static final int FALLOC_FL_NO_HIDE_STALE = 0x04;
    public static final int FALLOC_FL_COLLAPSE_RANGE = 0x08;
    public static final int FALLOC_FL_ZERO_RANGE = 0x10;
    public static final int FALLOC_FL_INSERT_RANGE = 0x20;
    public static final int FALLOC_FL_UNSHARE_RANGE = 0x40;
    public static final int FALLOC_FL_WRITE_ZEROES = 0x80;
    /**
     * The 2021 RFC's mode (it used 0x80, since taken by WRITE_ZEROES): reset the written blocks of the
     * range to zeros in place and clear their media errors. Only with KEEP_SIZE.
     */
    public static final int FALLOC_FL_ZEROINIT_RANGE = 0x100;

    /** The exclusive modes (everything but KEEP_SIZE), as the kernel's FALLOC_FL_MODE_MASK plus ZEROINIT. */
    public static final int FALLOC_FL_MODE_MASK = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE
            | FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE
            | FALLOC_FL_WRITE_ZEROES | FALLOC_FL_ZEROINIT_RANGE;

    private Falloc() {}
}
