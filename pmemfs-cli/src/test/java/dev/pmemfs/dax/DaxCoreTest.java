package dev.pmemfs.dax;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.BadRange;
import dev.pmemfs.media.ByteRange;
import dev.pmemfs.media.CopyResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checks of drivers/dax/super.c, made by {@link DaxCore} for any driver: here a hand-written fake
 * driver that only counts pages and records what it was asked, so the core is seen to need nothing but
 * {@link DaxOperations}.
 */
class DaxCoreTest {
    /** A driver of 16 pages with no media: every page is accessible unless listed in {@code bad}. */
    static final class FakeOps implements DaxOperations {
        final List<BadRange> bad = new ArrayList<>();
        final List<String> calls = new ArrayList<>();
        long answer = -1;

        @Override
        public long nrPages() {
            return 16;
        }

        @Override
        public long directAccess(long pgoff, long nrPages, DaxAccessMode mode) throws ErrnoException {
            calls.add("direct_access " + pgoff + " " + nrPages);
            return answer >= 0 ? answer : Math.max(0, 16 - pgoff);
        }

        @Override
        public DaxWindow map(long pgoff, long nrPages) {
            calls.add("map " + pgoff + " " + nrPages);
            return new DaxWindow() {
                public long pgoff() { return pgoff; }
                public long nrPages() { return nrPages; }
                public CopyResult read(long o, byte[] d, int off, int len) { return CopyResult.complete(len); }
                public void write(long o, byte[] s, int off, int len) {}
                public void zero(long o, long len) {}
                public long loadLong(long o) { return 0; }
                public void storeLong(long o, long v) {}
                public void flush(long o, long len) {}
            };
        }

        @Override
        public void zeroPageRange(long pgoff, long nrPages) throws ErrnoException {
            throw new ErrnoException(Errno.EHWPOISON, "fake_zero_page_range", "page " + pgoff + " is poisoned");
        }

        @Override
        public long recoveryWrite(DaxWindow w, long offset, byte[] src, int srcOff, int len) {
            calls.add("recovery_write " + offset + " " + len);
            return len;
        }

        @Override
        public void zeroinitRange(long pgoff, long nrPages) {
            calls.add("zeroinit " + pgoff + " " + nrPages);
        }

        @Override
        public void fence() {}

        @Override
        public List<BadRange> badblocks() {
            return List.copyOf(bad);
        }

        @Override
        public void markPoisoned(long pgoff, long nrPages) {
            bad.add(new BadRange(pgoff * 8, nrPages * 8));
        }
    }

    private final FakeOps ops = new FakeOps();
    private final DaxCore core = new DaxCore("fake0", ops);

    private static Errno errno(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(ErrnoException.class, e).errno();
    }

    @Test
    void directAccess_negativeIsEinval_zeroIsErange_moreIsClampedToTheRequest() throws Exception {
        assertEquals(Errno.EINVAL, errno(() -> core.directAccess(0, -1, DaxAccessMode.ACCESS)));
        assertEquals(Errno.ERANGE, errno(() -> core.directAccess(0, 0, DaxAccessMode.ACCESS)));
        assertEquals(Errno.ERANGE, errno(() -> core.directAccess(16, 1, DaxAccessMode.ACCESS)));
        assertEquals(3, core.directAccess(2, 3, DaxAccessMode.ACCESS).nrPages(), "16-2 available, 3 asked");
        ops.answer = 1;
        assertEquals(1, core.directAccess(2, 3, DaxAccessMode.ACCESS).nrPages(), "a short answer stays short");
        assertEquals(16, core.nrPages());
    }

    @Test
    void zeroPageRange_onePageOnly_andPoisonIsEioAsABlockDevice() {
        assertEquals(Errno.EIO, errno(() -> core.zeroPageRange(0, 2)));
        assertEquals(Errno.EIO, errno(() -> core.zeroPageRange(0, 1)), "dax_mem2blk_err: EHWPOISON becomes EIO");
    }

    @Test
    void recoveryWrite_outsideTheWindow_isRefusedBeforeTheDriver() throws Exception {
        DaxWindow w = core.directAccess(0, 1, DaxAccessMode.RECOVERY_WRITE);
        assertThrows(IndexOutOfBoundsException.class, () -> core.recoveryWrite(w, PAGE_SIZE(), new byte[8], 0, 8));
        assertEquals(8, core.recoveryWrite(w, 0, new byte[8], 0, 8));
    }

    private static long PAGE_SIZE() {
        return DaxDevice.PAGE_SIZE;
    }

    @Test
    void zeroinitRange_zeroPagesIsNothing_negativeIsEinval() throws Exception {
        core.zeroinitRange(3, 0);
        assertEquals(Errno.EINVAL, errno(() -> core.zeroinitRange(3, -1)));
        assertEquals(List.of(), ops.calls);
    }

    @Test
    void memoryFailure_marksThroughTheDriverAndNotifiesTheHolder() throws Exception {
        List<long[]> heard = new ArrayList<>();
        core.setHolder((off, len, flags) -> heard.add(new long[] {off, len, flags}));
        core.memoryFailure(5, DaxHolder.MF_ACTION_REQUIRED);
        assertEquals(List.of(new BadRange(40, 8)), ops.bad);
        assertArrayEquals(new long[] {5 * 4096, 4096, DaxHolder.MF_ACTION_REQUIRED}, heard.get(0));
        assertEquals(List.of(new ByteRange(5 * 4096, 4096)), core.knownBadRanges());
        assertEquals(Errno.ENXIO, errno(() -> core.memoryFailure(16, 0)));
    }

    @Test
    void holderError_isThrownToTheCaller_notKept() throws Exception {
        ErrnoException refusal = new ErrnoException(Errno.EUCLEAN, "notify_failure", "metadata lost");
        core.setHolder((off, len, flags) -> {
            throw refusal;
        });
        assertSame(refusal, assertThrows(ErrnoException.class, () -> core.memoryFailure(1, DaxHolder.MF_ACTION_REQUIRED)));
        assertSame(refusal, assertThrows(ErrnoException.class,
                () -> core.holderNotifyFailure(0, 4096, DaxHolder.MF_ACTION_REQUIRED)));
    }

    @Test
    void kill_notifiesPreRemoveThenEverythingIsEnxio() throws Exception {
        List<long[]> heard = new ArrayList<>();
        core.setHolder((off, len, flags) -> heard.add(new long[] {off, len, flags}));
        core.kill();
        assertArrayEquals(new long[] {0, Long.MAX_VALUE, DaxHolder.MF_MEM_PRE_REMOVE}, heard.get(0));
        assertEquals(Errno.ENXIO, errno(() -> core.directAccess(0, 1, DaxAccessMode.ACCESS)));
        assertEquals(Errno.ENXIO, errno(() -> core.zeroPageRange(0, 1)));
        assertEquals(Errno.ENXIO, errno(() -> core.memoryFailure(0, 0)));
        core.kill();
        assertEquals(1, heard.size(), "a dead device is killed once");
    }
}
