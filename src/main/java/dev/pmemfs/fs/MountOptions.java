package dev.pmemfs.fs;

/**
 * The behaviour switches a mount runs with, so one image can act as different kernels
 * (see issue "Poison recovery"): recovery write (Linux 5.19+), what ZERO_RANGE does on DAX files, and
 * whether the explicit FALLOC_FL_ZEROINIT_RANGE mode exists.
 */
public record MountOptions(boolean recoveryWrite, ZeroRange zeroRange, boolean zeroinit) {
    /** What FALLOC_FL_ZERO_RANGE does to written blocks of a DAX file. */
    public enum ZeroRange {
        /** Linux: punch and preallocate unwritten extents; media untouched, poison stays. */
        UNWRITTEN,
        /** The Aug 2021 RFC: reset the blocks to zeros in place through dax_zeroinit_range. */
        ZEROINIT
    }

    /** Everything on: the pmemfs profile and the default. */
    public static final MountOptions DEFAULTS = new MountOptions(true, ZeroRange.ZEROINIT, true);
}
