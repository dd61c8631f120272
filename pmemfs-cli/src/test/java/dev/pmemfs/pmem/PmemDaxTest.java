package dev.pmemfs.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.dax.DaxHolder;
import dev.pmemfs.dax.DaxPoisonException;
import dev.pmemfs.dax.DaxWindow;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.ByteRange;
import dev.pmemfs.media.ClearFault;
import dev.pmemfs.media.CopyResult;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceConfig;
import dev.pmemfs.media.NamespaceMode;
import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DAX rules of reference §1.1, §1.2 and §1.4, through {@link Pmem}. */
class PmemDaxTest {
    private static final int PAGE = DaxDevice.PAGE_SIZE;

    @TempDir
    Path dir;

    Namespace ns;
    Pmem pmem;
    DaxDevice dax;
    BlockDevice bdev;
    final List<long[]> notified = new ArrayList<>();

    @BeforeEach
    void setUp() {
        ns = TestNamespaces.fsdax(dir, 16 * TestNamespaces.MIB);
        pmem = Pmem.attach(ns);
        dax = pmem.dax();
        bdev = pmem.block();
        dax.setHolder((off, len, flags) -> notified.add(new long[] {off, len, flags}));
    }

    @AfterEach
    void tearDown() {
        ns.close();
    }

    private static Errno errno(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(ErrnoException.class, e).errno();
    }

    private void poisonSector(long sector) throws Exception {
        ns.injectError(ns.dataOffset() + sector * 512, 512, true);
    }

    private static byte[] filled(int len, int b) {
        byte[] a = new byte[len];
        Arrays.fill(a, (byte) b);
        return a;
    }

    // ---- directAccess ----

    @Test
    void directAccess_coreChecks() throws Exception {
        assertEquals(Errno.EINVAL, errno(() -> dax.directAccess(0, -1, DaxAccessMode.ACCESS)));
        assertEquals(Errno.ERANGE, errno(() -> dax.directAccess(dax.nrPages(), 1, DaxAccessMode.ACCESS)));
        assertEquals(Errno.ERANGE, errno(() -> dax.directAccess(0, 0, DaxAccessMode.ACCESS)));
        assertEquals(4, dax.directAccess(dax.nrPages() - 4, 100, DaxAccessMode.ACCESS).nrPages(), "clamped to the device");
        assertEquals(7, dax.directAccess(3, 7, DaxAccessMode.ACCESS).nrPages(), "clamped to what was asked");
    }

    @Test
    void directAccess_badSectorAnywhereInTheRange_throwsEhwpoison() throws Exception {
        poisonSector(10 * 8 + 7); // last sector of page 10
        assertEquals(Errno.EHWPOISON, errno(() -> dax.directAccess(0, 11, DaxAccessMode.ACCESS)),
                "a read starting in a good page still fails when a later page is bad");
        assertEquals(10, dax.directAccess(0, 10, DaxAccessMode.ACCESS).nrPages());
        assertEquals(5, dax.directAccess(11, 5, DaxAccessMode.ACCESS).nrPages());
    }

    @Test
    void directAccess_recoveryWrite_strideStopsAtTheFirstBadPage() throws Exception {
        poisonSector(4 * 8); // first sector of page 4
        assertEquals(4, dax.directAccess(0, 16, DaxAccessMode.RECOVERY_WRITE).nrPages());
        assertEquals(1, dax.directAccess(4, 16, DaxAccessMode.RECOVERY_WRITE).nrPages(), "a bad first page: one page");
        poisonSector(9 * 8 + 3); // inside page 9: rounded up to include it
        assertEquals(5, dax.directAccess(5, 16, DaxAccessMode.RECOVERY_WRITE).nrPages(), "pages 5..8 plus page 9");
    }

    @Test
    void directAccess_latentPoison_isNotKnownSoAccessSucceeds() throws Exception {
        ns.injectError(ns.dataOffset() + 2 * PAGE, 256, false);
        DaxWindow w = dax.directAccess(0, 4, DaxAccessMode.ACCESS);
        byte[] dst = new byte[4 * PAGE];
        CopyResult r = w.read(0, dst, 0, dst.length);
        assertEquals(new CopyResult(2 * PAGE, 2 * PAGE), r, "copy_mc stops at the poison, offsets are device offsets");
        assertEquals(1, notified.size());
        assertArrayEquals(new long[] {2 * PAGE, PAGE, DaxHolder.MF_ACTION_REQUIRED}, notified.get(0));
        assertEquals(Errno.EHWPOISON, errno(() -> dax.directAccess(0, 4, DaxAccessMode.ACCESS)), "now it is known");
    }

    @Test
    void window_loadLong_poisonedWordThrowsWithPageOffset() throws Exception {
        ns.injectError(ns.dataOffset() + 3 * PAGE + 512, 256, false);
        DaxWindow w = dax.directAccess(3, 1, DaxAccessMode.ACCESS);
        w.storeLong(0, 42);
        w.flush(0, 8);
        assertEquals(42, w.loadLong(0));
        DaxPoisonException e = assertThrows(DaxPoisonException.class, () -> w.loadLong(512 + 8));
        assertEquals(3 * PAGE, e.deviceOffset());
        assertEquals(1, notified.size());
        assertThrows(IndexOutOfBoundsException.class, () -> w.loadLong(PAGE));
    }

    // ---- zeroPageRange ----

    @Test
    void zeroPageRange_morethanOnePage_throwsEio() {
        assertEquals(Errno.EIO, errno(() -> dax.zeroPageRange(0, 2)));
        assertEquals(Errno.EIO, errno(() -> dax.zeroPageRange(0, 0)));
    }

    @Test
    void zeroPageRange_clearFails_throwsEioAndLeavesThePoison() throws Exception {
        poisonSector(8);
        ns.setClearFault(new ClearFault.Fail());
        assertEquals(Errno.EIO, errno(() -> dax.zeroPageRange(1, 1)));
        assertEquals("8 1\n", bdev.badblocksShow());
    }

    @Test
    void window_zero_doesNotClearPoison() throws Exception {
        poisonSector(8);
        DaxWindow w = dax.directAccess(1, 1, DaxAccessMode.RECOVERY_WRITE);
        w.zero(0, PAGE);
        assertEquals("8 1\n", bdev.badblocksShow(), "dax_memzero stores; it clears nothing");
    }

    // ---- recoveryWrite ----

    @Test
    void recoveryWrite_pageAligned_clearsWritesAndDropsRecords() throws Exception {
        poisonSector(2 * 8 + 1);
        DaxWindow w = dax.directAccess(2, 1, DaxAccessMode.RECOVERY_WRITE);
        assertEquals(PAGE, dax.recoveryWrite(w, 0, filled(PAGE, 6), 0, PAGE));
        assertEquals("", bdev.badblocksShow());
        assertTrue(ns.poisonRecords().isEmpty());
        byte[] back = new byte[PAGE];
        assertTrue(dax.directAccess(2, 1, DaxAccessMode.ACCESS).read(0, back, 0, PAGE).isComplete());
        assertArrayEquals(filled(PAGE, 6), back);
    }

    @Test
    void recoveryWrite_subPageOrMisaligned_returnsZeroAndChangesNothing() throws Exception {
        poisonSector(2 * 8);
        DaxWindow w = dax.directAccess(2, 1, DaxAccessMode.RECOVERY_WRITE);
        assertEquals(0, dax.recoveryWrite(w, 0, filled(512, 6), 0, 512));
        assertEquals(0, dax.recoveryWrite(w, 512, filled(PAGE - 512, 6), 0, PAGE - 512));
        assertEquals("16 1\n", bdev.badblocksShow());
        assertTrue(ns.poisoned(ns.dataOffset() + 2 * PAGE, 512));
    }

    @Test
    void recoveryWrite_shortClear_returnsZero() throws Exception {
        poisonSector(2 * 8);
        poisonSector(2 * 8 + 7);
        ns.setClearFault(new ClearFault.Partial(1024));
        DaxWindow w = dax.directAccess(2, 1, DaxAccessMode.RECOVERY_WRITE);
        assertEquals(0, dax.recoveryWrite(w, 0, filled(PAGE, 6), 0, PAGE));
        assertEquals("16 1\n23 1\n", bdev.badblocksShow(), "records are only dropped after a recovery write lands");
    }

    @Test
    void recoveryWrite_clearOfNothing_copiesTheDataAndKeepsTheRecords() throws Exception {
        // pmem_recovery_write refuses only 0 < cleared < len: with nothing cleared it copies and keeps the
        // records (pmem_clear_bb of 0 sectors does nothing), so the page still reads as bad.
        poisonSector(2 * 8);
        ns.setClearFault(new ClearFault.Partial(0));
        DaxWindow w = dax.directAccess(2, 1, DaxAccessMode.RECOVERY_WRITE);
        assertEquals(PAGE, dax.recoveryWrite(w, 0, filled(PAGE, 6), 0, PAGE));
        assertEquals("16 1\n", bdev.badblocksShow());
    }

    @Test
    void recoveryWrite_cleanRange_isAnOrdinaryCopy() throws Exception {
        DaxWindow w = dax.directAccess(2, 2, DaxAccessMode.RECOVERY_WRITE);
        assertEquals(100, dax.recoveryWrite(w, PAGE + 10, filled(100, 8), 0, 100));
        byte[] back = new byte[100];
        w.read(PAGE + 10, back, 0, 100);
        assertArrayEquals(filled(100, 8), back);
    }

    // ---- zeroinitRange ----

    @Test
    void zeroinitRange_clearsKnownPoisonInPlaceAndZeros() throws Exception {
        DaxWindow w = dax.directAccess(0, 4, DaxAccessMode.ACCESS);
        w.write(0, filled(4 * PAGE, 3), 0, 4 * PAGE);
        poisonSector(8);
        poisonSector(3 * 8 + 4);
        dax.zeroinitRange(0, 4);
        assertEquals("", bdev.badblocksShow());
        byte[] back = new byte[4 * PAGE];
        assertTrue(dax.directAccess(0, 4, DaxAccessMode.ACCESS).read(0, back, 0, back.length).isComplete());
        assertArrayEquals(new byte[4 * PAGE], back);
    }

    @Test
    void zeroinitRange_shortClear_throwsEio() throws Exception {
        poisonSector(0);
        poisonSector(15);
        ns.setClearFault(new ClearFault.Partial(PAGE));
        assertEquals(Errno.EIO, errno(() -> dax.zeroinitRange(0, 2)));
        assertEquals("15 1\n", bdev.badblocksShow());
        assertEquals(Errno.EINVAL, errno(() -> dax.zeroinitRange(dax.nrPages() - 1, 2)));
    }

    // ---- holder, memory failure, teardown ----

    @Test
    void memoryFailure_marksThePageKnownAndNotifies() throws Exception {
        dax.memoryFailure(5, DaxHolder.MF_ACTION_REQUIRED | DaxHolder.MF_SW_SIMULATED);
        assertArrayEquals(new long[] {5 * PAGE, PAGE, DaxHolder.MF_ACTION_REQUIRED | DaxHolder.MF_SW_SIMULATED}, notified.get(0));
        assertEquals("40 8\n", bdev.badblocksShow());
        assertEquals(List.of(new ByteRange(5 * PAGE, PAGE)), dax.knownBadRanges());
        assertEquals(Errno.ENXIO, errno(() -> dax.memoryFailure(dax.nrPages(), 0)));
    }

    @Test
    void knownBadRanges_arePageGranularAndMerged() throws Exception {
        bdev.badblocksStore("1 1");
        bdev.badblocksStore("9 1");
        bdev.badblocksStore("40 1");
        assertEquals(List.of(new ByteRange(0, 2 * PAGE), new ByteRange(5 * PAGE, PAGE)), dax.knownBadRanges());
    }

    @Test
    void consumedPoison_holderError_reachesTheLoadThatConsumedIt() throws Exception {
        ErrnoException refusal = new ErrnoException(Errno.EUCLEAN, "notify_failure", "metadata block lost");
        dax.setHolder((off, len, flags) -> {
            throw refusal;
        });
        ns.injectError(ns.dataOffset() + 2 * PAGE, 256, false);
        CopyResult r = dax.directAccess(2, 1, DaxAccessMode.ACCESS).read(0, new byte[PAGE], 0, PAGE);
        assertEquals(0, r.bytesCopied());
        assertSame(refusal, r.notifyError(), "the copy's result carries the holder's answer");
        ns.injectError(ns.dataOffset() + 3 * PAGE, 256, false);
        DaxWindow w = dax.directAccess(3, 1, DaxAccessMode.ACCESS);
        DaxPoisonException e = assertThrows(DaxPoisonException.class, () -> w.loadLong(0));
        assertSame(refusal, e.holderError().orElseThrow());
        assertSame(refusal, e.getCause());
    }

    @Test
    void consumedPoisonInTheReservation_notifiesNobody() throws Exception {
        ns.injectError(4096, 256, false); // the info block area
        ns.read(4096, new byte[16], 0, 16);
        assertTrue(notified.isEmpty());
    }

    @Test
    void detach_notifiesPreRemoveThenTheDeviceIsDead() throws Exception {
        pmem.detach();
        assertArrayEquals(new long[] {0, Long.MAX_VALUE, DaxHolder.MF_MEM_PRE_REMOVE}, notified.get(0));
        assertEquals(Errno.ENXIO, errno(() -> dax.directAccess(0, 1, DaxAccessMode.ACCESS)));
        assertEquals(Errno.ENXIO, errno(() -> dax.zeroPageRange(0, 1)));
        assertEquals(Errno.ENXIO, errno(() -> dax.zeroinitRange(0, 1)));
    }

    @Test
    void devdax_hasNoBlockDeviceAndNoZeroingOps() throws Exception {
        try (Namespace d = TestNamespaces.create(dir, NamespaceConfig.of(16 * TestNamespaces.MIB, NamespaceMode.DEVDAX).withId(1))) {
            Pmem p = Pmem.attach(d);
            assertTrue(p.blockDevice().isEmpty());
            assertThrows(IllegalStateException.class, p::block);
            DaxDevice dd = p.dax();
            assertEquals("dax1.0", dd.name());
            assertEquals(2, dd.directAccess(0, 2, DaxAccessMode.ACCESS).nrPages());
            assertEquals(Errno.EOPNOTSUPP, errno(() -> dd.zeroPageRange(0, 1)));
            assertEquals(Errno.EOPNOTSUPP, errno(() -> dd.zeroinitRange(0, 1)));
            DaxWindow w = dd.directAccess(0, 1, DaxAccessMode.RECOVERY_WRITE);
            d.badblocksSet(d.dataOffset() / 512, 8);
            assertEquals(0, dd.recoveryWrite(w, 0, new byte[PAGE], 0, PAGE));
        }
    }
}
