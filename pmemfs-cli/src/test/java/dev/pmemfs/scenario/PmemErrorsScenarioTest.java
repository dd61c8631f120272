package dev.pmemfs.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.pmem.Pmem;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ndctl test/pmem-errors.sh, step by step (reference §9.1), adapted: the script's ext4 file is a
 * 16 KiB "file" at a known device offset (what {@code filefrag -v -b512} would report), and the
 * {@code dax-errors} mmap read is the DAX fault path, {@code dax_direct_access} in ACCESS mode.
 */
class PmemErrorsScenarioTest {
    @TempDir
    Path home;

    @Test
    void pmemErrors_sh() throws Exception {
        Shell sh = new Shell(home);

        // create a raw pmem namespace
        JsonNode json = sh.ndctlJson("create-namespace", "--size", "32m", "-m", "raw");
        String dev = json.get("dev").asText();
        String blockdev = json.get("blockdev").asText();
        long size = json.get("size").asLong();
        long errSector = (size / 512) / 2;
        long errCount = 8;

        // inject errors in the middle of the namespace, verify that reading fails
        if (sh.badblocks(blockdev).isEmpty()) {
            sh.ndctl("inject-error", "--block=" + errSector, "--count=" + errCount, dev);
            sh.ndctl("start-scrub");
            sh.ndctl("wait-scrub");
        }
        long[] sl = sh.readSectorLen(blockdev);
        assertEquals(size / 512, sl[0] * 2);
        assertFalse(sh.ddRead(blockdev, sl[0], sl[1]), "read should have failed");

        // a write clears them
        assertTrue(sh.ddWriteZeros(blockdev, sl[0], sl[1]));
        assertEquals("", sh.badblocks(blockdev), "badblocks should be empty after the write");

        // "mkfs; write a 16 KiB file (oflag=direct)": four 4 KiB blocks from sector startSect
        long startSect = 2048;
        sh.ddWritePattern(blockdev, startSect, 32, 0x5a);

        // echo $start_sect 8 > /sys/block/$blockdev/badblocks
        sh.echoBadblocks(blockdev, startSect + " 8");

        // dd if=$FILE iflag=direct bs=4096 count=1: expected to hit an I/O error
        assertFalse(sh.ddRead(blockdev, startSect, 8), "expected an I/O error");

        // dax-errors $FILE: the mapped read faults exactly once
        try (Namespace ns = Namespace.open(home.resolve("namespace0.0.img"))) {
            DaxDevice dax = Pmem.attach(ns).dax();
            long pgoff = startSect * 512 / DaxDevice.PAGE_SIZE;
            ErrnoException fault = org.junit.jupiter.api.Assertions.assertThrows(ErrnoException.class,
                    () -> dax.directAccess(pgoff, 1, DaxAccessMode.ACCESS));
            assertEquals(Errno.EHWPOISON, fault.errno(), "SIGBUS BUS_MCEERR_AR on the first access");
            assertEquals(1, dax.directAccess(pgoff + 1, 1, DaxAccessMode.ACCESS).nrPages(), "the next page is fine");
        }

        // clear the badblock manually through the device, then the file is readable again
        assertTrue(sh.ddWriteZeros(blockdev, startSect, 8));
        assertEquals("", sh.badblocks(blockdev));
        assertTrue(sh.ddRead(blockdev, startSect, 8));

        // rewrite the file, inject one sector at start_sect+1: a whole 4 KiB read fails
        sh.ddWritePattern(blockdev, startSect, 32, 0x5a);
        sh.ndctl("inject-error", "--block=" + (startSect + 1), "--count=1", dev);
        assertFalse(sh.ddRead(blockdev, startSect, 8), "one bad sector poisons the whole 4 KiB read");
        assertTrue(sh.ddRead(blockdev, startSect + 8, 24), "the other blocks of the file read fine");
    }
}
