package dev.pmemfs.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The rules every {@link BlockDevice} keeps: bios, the sysfs badblocks file, and an opened device
 * node with O_DIRECT and BLKZEROOUT (block/fops.c, block/ioctl.c, block/badblocks.c; reference §2.3,
 * §6). It poisons through the device's own badblocks file, so a driver's test only supplies a fresh
 * device, as Lucene's BaseDirectoryTestCase does for directories.
 */
public abstract class BlockDeviceContract {
    protected BlockDevice bdev;

    /** A fresh device of at least 1 MiB with no bad sectors. */
    protected abstract BlockDevice newDevice() throws Exception;

    /** Releases what {@link #newDevice} made. */
    protected abstract void closeDevice() throws Exception;

    @BeforeEach
    final void openContractDevice() throws Exception {
        bdev = newDevice();
    }

    @AfterEach
    final void closeContractDevice() throws Exception {
        closeDevice();
    }

    private static Errno errno(Executable e) {
        return assertThrows(ErrnoException.class, e).errno();
    }

    private static byte[] filled(int len, int b) {
        byte[] a = new byte[len];
        Arrays.fill(a, (byte) b);
        return a;
    }

    @Test
    void capacity_isWholePagesAndAtLeastAMebibyte() {
        assertEquals(0, bdev.capacityBytes() % 4096);
        assertTrue(bdev.capacityBytes() >= 1 << 20);
    }

    @Test
    void submit_writeThenRead_roundTrips() throws Exception {
        bdev.submitWrite(3, filled(1536, 4), 0, 1536);
        byte[] back = new byte[1536];
        bdev.submitRead(3, back, 0, 1536);
        assertArrayEquals(filled(1536, 4), back);
    }

    @Test
    void submitRead_badSector_isEioAndCopiesNothing() throws Exception {
        bdev.submitWrite(0, filled(4096, 7), 0, 4096);
        bdev.badblocksStore("5 1\n");
        byte[] dst = new byte[4096];
        assertEquals(Errno.EIO, errno(() -> bdev.submitRead(0, dst, 0, 4096)));
        assertArrayEquals(new byte[4096], dst, "no partial data");
        byte[] ok = new byte[2048];
        bdev.submitRead(0, ok, 0, 2048);
        assertArrayEquals(filled(2048, 7), ok, "the sectors before it read");
    }

    @Test
    void submitWrite_overBadSectors_clearsThemAndTheDataReadsBack() throws Exception {
        bdev.badblocksStore("8 4\n");
        bdev.submitWrite(8, filled(2048, 9), 0, 2048);
        assertEquals("", bdev.badblocksShow());
        byte[] back = new byte[2048];
        bdev.submitRead(8, back, 0, 2048);
        assertArrayEquals(filled(2048, 9), back);
    }

    @Test
    void submit_misalignedOrPastTheEnd_fails() {
        long sectors = bdev.capacityBytes() / 512;
        assertEquals(Errno.EIO, errno(() -> bdev.submitRead(sectors, new byte[512], 0, 512)));
        assertEquals(Errno.EIO, errno(() -> bdev.submitWrite(sectors - 1, new byte[1024], 0, 1024)));
        assertEquals(Errno.EINVAL, errno(() -> bdev.submitRead(0, new byte[100], 0, 100)));
        assertEquals(Errno.EINVAL, errno(() -> bdev.submitRead(-1, new byte[512], 0, 512)));
    }

    @Test
    void issueZeroout_zerosAndClearsBadSectors() throws Exception {
        bdev.submitWrite(0, filled(8192, 4), 0, 8192);
        bdev.badblocksStore("9 2\n");
        bdev.issueZeroout(0, 16);
        assertEquals("", bdev.badblocksShow());
        byte[] back = filled(8192, 1);
        bdev.submitRead(0, back, 0, 8192);
        assertArrayEquals(new byte[8192], back);
    }

    @Test
    void badblocks_showIsAscendingStartLenLinesSplitAt512() throws Exception {
        assertEquals("", bdev.badblocksShow());
        bdev.badblocksStore("1000 1000\n");
        bdev.badblocksStore("10 2\n");
        assertEquals("10 2\n1000 512\n1512 488\n", bdev.badblocksShow());
    }

    @Test
    void badblocksStore_refusedTextIsEinvalAndChangesNothing() throws Exception {
        bdev.badblocksStore("8 8");
        for (String bad : new String[] {"", "\n", "12", "12 0", "12 -3", "x 1", "-1 4", "12 4 ", "12 4x",
                "0x10 4", "99999999999999999999 1"}) {
            assertEquals(Errno.EINVAL, errno(() -> bdev.badblocksStore(bad)), "'" + bad + "'");
        }
        assertEquals("8 8\n", bdev.badblocksShow());
    }

    @Test
    void handle_oDirectRulesAndTheEnd() throws Exception {
        long size = bdev.capacityBytes();
        try (BlockHandle ro = bdev.open(false); BlockHandle rw = bdev.open(true)) {
            assertEquals(false, ro.writable());
            assertEquals(true, rw.writable());
            assertEquals(Errno.EINVAL, errno(() -> ro.read(100, new byte[512], 0, 512)));
            assertEquals(Errno.EINVAL, errno(() -> ro.read(0, new byte[500], 0, 500)));
            assertEquals(Errno.EBADF, errno(() -> ro.write(0, new byte[512], 0, 512)));
            assertEquals(0, ro.read(size, new byte[512], 0, 512), "a read at the end returns 0");
            assertEquals(512, ro.read(size - 512, new byte[1024], 0, 1024), "a read across the end is short");
            assertEquals(Errno.ENOSPC, errno(() -> rw.write(size, new byte[512], 0, 512)));
            assertEquals(512, rw.write(size - 512, new byte[1024], 0, 1024), "a write across the end is short");
            rw.write(4096, filled(512, 3), 0, 512);
            byte[] back = new byte[512];
            assertEquals(512, ro.read(4096, back, 0, 512));
            assertArrayEquals(filled(512, 3), back);
        }
        BlockHandle closed = bdev.open(true);
        closed.close();
        assertEquals(Errno.EBADF, errno(() -> closed.read(0, new byte[512], 0, 512)));
        assertEquals(Errno.EBADF, errno(() -> closed.zeroout(0, 512)));
    }

    @Test
    void handle_badSector_readIsEio_writeClearsIt() throws Exception {
        bdev.badblocksStore("16 1\n");
        try (BlockHandle rw = bdev.open(true)) {
            assertEquals(Errno.EIO, errno(() -> rw.read(8192, new byte[512], 0, 512)));
            assertEquals(512, rw.write(8192, filled(512, 5), 0, 512));
            assertEquals("", bdev.badblocksShow());
        }
    }

    @Test
    void zeroout_blkIoctlZerooutChecks() throws Exception {
        long size = bdev.capacityBytes();
        try (BlockHandle ro = bdev.open(false); BlockHandle rw = bdev.open(true)) {
            assertEquals(Errno.EBADF, errno(() -> ro.zeroout(0, 512)));
            assertEquals(Errno.EINVAL, errno(() -> rw.zeroout(1, 512)));
            assertEquals(Errno.EINVAL, errno(() -> rw.zeroout(0, 100)));
            assertEquals(Errno.EINVAL, errno(() -> rw.zeroout(512, 0)), "empty: end wraps below start");
            assertEquals(Errno.EINVAL, errno(() -> rw.zeroout(size - 512, 1024)));
            assertEquals(Errno.EINVAL, errno(() -> rw.zeroout(-512, 512)), "as u64 the start is past the end");
            rw.write(0, filled(1024, 1), 0, 1024);
            bdev.badblocksStore("1 1\n");
            rw.zeroout(0, 1024);
            assertEquals("", bdev.badblocksShow());
            byte[] back = filled(1024, 2);
            rw.read(0, back, 0, 1024);
            assertArrayEquals(new byte[1024], back);
            rw.zeroout(size - 512, 512);
        }
    }
}
