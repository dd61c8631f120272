package dev.pmemfs.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fallocate(1) on /dev/pmemN, written as an ndctl test script would be: blkdev_fallocate's argument
 * checks in the kernel's order, ZERO_RANGE clearing poison through the write path, PUNCH_HOLE refused for
 * want of a write-zeroes offload (reference §4.2, §4.5).
 */
class BlkdevFallocateScenarioTest {
    @TempDir
    Path home;

    @Test
    void blkdev_fallocate_sh() {
        Shell sh = new Shell(home);

        // create pmem namespace (raw), fill the first MiB with a pattern
        JsonNode json = sh.ndctlJson("create-namespace", "--size", "16m", "-m", "raw");
        String dev = json.get("dev").asText();
        String blockdev = json.get("blockdev").asText();
        long size = json.get("size").asLong();
        sh.ddWritePattern(blockdev, 0, 2048, 0x5a);

        // inject errors at sector 100 and scrub: reads of them fail
        sh.ndctl("inject-error", "--block=100", "--count=8", dev);
        sh.ndctl("start-scrub");
        sh.ndctl("wait-scrub");
        assertEquals("100 8\n", sh.badblocks(blockdev));
        assertFalse(sh.ddRead(blockdev, 96, 16), "read should have failed");

        // the kernel's checks, in its order
        assertTrue(sh.fallocate(blockdev, "-l", "0").contains("Invalid argument"), "len <= 0");
        assertTrue(sh.fallocate(blockdev, "--mode", "0x100", "-l", "4096").contains("Operation not supported"), "unknown bit");
        assertTrue(sh.fallocate(blockdev, "--mode", "0x02", "-l", "4096").contains("Operation not supported"),
                "PUNCH_HOLE without KEEP_SIZE");
        assertTrue(sh.fallocate(blockdev, "--mode", "0x08", "-l", "4096").contains("Operation not supported"),
                "COLLAPSE_RANGE: not a block-device mode");
        assertTrue(sh.fallocate(blockdev, "-z", "-o", "" + size, "-l", "4096").contains("Invalid argument"),
                "start at the end of the device");
        assertTrue(sh.fallocate(blockdev, "-z", "-o", "" + (size - 4096), "-l", "8192").contains("Invalid argument"),
                "past the end without KEEP_SIZE");
        assertTrue(sh.fallocate(blockdev, "-z", "-o", "100", "-l", "4096").contains("Invalid argument"), "misaligned start");
        assertTrue(sh.fallocate(blockdev, "-z", "-l", "1000").contains("Invalid argument"), "misaligned length");
        assertTrue(sh.fallocate(blockdev, "-l", "4096").contains("Operation not supported"), "mode 0 in range");
        assertTrue(sh.fallocate(blockdev, "-n", "-l", "4096").contains("Operation not supported"), "KEEP_SIZE alone");
        assertEquals("100 8\n", sh.badblocks(blockdev), "a refused fallocate changes nothing");

        // punch: pmem has no write-zeroes offload (BLKDEV_ZERO_NOFALLBACK)
        assertTrue(sh.fallocate(blockdev, "-p", "-o", "51200", "-l", "4096").contains("Operation not supported"));
        assertEquals("100 8\n", sh.badblocks(blockdev));

        // zero range over the bad sectors: zeroes written through the write path clear them
        assertEquals("", sh.fallocate(blockdev, "-z", "-n", "-o", "49152", "-l", "8192"));
        assertEquals("", sh.badblocks(blockdev));
        assertTrue(sh.ddRead(blockdev, 96, 16));

        // past the end with KEEP_SIZE: clamped to the device
        assertEquals("", sh.fallocate(blockdev, "-z", "-n", "-o", "" + (size - 4096), "-l", "1m"));
        assertEquals("", sh.fallocate(blockdev, "--mode", "0x11", "-o", "0", "-l", "4096"));
    }
}
