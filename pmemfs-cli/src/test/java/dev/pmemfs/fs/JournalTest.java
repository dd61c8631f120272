package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.pmemfs.testing.Gen;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The journal's record format, wrap-around and replay results over an in-memory block store. */
class JournalTest {
    static final int FSID = 0x1234;
    static final long START = 10;

    /** Blocks in memory; what the journal's I/O interface needs, nothing more. */
    static final class MemoryBlocks implements Journal.BlockIo {
        final Map<Long, byte[]> blocks = new HashMap<>();

        @Override
        public byte[] read(long block) {
            byte[] b = blocks.get(block);
            return b == null ? new byte[MetaBlock.SIZE] : b.clone();
        }

        @Override
        public void write(long block, byte[] img) {
            blocks.put(block, img.clone());
        }

        @Override
        public void fence() {}

        @Override
        public long deviceBlocks() {
            return 1 << 20;
        }
    }

    /** A metadata image for block 100 (a journal record carries sealed blocks of its filesystem). */
    private static byte[] image(int fill) {
        return image(fill, 100);
    }

    private static byte[] image(int fill, long target) {
        byte[] b = new byte[MetaBlock.SIZE];
        java.util.Arrays.fill(b, (byte) fill);
        MetaBlock.seal(b, MetaBlock.MAGIC_DIR, target, FSID);
        return b;
    }

    @Test
    void replay_emptyLog_clean() throws Exception {
        MemoryBlocks io = new MemoryBlocks();
        Journal j = new Journal(io, START, 64, FSID, 5, 0);
        assertInstanceOf(ReplayResult.Clean.class, j.replay(5, 0));
    }

    @Test
    void replay_committedRecords_writtenInPlace() throws Exception {
        MemoryBlocks io = new MemoryBlocks();
        Journal j = new Journal(io, START, 64, FSID, 5, 0);
        j.append(List.of(100L, 101L), List.of(image(1), image(2, 101)));
        j.append(List.of(100L), List.of(image(3)));
        Journal fresh = new Journal(io, START, 64, FSID, 5, 0);
        ReplayResult r = fresh.replay(5, 0);
        assertEquals(new ReplayResult.Replayed(2, 5), r);
        assertEquals(0, fresh.headPos());
        assertArrayEquals(image(3), io.blocks.get(100L));
        assertArrayEquals(image(2, 101), io.blocks.get(101L));
    }

    @Test
    void replay_tornDescriptor_stopsThereAndReports() throws Exception {
        MemoryBlocks io = new MemoryBlocks();
        Journal j = new Journal(io, START, 64, FSID, 5, 0);
        j.append(List.of(100L), List.of(image(1)));
        j.append(List.of(100L), List.of(image(2)));
        io.blocks.get(START + 2)[100] ^= 1; // second descriptor damaged: that record never committed
        ReplayResult r = new Journal(io, START, 64, FSID, 5, 0).replay(5, 0);
        assertInstanceOf(ReplayResult.Torn.class, r);
        assertEquals(2, ((ReplayResult.Torn) r).at());
        assertEquals(1, ((ReplayResult.Torn) r).replayed());
        assertArrayEquals(image(1), io.blocks.get(100L));
    }

    @Test
    void replay_staleRecordsOfEarlierLap_ignored() throws Exception {
        MemoryBlocks io = new MemoryBlocks();
        Journal j = new Journal(io, START, 64, FSID, 5, 0);
        j.append(List.of(100L), List.of(image(1)));
        j.checkpointed();
        // tail moved to (6, 2): the old record at 0 has sequence 5 and must not be replayed again
        ReplayResult r = new Journal(io, START, 64, FSID, 6, 2).replay(6, 2);
        assertInstanceOf(ReplayResult.Clean.class, r);
    }

    @Test
    void replay_recordWithValidChecksumsButImpossibleTarget_neverReplayed() throws Exception {
        for (long target : new long[] {0, 1, 3, START + 5, 1 << 20}) {
            MemoryBlocks io = new MemoryBlocks();
            Journal j = new Journal(io, START, 64, FSID, 5, 0);
            j.append(List.of(100L), List.of(image(1)));
            j.append(List.of(target), List.of(image(2, target)));
            ReplayResult r = new Journal(io, START, 64, FSID, 5, 0).replay(5, 0);
            assertInstanceOf(ReplayResult.Torn.class, r, "target " + target);
            assertEquals(1, ((ReplayResult.Torn) r).replayed());
            org.junit.jupiter.api.Assertions.assertTrue(((ReplayResult.Torn) r).why().contains("corrupt record"),
                    ((ReplayResult.Torn) r).why());
        }
        // An image whose own header names another block is not this record's either.
        MemoryBlocks io = new MemoryBlocks();
        Journal j = new Journal(io, START, 64, FSID, 5, 0);
        j.append(List.of(200L), List.of(image(1, 201)));
        assertInstanceOf(ReplayResult.Torn.class, new Journal(io, START, 64, FSID, 5, 0).replay(5, 0));
        assertEquals(null, io.blocks.get(200L));
    }

    @Test
    void appendWithCheckpoints_wrapsAndReplaysEverythingSinceTail() {
        Gen.forAll("journal-wrap", 50, g -> {
            try {
                MemoryBlocks io = new MemoryBlocks();
                int len = g.intBetween(8, 40);
                Journal j = new Journal(io, START, len, FSID, 1, 0);
                long tailSeq = 1;
                long tailPos = 0;
                Map<Long, byte[]> sinceTail = new HashMap<>();
                Map<Long, byte[]> inPlace = new HashMap<>();
                for (int t = 0; t < 60; t++) {
                    int n = g.intBetween(1, Math.min(5, len - 2));
                    if (!j.fits(n)) {
                        inPlace.putAll(sinceTail);
                        sinceTail.clear();
                        j.checkpointed();
                        tailSeq = j.headSeq();
                        tailPos = j.headPos();
                    }
                    List<Long> targets = new ArrayList<>();
                    List<byte[]> imgs = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        long target = 1000 + g.intBetween(0, 10);
                        if (targets.contains(target)) {
                            continue;
                        }
                        byte[] img = g.bytes(MetaBlock.SIZE);
                        MetaBlock.seal(img, MetaBlock.MAGIC_INODES, target, FSID);
                        targets.add(target);
                        imgs.add(img);
                        sinceTail.put(target, img);
                    }
                    j.append(targets, imgs);
                }
                MemoryBlocks replayed = new MemoryBlocks();
                replayed.blocks.putAll(io.blocks);
                Journal r = new Journal(replayed, START, len, FSID, tailSeq, tailPos);
                ReplayResult res = r.replay(tailSeq, tailPos);
                assertInstanceOf(ReplayResult.Replayed.class, res);
                for (var e : sinceTail.entrySet()) {
                    assertArrayEquals(e.getValue(), replayed.blocks.get(e.getKey()));
                }
                assertEquals(j.headSeq(), r.headSeq());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}
