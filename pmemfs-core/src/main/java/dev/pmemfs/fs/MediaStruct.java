package dev.pmemfs.fs;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One on-media structure declared once: a little-endian {@link StructLayout} of named fields, from which
 * every field's offset is derived, so encoder and decoder name fields instead of repeating offsets
 * (Lucene declares its layouts once in the same way). Structures are read and written through
 * {@link MemorySegment}s, the buffer the media layer uses too; a metadata image ({@code byte[]}) is
 * wrapped with {@link #of(byte[])}.
 */
final class MediaStruct {
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    final StructLayout layout;

    MediaStruct(MemoryLayout... fields) {
        this.layout = MemoryLayout.structLayout(fields);
    }

    /** Bytes the structure occupies. */
    long size() {
        return layout.byteSize();
    }

    /** The offset of field {@code name} from the start of the structure. */
    long offset(String name) {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(name));
    }

    Short16 u16(String name) {
        return new Short16(offset(name));
    }

    Int32 u32(String name) {
        return new Int32(offset(name));
    }

    Long64 u64(String name) {
        return new Long64(offset(name));
    }

    /** A field of {@code n} bytes ({@code byte[n]} in the layout). */
    static MemoryLayout bytes(long n, String name) {
        return MemoryLayout.sequenceLayout(n, ValueLayout.JAVA_BYTE).withName(name);
    }

    static MemorySegment of(byte[] img) {
        return MemorySegment.ofArray(img);
    }

    /** A u16 field (read unsigned). */
    record Short16(long offset) {
        int get(MemorySegment s, long base) {
            return s.get(U16, base + offset) & 0xffff;
        }

        void set(MemorySegment s, long base, int v) {
            s.set(U16, base + offset, (short) v);
        }
    }

    /** A u32 (or s32) field. */
    record Int32(long offset) {
        int get(MemorySegment s, long base) {
            return s.get(U32, base + offset);
        }

        long getUnsigned(MemorySegment s, long base) {
            return s.get(U32, base + offset) & 0xffffffffL;
        }

        void set(MemorySegment s, long base, int v) {
            s.set(U32, base + offset, v);
        }
    }

    /** A u64 (or s64) field. */
    record Long64(long offset) {
        long get(MemorySegment s, long base) {
            return s.get(U64, base + offset);
        }

        void set(MemorySegment s, long base, long v) {
            s.set(U64, base + offset, v);
        }
    }
}
