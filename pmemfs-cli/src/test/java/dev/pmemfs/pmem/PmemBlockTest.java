package dev.pmemfs.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.block.BlockHandle;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.BadRange;
import dev.pmemfs.media.ClearFault;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceConfig;
import dev.pmemfs.media.NamespaceMode;
import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PmemBlockTest {
    @TempDir
    Path dir;

    Namespace ns;
    PmemBlock bdev;
    long base;

    @BeforeEach
    void setUp() {
        ns = TestNamespaces.fsdax(dir, 16 * TestNamespaces.MIB);
        bdev = PmemBlock.attach(ns);
        base = ns.dataOffset();
    }

    @AfterEach
    void tearDown() {
        ns.close();
    }

    private static Errno errno(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(ErrnoException.class, e).errno();
    }

    private static byte[] filled(int len, int b) {
        byte[] a = new byte[len];
        Arrays.fill(a, (byte) b);
        return a;
    }

    @Test
    void submitRead_knownBadSector_throwsEioAndCopiesNothing() throws Exception {
        bdev.submitWrite(0, filled(4096, 7), 0, 4096);
        ns.injectError(base + 3 * 512, 256, true);
        byte[] dst = new byte[4096];
        assertEquals(Errno.EIO, errno(() -> bdev.submitRead(0, dst, 0, 4096)));
        assertArrayEquals(new byte[4096], dst, "no partial data");
        byte[] ok = new byte[1024];
        bdev.submitRead(4, ok, 0, 1024);
        assertArrayEquals(filled(1024, 7), ok);
    }

    @Test
    void submitRead_latentPoison_throwsEioAndMakesItKnown() throws Exception {
        ns.injectError(base + 8192, 256, false);
        assertEquals("", bdev.badblocksShow());
        assertEquals(Errno.EIO, errno(() -> bdev.submitRead(16, new byte[512], 0, 512)));
        assertEquals("16 1\n", bdev.badblocksShow());
    }

    @Test
    void submitWrite_overKnownPoison_clearsThenWrites() throws Exception {
        ns.injectError(base + 512, 1024, true);
        assertEquals("1 2\n", bdev.badblocksShow());
        bdev.submitWrite(0, filled(2048, 9), 0, 2048);
        assertEquals("", bdev.badblocksShow());
        byte[] back = new byte[2048];
        bdev.submitRead(0, back, 0, 2048);
        assertArrayEquals(filled(2048, 9), back);
    }

    @Test
    void submitWrite_clearFails_throwsEioWithoutWriting() throws Exception {
        bdev.submitWrite(0, filled(512, 1), 0, 512);
        ns.injectError(base, 512, true);
        ns.setClearFault(new ClearFault.Fail());
        assertEquals(Errno.EIO, errno(() -> bdev.submitWrite(0, filled(512, 2), 0, 512)));
        assertEquals("0 1\n", bdev.badblocksShow());
        ns.setClearFault(ClearFault.NONE);
        assertEquals(256, ns.clearPoison(base, 256));
        byte[] back = new byte[512];
        ns.clearPoison(base + 256, 256);
        ns.read(base, back, 0, 512);
        assertEquals(Namespace.GARBAGE, back[0], "the failed write did not land");
    }

    @Test
    void submitWrite_partialClear_recordsProgressAndFails() throws Exception {
        ns.injectError(base, 4096, true);
        ns.setClearFault(new ClearFault.Partial(1024));
        assertEquals(Errno.EIO, errno(() -> bdev.submitWrite(0, filled(4096, 3), 0, 4096)));
        assertEquals("2 6\n", bdev.badblocksShow(), "fully cleared sectors leave badblocks");
    }

    @Test
    void submitWrite_latentPoisonNotInBadblocks_isNotCleared() throws Exception {
        ns.injectError(base, 256, false);
        bdev.submitWrite(0, filled(512, 5), 0, 512);
        assertTrue(ns.poisoned(base, 256), "is_bad_pmem gates the clear: latent poison survives a write");
        assertEquals(Errno.EIO, errno(() -> bdev.submitRead(0, new byte[512], 0, 512)));
    }

    @Test
    void submitWrite_clearErrUnitLargerThanSector_failsWithEio() throws Exception {
        try (Namespace big = TestNamespaces.create(dir, NamespaceConfig.of(16 * TestNamespaces.MIB, NamespaceMode.RAW)
                .withClearErrUnit(4096))) {
            PmemBlock dev = PmemBlock.attach(big);
            big.injectError(0, 512, true);
            assertEquals(Errno.EIO, errno(() -> dev.submitWrite(0, new byte[512], 0, 512)), "a 512-byte clear is misaligned");
            dev.submitWrite(0, new byte[4096], 0, 4096);
            assertEquals("", dev.badblocksShow());
        }
    }

    @Test
    void submit_beyondEndOrMisaligned_fails() {
        long sectors = bdev.capacityBytes() / 512;
        assertEquals(Errno.EIO, errno(() -> bdev.submitRead(sectors, new byte[512], 0, 512)));
        assertEquals(Errno.EINVAL, errno(() -> bdev.submitRead(0, new byte[100], 0, 100)));
    }

    @Test
    void issueZeroout_clearsPoisonAndZeros() throws Exception {
        bdev.submitWrite(0, filled(8192, 4), 0, 8192);
        ns.injectError(base + 4096, 512, true);
        bdev.issueZeroout(0, 16);
        assertEquals("", bdev.badblocksShow());
        byte[] back = new byte[8192];
        bdev.submitRead(0, back, 0, 8192);
        assertArrayEquals(new byte[8192], back);
    }

    @Test
    void badblocksShow_longRun_splitsAt512() throws Exception {
        bdev.badblocksStore("100 1000\n");
        assertEquals("100 512\n612 488\n", bdev.badblocksShow());
        assertEquals(1000, bdev.badblockCount());
    }

    @Test
    void badblocksShow_fsdax_hidesAndRebasesTheReservation() throws Exception {
        ns.badblocksSet(10, 2); // inside the info-block reservation
        ns.badblocksSet((base >> 9) + 5, 1);
        assertEquals("5 1\n", bdev.badblocksShow());
        assertEquals(List.of(new BadRange(10, 2), new BadRange((base >> 9) + 5, 1)), ns.badblocks());
    }

    @Test
    void badblocksStore_kernelParseRules() throws Exception {
        bdev.badblocksStore("8 8");
        bdev.badblocksStore("  32   4\n");
        bdev.badblocksStore("64 1\n\n"); // %c takes the first newline; the rest is never read
        assertEquals("8 8\n32 4\n64 1\n", bdev.badblocksShow());
        for (String bad : new String[] {"", "\n", "12", "12 0", "12 -3", "x 1", "-1 4", "12 4 ", "12 4x",
                "0x10 4", "99999999999999999999 1"}) {
            assertEquals(Errno.EINVAL, errno(() -> bdev.badblocksStore(bad)), "'" + bad + "'");
        }
        assertEquals("8 8\n32 4\n64 1\n", bdev.badblocksShow(), "refused stores change nothing");
    }

    @Test
    void badblocksStore_softwarePoison_failsReadsAndAWriteClearsIt() throws Exception {
        bdev.badblocksStore("40 8\n");
        assertEquals(Errno.EIO, errno(() -> bdev.submitRead(40, new byte[4096], 0, 4096)));
        bdev.submitWrite(40, new byte[4096], 0, 4096);
        assertEquals("", bdev.badblocksShow());
    }

    @Test
    void badblocks_survivesReopen() throws Exception {
        bdev.badblocksStore("7 3");
        Path image = ns.image();
        ns.close();
        ns = Namespace.open(image);
        assertEquals("7 3\n", PmemBlock.attach(ns).badblocksShow());
    }

    // ---- handles ----

    @Test
    void handle_oDirectRules() throws Exception {
        try (BlockHandle ro = bdev.open(false); BlockHandle rw = bdev.open(true)) {
            assertEquals(Errno.EINVAL, errno(() -> ro.read(100, new byte[512], 0, 512)));
            assertEquals(Errno.EINVAL, errno(() -> ro.read(0, new byte[500], 0, 500)));
            assertEquals(Errno.EINVAL, errno(() -> ro.read(-512, new byte[512], 0, 512)));
            assertEquals(Errno.EBADF, errno(() -> ro.write(0, new byte[512], 0, 512)));
            long size = bdev.capacityBytes();
            assertEquals(0, ro.read(size, new byte[512], 0, 512), "read at the end returns 0");
            assertEquals(512, ro.read(size - 512, new byte[1024], 0, 1024), "a read crossing the end is short");
            assertEquals(Errno.ENOSPC, errno(() -> rw.write(size, new byte[512], 0, 512)));
            assertEquals(512, rw.write(size - 512, new byte[1024], 0, 1024));
        }
        BlockHandle closed = bdev.open(false);
        closed.close();
        assertEquals(Errno.EBADF, errno(() -> closed.read(0, new byte[512], 0, 512)));
    }

    @Test
    void zeroout_kernelArgumentChecks() throws Exception {
        long size = bdev.capacityBytes();
        try (BlockHandle ro = bdev.open(false); BlockHandle rw = bdev.open(true)) {
            assertEquals(Errno.EBADF, errno(() -> ro.zeroout(0, 512)));
            assertEquals(Errno.EINVAL, errno(() -> rw.zeroout(1, 512)));
            assertEquals(Errno.EINVAL, errno(() -> rw.zeroout(0, 100)));
            assertEquals(Errno.EINVAL, errno(() -> rw.zeroout(0, 0)), "len 0: end wraps below start");
            assertEquals(Errno.EINVAL, errno(() -> rw.zeroout(512, 0)));
            assertEquals(Errno.EINVAL, errno(() -> rw.zeroout(size - 512, 1024)));
            assertEquals(Errno.EINVAL, errno(() -> rw.zeroout(-512, 512)), "as u64 the start is past the end");
            assertEquals(Errno.EINVAL, errno(() -> rw.zeroout(512, -512)), "wrapping length");
            rw.write(0, filled(1024, 1), 0, 1024);
            ns.injectError(base + 512, 256, true);
            rw.zeroout(0, 1024);
            assertEquals("", bdev.badblocksShow());
            byte[] back = new byte[1024];
            rw.read(0, back, 0, 1024);
            assertArrayEquals(new byte[1024], back);
            rw.zeroout(size - 512, 512);
        }
    }
}
