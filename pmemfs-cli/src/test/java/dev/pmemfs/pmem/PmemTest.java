package dev.pmemfs.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.dax.DaxWindow;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.CopyResult;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PmemTest {
    @TempDir
    Path dir;

    Namespace ns;
    DaxDevice dax;
    BlockDevice bdev;

    @BeforeEach
    void setUp() {
        ns = TestNamespaces.fsdax(dir, 16 * TestNamespaces.MIB);
        Pmem pmem = Pmem.attach(ns);
        dax = pmem.dax();
        bdev = pmem.block();
    }

    @AfterEach
    void tearDown() {
        ns.close();
    }

    @Test
    void attach_fsdax_namesAndSizesFollowTheDataArea() {
        assertEquals("pmem0", dax.name());
        assertEquals("pmem0", bdev.name());
        assertEquals(ns.dataSize(), bdev.capacityBytes());
        assertEquals(ns.dataSize() / 4096, dax.nrPages());
    }

    @Test
    void directAccess_writeThenRead_roundTrips() throws Exception {
        DaxWindow w = dax.directAccess(3, 2, DaxAccessMode.ACCESS);
        byte[] data = new byte[8192];
        Arrays.fill(data, (byte) 7);
        w.write(0, data, 0, data.length);
        byte[] back = new byte[8192];
        CopyResult r = dax.directAccess(3, 2, DaxAccessMode.ACCESS).read(0, back, 0, back.length);
        assertTrue(r.isComplete());
        assertArrayEquals(data, back);
        byte[] viaBlock = new byte[8192];
        bdev.submitRead(3 * 8, viaBlock, 0, 8192);
        assertArrayEquals(data, viaBlock);
    }

    @Test
    void directAccess_knownBadSectorInRange_throwsEhwpoison() throws Exception {
        bdev.badblocksStore("17 1");
        ErrnoException e = assertThrows(ErrnoException.class, () -> dax.directAccess(1, 2, DaxAccessMode.ACCESS));
        assertEquals(Errno.EHWPOISON, e.errno());
        assertEquals(2, dax.directAccess(0, 2, DaxAccessMode.ACCESS).nrPages());
    }

    @Test
    void directAccess_recoveryWriteMode_returnsStride() throws Exception {
        bdev.badblocksStore("16 1"); // first sector of page 2
        assertEquals(2, dax.directAccess(0, 8, DaxAccessMode.RECOVERY_WRITE).nrPages());
        bdev.badblocksStore("41 1"); // mid page 5: the stride rounds up to include it
        assertEquals(3, dax.directAccess(3, 8, DaxAccessMode.RECOVERY_WRITE).nrPages());
        assertEquals(1, dax.directAccess(2, 8, DaxAccessMode.RECOVERY_WRITE).nrPages());
    }

    @Test
    void zeroPageRange_poisonedPage_clearsAndZeros() throws Exception {
        ns.injectError(ns.dataOffset() + 4096, 512, true);
        assertEquals("8 1\n", bdev.badblocksShow());
        dax.zeroPageRange(1, 1);
        assertEquals("", bdev.badblocksShow());
        byte[] back = new byte[4096];
        bdev.submitRead(8, back, 0, 4096);
        assertArrayEquals(new byte[4096], back);
    }
}
