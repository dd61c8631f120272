package dev.pmemfs.cli.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The expected strings were printed by xfs_io 6.1 (xfsprogs) on Linux; the elapsed times are the
 * ones that reproduce its rate columns.
 */
class IoFormatTest {
    private static final long US = 1000;

    @Test
    void reportIoTimes_wholeKib_matchesXfsIo() {
        assertEquals("wrote 8192/8192 bytes at offset 0\n"
                + "8 KiB, 2 ops; 0.0000 sec (289.352 MiB/sec and 74074.0741 ops/sec)\n",
                IoFormat.reportIoTimes("wrote", 27 * US, 0, 8192, 8192, 2));
    }

    @Test
    void reportIoTimes_bytes_matchesXfsIo() {
        assertEquals("read 32/32 bytes at offset 0\n"
                + "32.000000 bytes, 1 ops; 0.0000 sec (4.360 MiB/sec and 142857.1429 ops/sec)\n",
                IoFormat.reportIoTimes("read", 7 * US, 0, 32, 32, 1));
        assertEquals("read 2/10 bytes at offset 8190\n"
                + "2.000000 bytes, 1 ops; 0.0000 sec (651.042 KiB/sec and 333333.3333 ops/sec)\n",
                IoFormat.reportIoTimes("read", 3 * US, 8190, 10, 2, 1));
    }

    @Test
    void reportIoTimes_roundsHalfToEvenAndDropsDecimalsForWholeValues() {
        assertEquals("2 KiB, 1 ops; 0.0000 sec (122.070 MiB/sec and 50000.0000 ops/sec)",
                IoFormat.reportIoTimes("wrote", 20 * US, 0, 2560, 2560, 1).lines().toList().get(1));
        assertEquals("2 KiB, 1 ops; 0.0000 sec (732 MiB/sec and 500000.0000 ops/sec)",
                IoFormat.reportIoTimes("wrote", 2 * US, 0, 1536, 1536, 1).lines().toList().get(1));
        assertEquals("4 KiB, 4 ops; 0.0000 sec (954 MiB/sec and 1000000.0000 ops/sec)",
                IoFormat.reportIoTimes("wrote", 4 * US, 0, 4000, 4000, 4).lines().toList().get(1));
        assertEquals("4.000000 bytes, 1 ops; 0.0000 sec (4 MiB/sec and 1000000.0000 ops/sec)",
                IoFormat.reportIoTimes("wrote", US, 0, 4, 4, 1).lines().toList().get(1));
    }

    @Test
    void reportIoTimes_nothingDone_printsZerosOrNan() {
        assertEquals("read 0/0 bytes at offset 0\n"
                + "0.000000 bytes, 0 ops; 0.0000 sec (-nan bytes/sec and -nan ops/sec)\n",
                IoFormat.reportIoTimes("read", 0, 0, 0, 0, 0));
        assertEquals("0.000000 bytes, 0 ops; 0.0000 sec (0.000000 bytes/sec and 0.0000 ops/sec)",
                IoFormat.reportIoTimes("wrote", 5 * US, 0, 0, 0, 0).lines().toList().get(1));
    }

    @Test
    void timestr_overASecond_usesClockFormat() {
        assertEquals("0:00:01.50", IoFormat.timestr(1, 500_000));
        assertEquals("1:01:01.00", IoFormat.timestr(3661, 9_999));
        assertEquals("0.0123 sec", IoFormat.timestr(0, 12_345));
    }

    @Test
    void dumpBuffer_fullAndPartialLines_matchXfsIo() {
        byte[] a = new byte[32];
        Arrays.fill(a, (byte) 0x41);
        assertEquals("00000000:  41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41  AAAAAAAAAAAAAAAA\n"
                + "00000010:  41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41  AAAAAAAAAAAAAAAA\n",
                IoFormat.dumpBuffer(0, a, 0, 32));
        assertEquals("00001ffe:  41 41  AA\n", IoFormat.dumpBuffer(0x1ffe, a, 0, 2));
        byte[] mixed = {(byte) 0xff, (byte) 0x80, 0x20, 0x61, 0x21};
        assertEquals("00000000:  ff 80 20 61 21  ...a.\n", IoFormat.dumpBuffer(0, mixed, 0, 5));
    }
}
