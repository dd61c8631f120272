package dev.pmemfs.dax;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.BadRange;
import java.util.List;

/**
 * A driver's {@code struct dax_operations} (include/linux/dax.h; reference §1.1): what the dax core
 * ({@link DaxCore}) calls after making its own checks, and the only thing it knows of a driver. Page
 * offsets are relative to the device's data area; pages are {@link DaxDevice#PAGE_SIZE} bytes.
 *
 * <p>The C {@code direct_access} returns a page count and hands out {@code kaddr} through an
 * out-parameter; here the count is {@link #directAccess}'s result and the address is {@link #map}.
 * {@link #zeroinitRange} is the 2021 RFC's {@code dax_zeroinit_range} (never merged in Linux).
 * {@link #nrPages}, {@link #badblocks} and {@link #markPoisoned} are what the C core reads from the
 * {@code dax_device} and the driver's {@code badblocks} (its size, {@code bb}, and the badblocks_set
 * that memory_failure's path leaves behind). The rules every driver keeps are stated by the test
 * suite {@code DaxOperationsContract}.
 */
public interface DaxOperations {
    /** Number of pages of the data area (fixed for the life of the device, at least 1). */
    long nrPages();

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

    /** The driver's known bad sectors ({@code bb}), in 512-byte sectors of the data area, ascending, merged. */
    List<BadRange> badblocks();

    /**
     * The driver learns that {@code nrPages} pages from {@code pgoff} are poisoned (software poison:
     * {@code badblocks_set}, as the memory-failure path leaves it); no media poison is made.
     */
    void markPoisoned(long pgoff, long nrPages) throws ErrnoException;
}
