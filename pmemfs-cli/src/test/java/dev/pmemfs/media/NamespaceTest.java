package dev.pmemfs.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamespaceTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    private Namespace raw(long size) throws IOException {
        return Namespace.create(dir.resolve("raw.img"), NamespaceConfig.of(size, NamespaceMode.RAW));
    }

    @Test
    void create_fsdax_reservesAlignedDataOffset() throws Exception {
        try (Namespace ns = Namespace.create(dir.resolve("a.img"), NamespaceConfig.of(64 * MIB).withId(3))) {
            assertEquals("namespace3.0", ns.name());
            assertEquals("pmem3", ns.blockdevName());
            assertEquals("region3", ns.regionName());
            assertEquals(NamespaceMode.FSDAX, ns.mode());
            assertEquals(2 * MIB, ns.dataOffset()); // 8 KiB + 1 MiB of memmap, rounded to 2 MiB
            assertEquals(62 * MIB, ns.dataSize());
            assertEquals(256, ns.clearErrUnit());
        }
    }

    @Test
    void create_badGeometry_isRefusedAndLeavesNoFile() {
        assertThrows(IllegalArgumentException.class, () -> NamespaceConfig.of(3 * MIB));
        assertThrows(IllegalArgumentException.class, () -> NamespaceConfig.of(2 * MIB)); // no data area left
        assertThrows(IllegalArgumentException.class, () -> NamespaceConfig.of(4 * MIB).withClearErrUnit(384));
        assertThrows(IllegalArgumentException.class, () -> NamespaceConfig.of(4096 + 512, NamespaceMode.RAW));
    }

    @Test
    void create_existingImage_failsWithoutTouchingIt() throws Exception {
        Path p = dir.resolve("x.img");
        Files.writeString(p, "precious");
        assertThrows(IOException.class, () -> Namespace.create(p, NamespaceConfig.of(4 * MIB)));
        assertEquals("precious", Files.readString(p));
    }

    @Test
    void create_64GiB_isSparseAndFast() throws Exception {
        long t0 = System.nanoTime();
        Path p = dir.resolve("big.img");
        try (Namespace ns = Namespace.create(p, NamespaceConfig.of(64L << 30))) {
            byte[] b = {1, 2, 3};
            ns.write(ns.size() - 4096, b, 0, 3);
            ns.injectError(ns.size() - 8192, 512, true);
        }
        try (Namespace ns = Namespace.open(p)) {
            byte[] b = new byte[3];
            assertTrue(ns.read(ns.size() - 4096, b, 0, 3).isComplete());
            assertArrayEquals(new byte[] {1, 2, 3}, b);
            assertEquals(1, ns.badblocks().size());
        }
        Process du = new ProcessBuilder("du", "--block-size=1", p.toString()).redirectErrorStream(true).start();
        String out = new String(du.getInputStream().readAllBytes()).trim();
        assertEquals(0, du.waitFor(), out);
        long allocated = Long.parseLong(out.split("\\s+")[0]);
        assertTrue(allocated < 64 * MIB, "a 64 GiB namespace must stay sparse, allocated " + allocated);
        assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "64 GiB create/open must not touch every page");
    }

    @Test
    void open_afterClose_keepsDataPoisonAndBadblocks() throws Exception {
        Path p = dir.resolve("raw.img");
        try (Namespace ns = raw(4 * MIB)) {
            ns.write(0, "hello".getBytes(), 0, 5);
            ns.injectError(8192, 256, false);
            ns.injectError(16384, 512, true);
            ns.badblocksSet(100, 3);
        }
        try (Namespace ns = Namespace.open(p)) {
            byte[] b = new byte[5];
            ns.read(0, b, 0, 5);
            assertEquals("hello", new String(b));
            assertEquals(List.of(new PoisonRange(new ByteRange(8192, 256), false),
                    new PoisonRange(new ByteRange(16384, 512), true)), ns.poisonRecords());
            assertEquals(List.of(new BadRange(32, 1), new BadRange(100, 3)), ns.badblocks());
        }
    }

    @Test
    void open_oneHeaderCopyCorrupt_usesTheOther() throws Exception {
        Path p = dir.resolve("raw.img");
        raw(4 * MIB).close();
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x55}), 40);
        }
        try (Namespace ns = Namespace.open(p)) {
            assertEquals(4 * MIB, ns.size());
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x55}), 4096 + 40);
        }
        IOException e = assertThrows(IOException.class, () -> Namespace.open(p));
        assertTrue(e.getMessage().contains("CRC32C mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    }

    @Test
    void open_newerFormatThanSupported_isRefused() throws Exception {
        Path p = dir.resolve("raw.img");
        raw(4 * MIB).close();
        for (long copy : new long[] {0, 4096}) {
            // oldest readable version 3, with a valid CRC, in both copies
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer hdr = ByteBuffer.allocate(128).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                ch.read(hdr, copy);
                hdr.putInt(12, 3);
                java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                crc.update(hdr.array(), 0, 124);
                hdr.putInt(124, (int) crc.getValue());
                hdr.rewind();
                ch.write(hdr, copy);
            }
        }
        IOException e = assertThrows(IOException.class, () -> Namespace.open(p));
        assertTrue(e.getMessage().contains("needs a reader of version 3"), e.getMessage());
    }

    @Test
    void open_truncatedImage_isRefusedWithBothSizes() throws Exception {
        Path p = dir.resolve("raw.img");
        raw(4 * MIB).close();
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 4096);
        }
        IOException e = assertThrows(IOException.class, () -> Namespace.open(p));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void read_poisonMidway_stopsAtFirstPoisonedUnit() throws Exception {
        try (Namespace ns = raw(4 * MIB)) {
            ns.injectError(4096 + 768, 10, true);
            byte[] b = new byte[4096];
            CopyResult r = ns.read(4096, b, 0, 4096);
            assertEquals(new CopyResult(768, 4096 + 768), r);
        }
    }

    @Test
    void read_latentPoison_becomesKnownAndNotifiesOnce() throws Exception {
        try (Namespace ns = raw(4 * MIB)) {
            List<long[]> heard = new ArrayList<>();
            ns.setMemoryFailureListener((off, len) -> heard.add(new long[] {off, len}));
            ns.injectError(8192 + 256, 256, false);
            assertTrue(ns.badblocks().isEmpty(), "latent poison is not in badblocks");
            CopyResult r = ns.read(8192, new byte[1024], 0, 1024);
            assertEquals(8192 + 256, r.poisonedAt());
            assertEquals(1, heard.size());
            assertArrayEquals(new long[] {8192 + 256, 256}, heard.get(0));
            assertEquals(List.of(new BadRange(16, 1)), ns.badblocks());
            assertTrue(ns.poisonRecords().get(0).known());
            ns.read(8192, new byte[1024], 0, 1024);
            assertEquals(1, heard.size(), "known poison is consumed without a new notification");
        }
    }

    @Test
    void injectError_destroysDataWithGarbage_andWritesDoNotClear() throws Exception {
        try (Namespace ns = raw(4 * MIB)) {
            byte[] data = new byte[512];
            java.util.Arrays.fill(data, (byte) 1);
            ns.write(0, data, 0, 512);
            ns.injectError(0, 100, true); // rounds out to one 256-byte unit
            ns.write(0, data, 0, 512);    // lands, but the poison stays
            assertTrue(ns.poisoned(0, 256));
            assertFalse(ns.poisoned(256, 256));
            assertEquals(256, ns.clearPoison(0, 256));
            byte[] back = new byte[512];
            assertTrue(ns.read(0, back, 0, 512).isComplete());
            assertEquals(1, back[0]);
            ns.injectError(0, 256, true);
            assertEquals(256, ns.clearPoison(0, 256));
            ns.read(0, back, 0, 512);
            assertEquals(Namespace.GARBAGE, back[0], "after a clear the content is what the poison left");
            assertEquals(1, back[300]);
        }
    }

    @Test
    void clearPoison_misaligned_throwsEnxio() throws Exception {
        try (Namespace ns = raw(4 * MIB)) {
            ns.injectError(0, 512, true);
            assertEquals(Errno.ENXIO, assertThrows(ErrnoException.class, () -> ns.clearPoison(128, 256)).errno());
            assertEquals(Errno.ENXIO, assertThrows(ErrnoException.class, () -> ns.clearPoison(0, 300)).errno());
            assertEquals(Errno.ENXIO, assertThrows(ErrnoException.class, () -> ns.clearPoison(4 * MIB, 256)).errno());
            assertTrue(ns.poisoned(0, 512), "a refused clear clears nothing");
        }
    }

    @Test
    void clearPoison_halfSectors_neverDropTheSector() throws Exception {
        // nvdimm_account_cleared_poison only clears badblocks for whole sectors of one clear.
        try (Namespace ns = raw(4 * MIB)) {
            ns.injectError(0, 512, true);
            assertEquals(256, ns.clearPoison(0, 256));
            assertEquals(List.of(new BadRange(0, 1)), ns.badblocks());
            assertEquals(256, ns.clearPoison(256, 256));
            assertEquals(List.of(), ns.poisonRecords(), "the media is clean");
            assertEquals(List.of(new BadRange(0, 1)), ns.badblocks(), "but the sector stays listed");
            assertEquals(512, ns.clearPoison(0, 512));
            assertEquals(List.of(), ns.badblocks());
        }
    }

    @Test
    void clearPoison_faults_failOrClearPartly() throws Exception {
        try (Namespace ns = raw(4 * MIB)) {
            ns.injectError(0, 4096, true);
            ns.setClearFault(new ClearFault.Fail());
            assertEquals(Errno.EIO, assertThrows(ErrnoException.class, () -> ns.clearPoison(0, 4096)).errno());
            ns.setClearFault(new ClearFault.Partial(1000));
            assertEquals(768, ns.clearPoison(0, 4096));
            assertEquals(List.of(new BadRange(1, 7)), ns.badblocks());
            ns.setClearFault(ClearFault.NONE);
            assertEquals(4096 - 768, ns.clearPoison(768, 4096 - 768));
            assertEquals(List.of(), ns.poisonRecords());
            assertEquals(List.of(new BadRange(1, 1)), ns.badblocks(), "sector 1 was never wholly inside one clear");
        }
    }

    @Test
    void clearErrUnit_4096_refusesSectorClears() throws Exception {
        try (Namespace ns = Namespace.create(dir.resolve("u.img"),
                NamespaceConfig.of(4 * MIB, NamespaceMode.RAW).withClearErrUnit(4096))) {
            ns.injectError(512, 1, true);
            assertEquals(List.of(new PoisonRange(new ByteRange(0, 4096), true)), ns.poisonRecords());
            assertEquals(Errno.ENXIO, assertThrows(ErrnoException.class, () -> ns.clearPoison(512, 512)).errno());
            assertEquals(4096, ns.clearPoison(0, 4096));
        }
    }

    @Test
    void scrub_latentPoison_becomesKnownAndEntersBadblocks() throws Exception {
        try (Namespace ns = raw(4 * MIB)) {
            ns.injectError(1024, 256, false);
            ns.injectError(2 * MIB, 1024, false);
            assertEquals(ScrubState.IDLE, ns.scrubState());
            ns.startScrub();
            ns.waitScrub();
            assertEquals(ScrubState.IDLE, ns.scrubState());
            assertEquals(1, ns.scrubCount());
            assertEquals(List.of(new BadRange(2, 1), new BadRange(4096, 2)), ns.badblocks());
            assertTrue(ns.poisonRecords().stream().allMatch(PoisonRange::known));
        }
    }

    @Test
    void configureFirmware_persistsAcrossOpens_andSetClearFaultDoesNot() throws Exception {
        Path p = dir.resolve("raw.img");
        try (Namespace ns = raw(4 * MIB)) {
            ns.configureFirmware(512, new ClearFault.Partial(1024));
            ns.injectError(0, 4096, true);
            assertEquals(1024, ns.clearPoison(0, 2048), "the limit applies at once");
        }
        try (Namespace ns = Namespace.open(p)) {
            assertEquals(512, ns.clearErrUnit());
            assertEquals(new ClearFault.Partial(1024), ns.firmwareClearFault());
            assertEquals(1024, ns.clearPoison(1024, 2048), "and in the next process");
            ErrnoException e = assertThrows(ErrnoException.class, () -> ns.clearPoison(256, 256));
            assertEquals(Errno.ENXIO, e.errno(), "aligned to the new unit only");
            ns.setClearFault(new ClearFault.Fail());
            assertEquals(new ClearFault.Partial(1024), ns.firmwareClearFault(), "a test's override is not stored");
            ns.configureFirmware(256, ClearFault.NONE);
        }
        try (Namespace ns = Namespace.open(p)) {
            assertEquals(256, ns.clearErrUnit());
            assertEquals(2048, ns.clearPoison(2048, 2048));
            assertThrows(IllegalArgumentException.class, () -> ns.configureFirmware(384, ClearFault.NONE));
        }
    }

    @Test
    void setEnabled_persists_andRevalidateRebuildsBadblocksFromKnownPoison() throws Exception {
        Path p = dir.resolve("raw.img");
        try (Namespace ns = raw(4 * MIB)) {
            assertTrue(ns.enabled());
            ns.injectError(0, 4096, true);        // known: stays
            ns.injectError(8192, 4096, true);     // cleared below: stays gone
            ns.injectError(65536, 256, false);    // latent: never in badblocks until found
            ns.badblocksSet(1000, 8);             // software only: goes
            assertEquals(4096, ns.clearPoison(8192, 4096));
            ns.badblocksClear(0, 4);              // a record lost while the poison stays: comes back
            ns.setEnabled(false, true);
        }
        try (Namespace ns = Namespace.open(p)) {
            assertFalse(ns.enabled());
            assertFalse(ns.regionEnabled());
            assertTrue(ns.namespaceEnabled());
            assertTrue(ns.revalidateBadblocks());
            assertEquals(List.of(new BadRange(0, 8)), ns.badblocks());
            assertFalse(ns.revalidateBadblocks(), "a second probe changes nothing");
            ns.setEnabled(true, true);
        }
        try (Namespace ns = Namespace.open(p)) {
            assertTrue(ns.enabled());
            assertEquals(List.of(new BadRange(0, 8)), ns.badblocks(), "the rebuilt list is persistent");
        }
    }

    @Test
    void open_version1Header_readsAsEnabledWithNormalClears() throws Exception {
        Path p = dir.resolve("raw.img");
        raw(4 * MIB).close();
        for (long copy : new long[] {0, 4096}) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer hdr = ByteBuffer.allocate(128).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                ch.read(hdr, copy);
                hdr.putInt(8, 1);
                java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                crc.update(hdr.array(), 0, 124);
                hdr.putInt(124, (int) crc.getValue());
                hdr.rewind();
                ch.write(hdr, copy);
            }
        }
        try (Namespace ns = Namespace.open(p)) {
            assertTrue(ns.enabled());
            assertEquals(ClearFault.NONE, ns.firmwareClearFault());
        }
    }

    @Test
    void linuxBadblocksTable_512Entries_fullStoreFails_splitDropped_persists() throws Exception {
        Path p = dir.resolve("raw.img");
        try (Namespace ns = raw(4 * MIB)) {
            ns.setLinuxBadblocksTable(true);
            ns.badblocksSet(0, 1024);                       // 2 entries of 512 sectors
            for (int i = 0; i < 510; i++) {
                ns.badblocksSet(2000 + 2L * i, 1);
            }
            List<BadRange> full = ns.badblocks();
            ErrnoException e = assertThrows(ErrnoException.class, () -> ns.badblocksSet(5000, 1));
            assertEquals(Errno.ENOSPC, e.errno());
            assertEquals(full, ns.badblocks(), "a refused store changes nothing");
            ns.badblocksSet(2001, 1);                       // merges 2000, 2001, 2002: one entry fewer
            ns.badblocksSet(5000, 1);                       // so this one fits
            ns.badblocksClear(2001, 1);                     // would split 2000+3 again: dropped
            assertTrue(ns.badblocksCheck(2001, 1));
            ns.badblocksClear(0, 512);                      // the first entry goes whole: fine
            assertFalse(ns.badblocksCheck(0, 512));
            ns.injectError(4000L * 512, 512, true);          // room for one: recorded
            assertTrue(ns.badblocksCheck(4000, 1));
            ns.injectError(3500L * 512, 512, true);          // full: the platform's report is not recorded
            assertFalse(ns.badblocksCheck(3500, 1));
            assertEquals(2, ns.poisonRecords().size(), "the poison is recorded all the same");
        }
        try (Namespace ns = Namespace.open(p)) {
            assertTrue(ns.linuxBadblocksTable());
            assertEquals(Errno.ENOSPC, assertThrows(ErrnoException.class, () -> ns.badblocksSet(7000, 1)).errno());
            ns.setLinuxBadblocksTable(false);
            ns.badblocksSet(7000, 1);
            ns.badblocksSet(7002, 1);
            assertFalse(ns.linuxBadblocksTable());
        }
    }

    @Test
    void uninjectError_forgetsPoisonButNotBadblocks() throws Exception {
        try (Namespace ns = raw(4 * MIB)) {
            ns.injectError(0, 4096, true);
            ns.uninjectError(0, 4096);
            assertEquals(List.of(), ns.poisonRecords());
            assertEquals(List.of(new BadRange(0, 8)), ns.badblocks());
        }
    }

    @Test
    void reconfigure_rawToFsdax_rebasesTheDataAreaOnly() throws Exception {
        Path p = dir.resolve("raw.img");
        try (Namespace ns = raw(64 * MIB)) {
            ns.injectError(32 * MIB, 4096, true);
        }
        Namespace.reconfigure(p, NamespaceMode.FSDAX);
        try (Namespace ns = Namespace.open(p)) {
            assertEquals(NamespaceMode.FSDAX, ns.mode());
            assertEquals(2 * MIB, ns.dataOffset());
            assertEquals(List.of(new BadRange(65536, 8)), ns.badblocks(), "region sectors do not move");
        }
    }

    @Test
    void close_thenUse_failsClearly() throws Exception {
        Namespace ns = raw(4 * MIB);
        ns.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ns.read(0, new byte[1], 0, 1));
        assertTrue(e.getMessage().contains("closed"));
    }
}
