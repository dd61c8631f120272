package dev.pmemfs.dax;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.BadRange;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every driver's {@link DaxOperations} keeps (what drivers/dax/super.c and fs/dax.c rely on;
 * reference §1.1, §1.2, §1.4). A driver's test subclasses this and supplies a fresh device and a way to
 * poison it, as Lucene's BaseDirectoryTestCase does for directories.
 */
public abstract class DaxOperationsContract {
    protected static final int PAGE = DaxDevice.PAGE_SIZE;
    private static final int SECTORS_PER_PAGE = PAGE / 512;

    protected DaxOperations ops;

    /** A fresh device of at least 32 pages with no poison. */
    protected abstract DaxOperations newOps() throws Exception;

    /** Poisons the media under device sector {@code sector} and makes it known (in the driver's badblocks). */
    protected abstract void poisonKnown(long sector) throws Exception;

    /** Releases what {@link #newOps} made. */
    protected abstract void closeOps() throws Exception;

    @BeforeEach
    final void openContractDevice() throws Exception {
        ops = newOps();
    }

    @AfterEach
    final void closeContractDevice() throws Exception {
        closeOps();
    }

    private static byte[] filled(int len, int b) {
        byte[] a = new byte[len];
        Arrays.fill(a, (byte) b);
        return a;
    }

    private boolean accessible(long pgoff, long n) throws ErrnoException {
        try {
            return ops.directAccess(pgoff, n, DaxAccessMode.ACCESS) >= n;
        } catch (ErrnoException e) {
            assertEquals(Errno.EHWPOISON, e.errno(), "ACCESS over known poison fails with EHWPOISON only");
            return false;
        }
    }

    @Test
    void nrPages_isPositiveAndStable() {
        long n = ops.nrPages();
        assertTrue(n >= 32, "the contract needs 32 pages, the device has " + n);
        assertEquals(n, ops.nrPages());
    }

    @Test
    void directAccess_cleanRange_givesAtLeastWhatWasAskedUpToTheEnd() throws Exception {
        long n = ops.nrPages();
        assertTrue(ops.directAccess(0, 4, DaxAccessMode.ACCESS) >= 4);
        long atEnd = ops.directAccess(n - 2, 8, DaxAccessMode.ACCESS);
        assertTrue(atEnd >= 1 && atEnd <= 2, "never past the device end: " + atEnd);
        assertEquals(0, ops.directAccess(n, 1, DaxAccessMode.ACCESS), "no page past the end (the core says ERANGE)");
    }

    @Test
    void directAccess_access_knownBadSectorAnywhereInTheRange_isEhwpoison() throws Exception {
        poisonKnown(6 * SECTORS_PER_PAGE + 5);
        ErrnoException e = assertThrows(ErrnoException.class, () -> ops.directAccess(2, 8, DaxAccessMode.ACCESS));
        assertEquals(Errno.EHWPOISON, e.errno());
        assertTrue(accessible(0, 6), "the pages before the bad one stay accessible");
        assertTrue(accessible(7, 4), "and those after it");
    }

    @Test
    void directAccess_recoveryWrite_returnsTheStrideUpToAndIncludingTheFirstBadPage() throws Exception {
        poisonKnown(4 * SECTORS_PER_PAGE);
        assertEquals(4, ops.directAccess(0, 16, DaxAccessMode.RECOVERY_WRITE));
        assertEquals(1, ops.directAccess(4, 16, DaxAccessMode.RECOVERY_WRITE), "a bad first page: one page");
        poisonKnown(9 * SECTORS_PER_PAGE + 3);
        assertEquals(5, ops.directAccess(5, 16, DaxAccessMode.RECOVERY_WRITE), "a bad sector inside a page rounds up");
    }

    @Test
    void map_windowCoversThePagesAndRoundTrips() throws Exception {
        DaxWindow w = ops.map(3, 2);
        assertEquals(3, w.pgoff());
        assertEquals(2, w.nrPages());
        w.write(100, filled(2 * PAGE - 200, 7), 0, 2 * PAGE - 200);
        byte[] back = new byte[2 * PAGE - 200];
        assertTrue(ops.map(3, 2).read(100, back, 0, back.length).isComplete());
        assertArrayEquals(filled(2 * PAGE - 200, 7), back);
        assertThrows(IndexOutOfBoundsException.class, () -> w.read(2 * PAGE - 1, new byte[2], 0, 2), "a window ends where it ends");
    }

    @Test
    void zeroPageRange_clearsThePoisonAndZerosThePage() throws Exception {
        ops.map(1, 1).write(0, filled(PAGE, 9), 0, PAGE);
        poisonKnown(SECTORS_PER_PAGE + 2);
        ops.zeroPageRange(1, 1);
        assertTrue(accessible(1, 1));
        assertEquals(List.of(), ops.badblocks());
        byte[] back = filled(PAGE, 1);
        assertTrue(ops.map(1, 1).read(0, back, 0, PAGE).isComplete());
        assertArrayEquals(new byte[PAGE], back);
    }

    @Test
    void recoveryWrite_wholePageOverPoison_clearsWritesAndThenDropsTheRecords() throws Exception {
        poisonKnown(2 * SECTORS_PER_PAGE + 1);
        DaxWindow w = ops.map(2, ops.directAccess(2, 1, DaxAccessMode.RECOVERY_WRITE));
        assertEquals(PAGE, ops.recoveryWrite(w, 0, filled(PAGE, 6), 0, PAGE));
        assertTrue(accessible(2, 1));
        byte[] back = new byte[PAGE];
        assertTrue(ops.map(2, 1).read(0, back, 0, PAGE).isComplete());
        assertArrayEquals(filled(PAGE, 6), back);
    }

    @Test
    void recoveryWrite_partOfAPoisonedPage_writesNothingAndKeepsTheRecords() throws Exception {
        poisonKnown(2 * SECTORS_PER_PAGE);
        List<BadRange> before = ops.badblocks();
        DaxWindow w = ops.map(2, 1);
        assertEquals(0, ops.recoveryWrite(w, 0, filled(512, 6), 0, 512));
        assertEquals(0, ops.recoveryWrite(w, 512, filled(PAGE - 512, 6), 0, PAGE - 512));
        assertEquals(before, ops.badblocks());
        assertFalse(accessible(2, 1));
    }

    @Test
    void recoveryWrite_cleanRange_isAnOrdinaryCopy() throws Exception {
        DaxWindow w = ops.map(2, 2);
        assertEquals(100, ops.recoveryWrite(w, PAGE + 10, filled(100, 8), 0, 100));
        byte[] back = new byte[100];
        assertTrue(w.read(PAGE + 10, back, 0, 100).isComplete());
        assertArrayEquals(filled(100, 8), back);
    }

    @Test
    void zeroinitRange_zerosAndClearsInPlace() throws Exception {
        ops.map(0, 4).write(0, filled(4 * PAGE, 3), 0, 4 * PAGE);
        poisonKnown(SECTORS_PER_PAGE);
        poisonKnown(3 * SECTORS_PER_PAGE + 4);
        ops.zeroinitRange(0, 4);
        assertEquals(List.of(), ops.badblocks());
        byte[] back = new byte[4 * PAGE];
        assertTrue(ops.map(0, 4).read(0, back, 0, back.length).isComplete());
        assertArrayEquals(new byte[4 * PAGE], back);
    }

    @Test
    void badblocks_listsKnownSectorsAscendingInDeviceSectors() throws Exception {
        assertEquals(List.of(), ops.badblocks());
        poisonKnown(40);
        poisonKnown(3);
        List<BadRange> bb = ops.badblocks();
        assertEquals(2, bb.size(), bb.toString());
        assertTrue(bb.get(0).startSector() <= 3 && bb.get(0).startSector() + bb.get(0).nrSectors() > 3);
        assertTrue(bb.get(1).startSector() <= 40 && bb.get(1).startSector() + bb.get(1).nrSectors() > 40);
    }

    @Test
    void markPoisoned_makesWholePagesKnownBad() throws Exception {
        ops.markPoisoned(5, 1);
        assertEquals(List.of(new BadRange(5 * SECTORS_PER_PAGE, SECTORS_PER_PAGE)), ops.badblocks());
        assertFalse(accessible(5, 1));
        assertTrue(accessible(4, 1));
        assertTrue(accessible(6, 1));
    }
}
