package dev.pmemfs.media;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The namespace image header, kept twice (file offsets 0 and 4096) so that a torn write leaves one
 * good copy; open takes the valid copy with the higher generation.
 *
 * <p>On-media layout (little-endian, 128 bytes used of each 4 KiB copy):
 * <pre>
 *   0  u64 magic "PMEMFSNS"
 *   8  u32 format version written (1)
 *  12  u32 oldest format version that can read this image (1)
 *  16  u64 namespace (raw) size in bytes
 *  24  u32 mode (0 raw, 1 fsdax, 2 devdax)
 *  28  u32 namespace number N
 *  32  u64 data offset inside the namespace
 *  40  u32 clear_err_unit
 *  44  u32 reserved (0)
 *  48  u64 media error log area size L (each of two areas)
 *  56  u64 media offset in the file
 *  64  u64 uuid, most significant half
 *  72  u64 uuid, least significant half
 *  80  u64 generation (incremented by each header rewrite)
 *  88  u32 state flags: bit 0 region disabled, bit 1 namespace disabled (ndctl disable-region/-namespace),
 *          bit 2 the driver's badblocks table is Linux's (512 entries; set by a linux-* mount)
 *  92  u32 firmware Clear Uncorrectable Error behaviour: 0 clears all, 1 fails, 2 clears at most the limit
 *  96  u64 that limit in bytes (kind 2), else 0
 * 104  20 bytes reserved (0)
 * 124  u32 CRC32C of bytes [0, 124)
 * </pre>
 * Version history: 1 — first format; 2 — the state flags and the firmware clear behaviour, in bytes a
 * version-1 writer left zero (zero means enabled and a normal clear), so version 1 images read as they
 * are and a version-1 reader still reads version 2 (it ignores them).
 */
record MediaHeader(NamespaceConfig config, UUID uuid, long mediaOffset, long generation, int flags,
        ClearFault clearFault) {
    static final long MAGIC = 0x534E53464D454D50L; // "PMEMFSNS" little-endian
    static final int VERSION = 2;
    static final int FLAG_REGION_DISABLED = 1;
    static final int FLAG_NAMESPACE_DISABLED = 2;
    static final int FLAG_LINUX_BADBLOCKS = 4;
    private static final int FLAGS_KNOWN = FLAG_REGION_DISABLED | FLAG_NAMESPACE_DISABLED | FLAG_LINUX_BADBLOCKS;
    static final int OLDEST_READABLE = 1;
    static final int USED = 128;

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    byte[] encode() {
        MemorySegment s = MemorySegment.ofArray(new byte[USED]);
        s.set(U64, 0, MAGIC);
        s.set(U32, 8, VERSION);
        s.set(U32, 12, OLDEST_READABLE);
        s.set(U64, 16, config.size());
        s.set(U32, 24, config.mode().code());
        s.set(U32, 28, config.id());
        s.set(U64, 32, config.dataOffset());
        s.set(U32, 40, config.clearErrUnit());
        s.set(U64, 48, config.logAreaBytes());
        s.set(U64, 56, mediaOffset);
        s.set(U64, 64, uuid.getMostSignificantBits());
        s.set(U64, 72, uuid.getLeastSignificantBits());
        s.set(U64, 80, generation);
        s.set(U32, 88, flags);
        switch (clearFault) {
            case ClearFault.None n -> s.set(U32, 92, 0);
            case ClearFault.Fail f -> s.set(U32, 92, 1);
            case ClearFault.Partial p -> {
                s.set(U32, 92, 2);
                s.set(U64, 96, p.limitBytes());
            }
        }
        byte[] bytes = s.toArray(ValueLayout.JAVA_BYTE);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 124);
        MemorySegment.ofArray(bytes).set(U32, 124, (int) crc.getValue());
        return bytes;
    }

    /** What a header copy holds: a header, or why it cannot be used. */
    sealed interface Decoded {}

    record Valid(MediaHeader header) implements Decoded {}

    record Invalid(String why) implements Decoded {}

    static Decoded decode(MemorySegment copy) {
        byte[] bytes = copy.asSlice(0, USED).toArray(ValueLayout.JAVA_BYTE);
        MemorySegment s = MemorySegment.ofArray(bytes);
        if (s.get(U64, 0) != MAGIC) {
            return new Invalid("no pmemfs namespace magic");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 124);
        int stored = s.get(U32, 124);
        if (stored != (int) crc.getValue()) {
            return new Invalid(String.format("header CRC32C mismatch (stored %08x, computed %08x)",
                    stored, (int) crc.getValue()));
        }
        int written = s.get(U32, 8);
        int oldest = s.get(U32, 12);
        if (oldest > VERSION) {
            return new Invalid("format version " + written + " needs a reader of version " + oldest
                    + " or newer; this pmemfs reads version " + VERSION);
        }
        try {
            NamespaceConfig cfg = new NamespaceConfig(s.get(U64, 16), NamespaceMode.ofCode(s.get(U32, 24)),
                    s.get(U32, 28), s.get(U32, 40), s.get(U64, 48));
            if (cfg.dataOffset() != s.get(U64, 32)) {
                return new Invalid("data offset " + s.get(U64, 32) + " disagrees with the geometry");
            }
            UUID uuid = new UUID(s.get(U64, 64), s.get(U64, 72));
            int flags = s.get(U32, 88);
            if ((flags & ~FLAGS_KNOWN) != 0) {
                return new Invalid(String.format("unknown state flags %#x", flags));
            }
            ClearFault fault = switch (s.get(U32, 92)) {
                case 0 -> ClearFault.NONE;
                case 1 -> new ClearFault.Fail();
                case 2 -> new ClearFault.Partial(s.get(U64, 96));
                default -> null;
            };
            if (fault == null) {
                return new Invalid("unknown firmware clear behaviour " + s.get(U32, 92));
            }
            return new Valid(new MediaHeader(cfg, uuid, s.get(U64, 56), s.get(U64, 80), flags, fault));
        } catch (IllegalArgumentException e) {
            return new Invalid("bad geometry: " + e.getMessage());
        }
    }
}
