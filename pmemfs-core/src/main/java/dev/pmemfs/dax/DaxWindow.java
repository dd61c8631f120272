package dev.pmemfs.dax;

import dev.pmemfs.media.CopyResult;

/**
 * The "kaddr" that {@code dax_direct_access} hands out: a window of whole pages of the device,
 * starting at {@link #pgoff()}, through which data is copied with machine-check-safe copies.
 *
 * <p>Offsets given to the methods are byte offsets from the start of the window and must stay
 * inside {@code [0, nrPages * PAGE_SIZE)}; a window never exposes a raw {@code MemorySegment}.
 */
public interface DaxWindow {
    /** First page of the window (dax device page offset). */
    long pgoff();

    /** Number of pages the window covers (what direct access returned). */
    long nrPages();

    /**
     * {@code dax_copy_to_iter} with {@code copy_mc}: copies until done or until the first poisoned
     * unit. Consuming latent poison makes it known and notifies the holder before this returns.
     */
    CopyResult read(long offset, byte[] dst, int dstOff, int len);

    /**
     * {@code dax_copy_from_iter} ({@code _copy_from_iter_flushcache}): stores and flushes. Stores do
     * not clear poison; data written over poisoned units is lost.
     */
    void write(long offset, byte[] src, int srcOff, int len);

    /** {@code dax_memzero}: stores zeros and flushes; clears nothing. */
    void zero(long offset, long len);

    /** An 8-byte load for mmap access; throws {@link DaxPoisonException} when the word is poisoned. */
    long loadLong(long offset) throws DaxPoisonException;

    /** An 8-byte store (not flushed) for mmap access; the store itself never faults. */
    void storeLong(long offset, long value);

    /** Flush a range of earlier {@link #storeLong} stores towards the persistence domain (clwb). */
    void flush(long offset, long len);
}
