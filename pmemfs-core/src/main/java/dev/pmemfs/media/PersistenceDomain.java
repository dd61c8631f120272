package dev.pmemfs.media;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The way every store reaches the namespace image: stores land in the (emulated) CPU cache, a
 * {@link #flush} writes a range back ({@code clwb}), a {@link #fence} orders and completes the flushed
 * write-backs ({@code sfence}, {@code pmem_wmb}); only flushed-and-fenced stores are sure to survive a
 * power cut, and any unfenced 8-byte store may or may not.
 *
 * <p>Models the ADR persistence domain of an NVDIMM (arch_wb_cache_pmem, memcpy_flushcache,
 * nvdimm_flush). Offsets are byte offsets in the image file. Two implementations pass one contract:
 * {@link #mapped()} for production (stores go straight to the shared mapping; {@link #sync()} forces it
 * to the file) and {@link TrackingPersistence} for crash tests. All of {@link Namespace}'s writes
 * (metadata and data) go through one of these, so a tracking domain sees every store.
 */
public abstract sealed class PersistenceDomain permits MappedPersistence, TrackingPersistence {
    private MemorySegment mapping;
    private Path image;

    PersistenceDomain() {}

    /** The production domain: the mapping itself, forced to the file on {@link #sync()}. */
    public static PersistenceDomain mapped() {
        return new MappedPersistence();
    }

    /** Binds this domain to the mapping of {@code image}; a domain serves one namespace once. */
    void attach(Path image, MemorySegment mapping) {
        if (this.mapping != null) {
            throw new IllegalStateException("persistence domain already attached to " + this.image);
        }
        this.image = Objects.requireNonNull(image);
        this.mapping = Objects.requireNonNull(mapping);
        attached();
    }

    /** Called once after {@link #attach}. */
    void attached() {}

    final MemorySegment mapping() {
        if (mapping == null) {
            throw new IllegalStateException("persistence domain not attached to a namespace");
        }
        return mapping;
    }

    final Path image() {
        return image;
    }

    /** Stores {@code len} bytes of {@code src} at {@code offset} (not yet flushed). */
    public abstract void storeBytes(long offset, byte[] src, int srcOff, int len);

    /** Stores one 8-byte word (aligned or not) at {@code offset} (not yet flushed). */
    public abstract void storeLong(long offset, long value);

    /** Stores {@code len} copies of {@code value} at {@code offset} (not yet flushed). */
    public abstract void fill(long offset, long len, byte value);

    /** Writes back the cache lines of {@code [offset, offset + len)} ({@code clwb}); not ordered until a fence. */
    public abstract void flush(long offset, long len);

    /** Completes every earlier flush ({@code sfence}): the flushed stores are now durable. */
    public abstract void fence();

    /** Forces the mapping to the image file (msync); what unmount/fsync rely on in production. */
    public abstract void sync();
}
