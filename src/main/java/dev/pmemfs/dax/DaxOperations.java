package dev.pmemfs.dax;

import dev.pmemfs.errno.ErrnoException;

/**
 * A driver's {@code struct dax_operations} (include/linux/dax.h; reference §1.1): what the dax core
 * ({@link DaxDevice}) calls after making its own checks. Page offsets are relative to the device's
 * data area; pages are {@link DaxDevice#PAGE_SIZE} bytes.
 *
 * <p>The C {@code direct_access} returns a page count and hands out {@code kaddr} through an
 * out-parameter; here the count is {@link #directAccess}'s result and the address is {@link #map}.
 * {@link #zeroinitRange} is the 2021 RFC's {@code dax_zeroinit_range} (never merged in Linux).
 */
public interface DaxOperations {
    /**
     * {@code direct_access}: how many pages from {@code pgoff} can be accessed; in ACCESS mode
     * EHWPOISON when any known bad sector lies in the requested range; in RECOVERY_WRITE mode the
     * recovery stride. May return more than {@code nrPages} (the core clamps) or 0 (the core says ERANGE).
     */
    long directAccess(long pgoff, long nrPages, DaxAccessMode mode) throws ErrnoException;

    /** The window ("kaddr") over {@code nrPages} pages from {@code pgoff}. */
    DaxWindow map(long pgoff, long nrPages);

    /** {@code zero_page_range}: zero {@code nrPages} pages through the driver's write path (clears poison). */
    void zeroPageRange(long pgoff, long nrPages) throws ErrnoException;

    /** {@code recovery_write}: bytes written; 0 when the write cannot recover the poison. */
    long recoveryWrite(DaxWindow window, long offset, byte[] src, int srcOff, int len) throws ErrnoException;

    /** The RFC's {@code zeroinit_range}: zeros and clears media errors of whole pages in place. */
    void zeroinitRange(long pgoff, long nrPages) throws ErrnoException;

    /** {@code pmem_wmb}. */
    void fence();
}
