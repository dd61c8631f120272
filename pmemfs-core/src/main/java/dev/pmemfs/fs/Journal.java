package dev.pmemfs.fs;

import dev.pmemfs.errno.ErrnoException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The physical redo journal: a circular log of records, each a descriptor block followed by the full
 * new images of the metadata blocks one transaction changed (like jbd2's descriptor + data blocks).
 *
 * <pre>
 * descriptor block (journal block p):
 *  0  16  metadata header (magic "PJRN", crc32c over the descriptor, absolute block number, fsid)
 *  16 8   sequence number           24 4  type (1 transaction, 2 wrap to journal block 0)
 *  28 4   n, number of images        32 4  crc32c over the n images, concatenated
 *  36 4   reserved (0)               40 8n target block numbers
 * journal blocks p+1 .. p+n: the images, in target order
 * </pre>
 * Commit protocol: write the images, flush, fence; then the descriptor, flush, fence. The descriptor
 * is the commit record: a crash before it is durable leaves no valid record with that sequence.
 * Replay walks from the tail (position and sequence in the superblock) and stops at the first
 * descriptor whose magic, fsid, sequence or checksums fail, reporting where. A record whose checksums
 * hold but whose fields are impossible (a target outside the blocks a record may rewrite, a metadata
 * image whose own header names another block or filesystem) is never replayed either: it stops the
 * walk as a corrupt record, and what follows it is discarded like a torn record.
 *
 * <p>A target whose bit 63 ({@link #DATA_TARGET}) is set is a file data block, not metadata: its image
 * is the block's raw new content (no header, no seal), logged by {@link Salvage} so that "clear the
 * poison in place and write the saved sectors back" is one crash-atomic step. Replay writes such an
 * image with {@link BlockIo#writeData}, which clears the block's known poison as it writes; a clear the
 * firmware refuses leaves the block poisoned with its old bytes and does not stop the replay.
 */
final class Journal {
    static final int TYPE_TXN = 1;
    static final int TYPE_WRAP = 2;
    static final MediaStruct DESCRIPTOR = new MediaStruct(MediaStruct.bytes(MetaBlock.HEADER, "header"),
            MediaStruct.U64.withName("sequence"), MediaStruct.U32.withName("type"), MediaStruct.U32.withName("count"),
            MediaStruct.U32.withName("imagesCrc"), MediaStruct.U32.withName("reserved"));
    private static final MediaStruct.Long64 SEQ = DESCRIPTOR.u64("sequence");
    private static final MediaStruct.Int32 TYPE = DESCRIPTOR.u32("type");
    private static final MediaStruct.Int32 COUNT = DESCRIPTOR.u32("count");
    private static final MediaStruct.Int32 IMAGES_CRC = DESCRIPTOR.u32("imagesCrc");
    private static final int TARGETS = (int) DESCRIPTOR.size();
    static final int MAX_IMAGES = (MetaBlock.SIZE - TARGETS) / 8;
    /** Marks a target block number as a file data block (see the class comment). */
    static final long DATA_TARGET = 1L << 63;

    /** Writes a block in place or into the log (flushes; the caller fences). */
    interface BlockIo {
        byte[] read(long block) throws ErrnoException;

        void write(long block, byte[] img) throws ErrnoException;

        /**
         * Writes a whole file data block in place, clearing its known poison on the way; false when the
         * firmware would not clear it (the block then keeps its poison and its old bytes). A store
         * without poison (as in memory) writes it as any block.
         */
        default boolean writeData(long block, byte[] img) throws ErrnoException {
            write(block, img);
            return true;
        }

        void fence();

        /** Blocks of the device: a target at or past it is impossible. */
        long deviceBlocks();
    }

    private final BlockIo io;
    private final long start;
    private final long len;
    private final int fsid;
    private long headPos;
    private long headSeq;
    private long used;

    Journal(BlockIo io, long start, long len, int fsid, long headSeq, long headPos) {
        this.io = io;
        this.start = start;
        this.len = len;
        this.fsid = fsid;
        this.headSeq = headSeq;
        this.headPos = headPos;
    }

    long headSeq() {
        return headSeq;
    }

    long headPos() {
        return headPos;
    }

    /** Whether a record of {@code n} images fits without overwriting records not yet checkpointed. */
    boolean fits(int n) {
        long r = 1L + n;
        long waste = headPos + r > len ? len - headPos : 0;
        return used + waste + r <= len;
    }

    /**
     * Everything logged so far is now in place: the whole log is free again and the next record goes
     * to block 0 (older records there carry older sequence numbers, so replay never takes them).
     */
    void checkpointed() {
        used = 0;
        headPos = 0;
    }

    /** Appends one committed transaction: images, fence, descriptor, fence. */
    void append(List<Long> targets, List<byte[]> images) throws ErrnoException {
        int n = targets.size();
        if (n == 0 || n > MAX_IMAGES || 1L + n > len) {
            throw new IllegalArgumentException("transaction of " + n + " blocks does not fit the journal");
        }
        if (!fits(n)) {
            throw new IllegalStateException("journal full: checkpoint first");
        }
        if (headPos + 1 + n > len) {
            if (headPos < len) {
                io.write(start + headPos, descriptor(headPos, headSeq, TYPE_WRAP, List.of(), 0));
                io.fence();
                headSeq++;
            }
            used += len - headPos;
            headPos = 0;
        }
        CRC32C crc = new CRC32C();
        for (int i = 0; i < n; i++) {
            io.write(start + headPos + 1 + i, images.get(i));
            crc.update(images.get(i));
        }
        io.fence();
        io.write(start + headPos, descriptor(headPos, headSeq, TYPE_TXN, targets, (int) crc.getValue()));
        io.fence();
        headPos += 1 + n;
        headSeq++;
        used += 1 + n;
    }

    private byte[] descriptor(long pos, long seq, int type, List<Long> targets, int dataCrc) {
        byte[] img = new byte[MetaBlock.SIZE];
        MemorySegment b = MediaStruct.of(img);
        SEQ.set(b, 0, seq);
        TYPE.set(b, 0, type);
        COUNT.set(b, 0, targets.size());
        IMAGES_CRC.set(b, 0, dataCrc);
        for (int i = 0; i < targets.size(); i++) {
            b.set(MediaStruct.U64, TARGETS + 8L * i, targets.get(i));
        }
        MetaBlock.seal(img, MetaBlock.MAGIC_JOURNAL, start + pos, fsid);
        return img;
    }

    /** One committed record found by {@link #scan}. */
    record Record(long pos, long seq, List<Long> targets, List<byte[]> images) {}

    /** The result of walking the log from the tail, without changing anything. */
    record Scan(List<Record> records, long endPos, long endSeq, long tornAt, String tornWhy) {}

    /** Walks committed records from ({@code seq}, {@code pos}). */
    Scan scan(long seq, long pos) {
        List<Record> out = new ArrayList<>();
        long walked = 0;
        while (walked <= len) {
            if (pos >= len) {
                pos = 0;
            }
            byte[] d;
            try {
                d = io.read(start + pos);
            } catch (ErrnoException e) {
                return new Scan(out, pos, seq, pos, "descriptor unreadable: " + e.getMessage());
            }
            MemorySegment b = MediaStruct.of(d);
            boolean ours = MetaBlock.magicOf(d) == MetaBlock.MAGIC_JOURNAL && MetaBlock.fsidOf(d) == fsid
                    && SEQ.get(b, 0) == seq;
            if (!ours) {
                return new Scan(out, pos, seq, -1, null);
            }
            try {
                MetaBlock.verify(d, MetaBlock.MAGIC_JOURNAL, start + pos, fsid, "journal", false);
            } catch (FsCorruptedException e) {
                return new Scan(out, pos, seq, pos, "descriptor of sequence " + seq + " torn: " + e.getMessage());
            }
            int type = TYPE.get(b, 0);
            int n = COUNT.get(b, 0);
            if (type == TYPE_WRAP) {
                walked += len - pos;
                pos = 0;
                seq++;
                continue;
            }
            if (type != TYPE_TXN || n <= 0 || n > MAX_IMAGES || pos + 1 + n > len) {
                return new Scan(out, pos, seq, pos, "descriptor of sequence " + seq + " has bad type/size");
            }
            List<Long> targets = new ArrayList<>(n);
            List<byte[]> images = new ArrayList<>(n);
            CRC32C crc = new CRC32C();
            for (int i = 0; i < n; i++) {
                targets.add(b.get(MediaStruct.U64, TARGETS + 8L * i));
                byte[] img;
                try {
                    img = io.read(start + pos + 1 + i);
                } catch (ErrnoException e) {
                    return new Scan(out, pos, seq, pos, "image " + i + " unreadable: " + e.getMessage());
                }
                crc.update(img);
                images.add(img);
            }
            if ((int) crc.getValue() != IMAGES_CRC.get(b, 0)) {
                return new Scan(out, pos, seq, pos, "images of sequence " + seq + " fail their checksum");
            }
            String bad = impossible(targets, images);
            if (bad != null) {
                return new Scan(out, pos, seq, pos, "corrupt record of sequence " + seq + " (checksums hold): " + bad);
            }
            out.add(new Record(pos, seq, targets, images));
            walked += 1 + n;
            pos += 1 + n;
            seq++;
        }
        return new Scan(out, pos, seq, pos, "log does not terminate");
    }

    /**
     * Why a committed record could not have been written by pmemfs, or null: a record rewrites metadata
     * blocks only (never the superblocks, which are written in place, the zero page or the journal
     * itself), inside the device, each image a sealed metadata block of this filesystem naming its target.
     */
    private String impossible(List<Long> targets, List<byte[]> images) {
        for (int i = 0; i < targets.size(); i++) {
            long t = targets.get(i) & ~DATA_TARGET;
            if (t <= Geometry.SB_BACKUP || t == Geometry.ZERO_PAGE || (t >= start && t < start + len)
                    || t >= io.deviceBlocks()) {
                return "target block " + t + " is not a block a transaction may rewrite";
            }
            if ((targets.get(i) & DATA_TARGET) != 0) {
                continue; // raw file data (salvage): no header to check
            }
            byte[] img = images.get(i);
            if (MetaBlock.fsidOf(img) != fsid || MetaBlock.blockNoOf(img) != (t & 0xffffffffL)
                    || !MetaBlock.knownMagic(MetaBlock.magicOf(img)) || MetaBlock.crc(img) != MetaBlock.crcOf(img)) {
                return "image " + i + " for block " + t + " is not a sealed metadata block of this filesystem";
            }
        }
        return null;
    }

    /**
     * Mount-time replay: writes every committed image in place and fences, then the head continues
     * after the last good record.
     */
    ReplayResult replay(long tailSeq, long tailPos) throws ErrnoException {
        Scan s = scan(tailSeq, tailPos);
        for (Record r : s.records()) {
            for (int i = 0; i < r.targets().size(); i++) {
                long t = r.targets().get(i);
                if ((t & DATA_TARGET) != 0) {
                    io.writeData(t & ~DATA_TARGET, r.images().get(i));
                } else {
                    io.write(t, r.images().get(i));
                }
            }
        }
        io.fence();
        headSeq = s.endSeq();
        checkpointed();
        if (s.tornAt() >= 0) {
            return new ReplayResult.Torn(s.tornAt(), s.records().size(), s.tornWhy());
        }
        return s.records().isEmpty() ? new ReplayResult.Clean()
                : new ReplayResult.Replayed(s.records().size(), s.endPos());
    }
}
