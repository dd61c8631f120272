package dev.pmemfs.dax;

import dev.pmemfs.errno.ErrnoException;

/**
 * A dax device: the core checks of drivers/dax/super.c in front of a driver's {@code dax_operations}
 * (reference §1.1, §1.2). Page offsets are relative to the device's data area (for an fsdax namespace
 * that is after the info-block reservation), pages are 4096 bytes.
 *
 * <p>API CONTRACT (implemented by the device layer; the filesystem codes against it):
 * <ul>
 *   <li>{@link #directAccess}: {@code nrPages < 0} → EINVAL; dead device → ENXIO; ACCESS mode with any
 *       known bad sector in the whole range → EHWPOISON; RECOVERY_WRITE → the recovery stride (pages
 *       before the first bad page, rounded up to include it when it is not page aligned; 1 when the
 *       first page is bad); otherwise min(available, nrPages). Never returns 0 pages.</li>
 *   <li>{@link #zeroPageRange}: {@code nrPages != 1} → EIO; a full-page zero through the block write
 *       path, which clears poison (pmem_dax_zero_page_range).</li>
 *   <li>{@link #recoveryWrite}: bytes written; 0 when the range is poisoned and not page aligned or the
 *       clear was short (nothing written, nothing cleared). Badblock records are dropped after the data
 *       lands.</li>
 *   <li>{@link #zeroinitRange}: the 2021 RFC's {@code dax_zeroinit_range}: reset whole pages to zeros
 *       and clear their media errors in place; EIO if the firmware clears less than asked.</li>
 * </ul>
 */
public interface DaxDevice {
    int PAGE_SHIFT = 12;
    int PAGE_SIZE = 1 << PAGE_SHIFT;

    /** Name, as Linux names it ("pmem0" for the dax device of an fsdax namespace, "dax0.0" for devdax). */
    String name();

    /** Number of pages the device exposes. */
    long nrPages();

    DaxWindow directAccess(long pgoff, long nrPages, DaxAccessMode mode) throws ErrnoException;

    void zeroPageRange(long pgoff, long nrPages) throws ErrnoException;

    /**
     * @param window a window from {@code directAccess(..., RECOVERY_WRITE)}
     * @param offset byte offset inside the window where the write starts
     */
    long recoveryWrite(DaxWindow window, long offset, byte[] src, int srcOff, int len) throws ErrnoException;

    void zeroinitRange(long pgoff, long nrPages) throws ErrnoException;

    /** Orders earlier flushed stores before later ones ({@code pmem_wmb}/sfence). */
    void fence();

    /**
     * {@code memory_failure()} on one page of the device, as MADV_HWPOISON triggers it: the page becomes
     * known-poisoned (software poison, like a sysfs badblocks store) and the holder is notified with
     * {@code mfFlags}. The caller then delivers SIGBUS to the consuming task (reference §7.3).
     */
    void memoryFailure(long pgoff, int mfFlags) throws ErrnoException;

    /** Registers the holder told of consumed poison; one holder at a time, null to drop it. */
    void setHolder(DaxHolder holder);

    /**
     * Page-granular list of known bad byte ranges of the data area, as the holder would learn them
     * from badblocks; used by the filesystem to answer "which files are hit" (offsets in bytes).
     */
    java.util.List<dev.pmemfs.media.ByteRange> knownBadRanges();
}
