package dev.pmemfs.media;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The production persistence domain: stores go straight to the shared file mapping, flush and fence
 * cost nothing (the page cache is the emulated pmem), and {@link #sync()} forces the mapping to disk.
 *
 * <p>Models memcpy_flushcache on an ADR platform, where a completed store is already as durable as
 * the emulation can make it without msync.
 */
final class MappedPersistence extends PersistenceDomain {
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Whether anything was stored since the last sync: msync of a clean mapping is skipped. */
    private volatile boolean dirty;

    @Override
    public void storeBytes(long offset, byte[] src, int srcOff, int len) {
        dirty = true;
        MemorySegment.copy(src, srcOff, mapping(), ValueLayout.JAVA_BYTE, offset, len);
    }

    @Override
    public void storeLong(long offset, long value) {
        dirty = true;
        mapping().set(LONG_LE, offset, value);
    }

    @Override
    public void fill(long offset, long len, byte value) {
        dirty = true;
        mapping().asSlice(offset, len).fill(value);
    }

    @Override
    public void flush(long offset, long len) {
        // Stores are already in the shared mapping; nothing to write back until sync().
    }

    @Override
    public void fence() {
        // Program order within the JVM is the only order the mapping can observe.
    }

    @Override
    public void sync() {
        if (dirty) {
            dirty = false;
            mapping().force();
        }
    }
}
