package dev.pmemfs.media;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * The platform's persistent media error log: the poison truth and the driver's badblocks, kept as
 * sequence-numbered, CRC32C-protected records appended to one of two areas. When the active area is
 * full, a snapshot of the current state is written into the other area and that area becomes active.
 *
 * <p>Models what NVDIMM firmware keeps across power cycles (the ARS error records behind
 * {@code ND_CMD_ARS_STATUS}, reference §1.3, §8.3); the format is pmemfs's own.
 *
 * <p>On-media layout of each area (little-endian):
 * <pre>
 * area header (32 bytes):
 *    0 u64 magic "MEMSELOG" (ASCII, little-endian)
 *    8 u64 generation (the active area is the valid one with the higher generation)
 *   16 u64 sequence number of the first record in this area
 *   24 u32 reserved (0)
 *   28 u32 CRC32C of bytes [0, 28)
 * records from offset 32, 32 bytes each:
 *    0 u64 sequence number (first + index)
 *    8 u32 type (1 poison latent, 2 poison known, 3 poison removed, 4 badblocks set, 5 badblocks cleared),
 *          ORed with 0x100 on the last record of a batch, and with (index within the batch) << 16
 *   12 u32 CRC32C of (generation, sequence, type, a, b)
 *   16 u64 a (start: byte offset for poison, sector for badblocks)
 *   24 u64 b (end, exclusive)
 * </pre>
 * Crash safety: the records of one operation (a batch) are stored, flushed and fenced before the
 * operation takes effect in memory; replay stops at the first record whose sequence or CRC is wrong
 * (a torn append) and applies a batch only when its last record was read, so an operation is either
 * wholly replayed or ignored, and the next append overwrites what was torn. Compaction
 * first invalidates the target area's header (fenced), writes the snapshot (fenced), and only then
 * writes the new header (fenced): until that last fence the old area stays the active one. Records
 * of an older generation left behind in an area can never replay: the generation is in their CRC and
 * sequence numbers only grow. A complete record left over from a batch that a crash tore (its
 * neighbour lost, itself persisted) cannot be mistaken for the start of a later batch written over
 * it: each record carries its index within its batch, and replay wants index 0 to begin a batch.
 */
final class MediaErrorLog {
    static final int POISON_LATENT = 1;
    static final int POISON_KNOWN = 2;
    static final int POISON_REMOVED = 3;
    static final int BADBLOCKS_SET = 4;
    static final int BADBLOCKS_CLEARED = 5;

    static final long AREA_MAGIC = 0x474F4C45534D454DL; // "MEMSELOG" read little-endian
    static final int AREA_HEADER = 32;
    static final int RECORD = 32;
    static final int LAST_OF_BATCH = 0x100;

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** One log record. */
    record Entry(int type, long a, long b) {}

    private final PersistenceDomain pd;
    private final MemorySegment map;
    private final long areasOffset;
    private final long areaBytes;

    // Guarded by the owner's write lock (MediaState).
    private int active;
    private long generation;
    private long nextSeq;
    private long appendAt;
    private String stopReason = "";
    private long replayed;

    private MediaErrorLog(PersistenceDomain pd, MemorySegment map, long areasOffset, long areaBytes) {
        this.pd = pd;
        this.map = map;
        this.areasOffset = areasOffset;
        this.areaBytes = areaBytes;
    }

    private long area(int i) {
        return areasOffset + i * areaBytes;
    }

    /** Writes an empty log (area 0 active, area 1 invalid). */
    static MediaErrorLog format(PersistenceDomain pd, MemorySegment map, long areasOffset, long areaBytes) {
        MediaErrorLog log = new MediaErrorLog(pd, map, areasOffset, areaBytes);
        log.invalidateHeader(1);
        log.writeHeader(0, 1, 1);
        log.active = 0;
        log.generation = 1;
        log.nextSeq = 1;
        log.appendAt = log.area(0) + AREA_HEADER;
        return log;
    }

    /** Opens the log and replays every valid record of the active area into {@code apply}. */
    static MediaErrorLog replay(PersistenceDomain pd, MemorySegment map, long areasOffset, long areaBytes,
            Consumer<Entry> apply) throws ErrnoException {
        MediaErrorLog log = new MediaErrorLog(pd, map, areasOffset, areaBytes);
        long[] h0 = log.readHeader(0);
        long[] h1 = log.readHeader(1);
        if (h0 == null && h1 == null) {
            throw new ErrnoException(Errno.EUCLEAN, "media_error_log",
                    "neither media error log area has a valid header; the image is corrupt");
        }
        int act = h1 == null || (h0 != null && h0[0] > h1[0]) ? 0 : 1;
        long[] h = act == 0 ? h0 : h1;
        log.active = act;
        log.generation = h[0];
        long seq = h[1];
        long pos = log.area(act) + AREA_HEADER;
        long end = log.area(act) + areaBytes;
        String why = "end of area";
        java.util.List<Entry> batch = new java.util.ArrayList<>();
        long batchStart = pos;
        long batchSeq = seq;
        while (pos + RECORD <= end) {
            long s = map.get(U64, pos);
            int type = map.get(U32, pos + 8);
            int crc = map.get(U32, pos + 12);
            long a = map.get(U64, pos + 16);
            long b = map.get(U64, pos + 24);
            if (s != seq) {
                why = s == 0 && type == 0 ? "end of records" : "sequence " + s + " where " + seq + " was expected";
                break;
            }
            if (crc != log.recordCrc(s, type, a, b)) {
                why = "CRC32C mismatch in record " + s + " (torn append)";
                break;
            }
            int kind = type & 0xFF;
            if (kind < POISON_LATENT || kind > BADBLOCKS_CLEARED || (type & 0xFE00) != 0 || b < a) {
                why = "record " + s + " has an impossible type or range";
                break;
            }
            if (type >>> 16 != batch.size()) {
                // A complete record left over from a batch that a crash tore earlier: not ours.
                why = "record " + s + " is number " + (type >>> 16) + " of a batch where " + batch.size() + " was expected";
                break;
            }
            batch.add(new Entry(kind, a, b));
            seq++;
            pos += RECORD;
            if ((type & LAST_OF_BATCH) != 0) {
                batch.forEach(apply);
                log.replayed += batch.size();
                batch.clear();
                batchStart = pos;
                batchSeq = seq;
            }
        }
        if (!batch.isEmpty()) {
            why = why + "; dropped an incomplete batch of " + batch.size() + " record(s)";
        }
        // Appends resume after the last complete batch, overwriting a torn or incomplete one.
        pos = batchStart;
        seq = batchSeq;
        log.nextSeq = seq;
        log.appendAt = pos;
        log.stopReason = why;
        return log;
    }

    /** Generation of the active area (how many compactions since format, plus one). */
    long generation() {
        return generation;
    }

    /** Records replayed at open. */
    long replayedRecords() {
        return replayed;
    }

    /** Why replay stopped (diagnostics for tests and dumps). */
    String stopReason() {
        return stopReason;
    }

    /** Records that still fit in the active area. */
    long room() {
        return (area(active) + areaBytes - appendAt) / RECORD;
    }

    /**
     * Makes {@code entries} durable, compacting first when they do not fit. {@code snapshot} yields the
     * state before these entries, as records that rebuild it.
     */
    void append(List<Entry> entries, Supplier<List<Entry>> snapshot) throws ErrnoException {
        if (entries.size() > 0xFFFF) {
            throw new IllegalArgumentException("a batch holds at most 65535 records, not " + entries.size());
        }
        if (entries.size() > room()) {
            compact(snapshot.get());
            if (entries.size() > room()) {
                throw new ErrnoException(Errno.ENOSPC, "media_error_log",
                        "the media error log areas (" + areaBytes + " bytes each) cannot hold "
                                + "the error records; create the namespace with a larger error log");
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            writeRecord(appendAt, nextSeq, e, i, i == entries.size() - 1);
            pd.flush(appendAt, RECORD);
            appendAt += RECORD;
            nextSeq++;
        }
        pd.fence();
    }

    private void compact(List<Entry> snapshot) throws ErrnoException {
        int target = 1 - active;
        if (snapshot.size() > (areaBytes - AREA_HEADER) / RECORD) {
            throw new ErrnoException(Errno.ENOSPC, "media_error_log",
                    "the media error log cannot hold " + snapshot.size() + " records ("
                            + areaBytes + " bytes per area); create the namespace with a larger error log");
        }
        invalidateHeader(target);
        long firstSeq = nextSeq;
        long gen = generation + 1;
        long pos = area(target) + AREA_HEADER;
        long seq = firstSeq;
        for (Entry e : snapshot) {
            writeRecordGen(pos, seq, e, gen, 0, true);
            pos += RECORD;
            seq++;
        }
        pd.flush(area(target) + AREA_HEADER, pos - area(target) - AREA_HEADER);
        pd.fence();
        writeHeader(target, gen, firstSeq);
        active = target;
        generation = gen;
        nextSeq = seq;
        appendAt = pos;
    }

    private void writeRecord(long pos, long seq, Entry e, int index, boolean last) {
        writeRecordGen(pos, seq, e, generation, index, last);
    }

    private void writeRecordGen(long pos, long seq, Entry e, long gen, int index, boolean last) {
        int type = e.type() | (last ? LAST_OF_BATCH : 0) | (index << 16);
        int crc = crc(gen, seq, type, e.a(), e.b());
        pd.storeLong(pos, seq);
        pd.storeLong(pos + 8, (type & 0xFFFFFFFFL) | ((long) crc << 32));
        pd.storeLong(pos + 16, e.a());
        pd.storeLong(pos + 24, e.b());
    }

    private int recordCrc(long seq, int type, long a, long b) {
        return crc(generation, seq, type, a, b);
    }

    private static int crc(long gen, long seq, int type, long a, long b) {
        MemorySegment buf = MemorySegment.ofArray(new byte[36]);
        buf.set(U64, 0, gen);
        buf.set(U64, 8, seq);
        buf.set(U32, 16, type);
        buf.set(U64, 20, a);
        buf.set(U64, 28, b);
        CRC32C c = new CRC32C();
        c.update(buf.asByteBuffer());
        return (int) c.getValue();
    }

    private void writeHeader(int i, long gen, long firstSeq) {
        long at = area(i);
        MemorySegment buf = MemorySegment.ofArray(new byte[AREA_HEADER]);
        buf.set(U64, 0, AREA_MAGIC);
        buf.set(U64, 8, gen);
        buf.set(U64, 16, firstSeq);
        CRC32C c = new CRC32C();
        c.update(buf.asSlice(0, 28).asByteBuffer());
        buf.set(U32, 28, (int) c.getValue());
        for (int w = 0; w < AREA_HEADER; w += 8) {
            pd.storeLong(at + w, buf.get(U64, w));
        }
        pd.flush(at, AREA_HEADER);
        pd.fence();
    }

    private void invalidateHeader(int i) {
        long at = area(i);
        for (int w = 0; w < AREA_HEADER; w += 8) {
            pd.storeLong(at + w, 0);
        }
        pd.flush(at, AREA_HEADER);
        pd.fence();
    }

    /** {generation, firstSeq} of a valid area header, or null. */
    private long[] readHeader(int i) {
        long at = area(i);
        if (map.get(U64, at) != AREA_MAGIC) {
            return null;
        }
        CRC32C c = new CRC32C();
        c.update(map.asSlice(at, 28).asByteBuffer());
        if (map.get(U32, at + 28) != (int) c.getValue()) {
            return null;
        }
        return new long[] {map.get(U64, at + 8), map.get(U64, at + 16)};
    }
}
