package dev.pmemfs.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ndctl test/clear.sh, step by step (reference §9.1; ecosystem §3.6). */
class ClearScenarioTest {
    @TempDir
    Path home;

    @Test
    void clear_sh() {
        Shell sh = new Shell(home);

        // create pmem namespace (raw)
        JsonNode json = sh.ndctlJson("create-namespace", "--size", "64m", "-m", "raw");
        String dev = json.get("dev").asText();
        String blockdev = json.get("blockdev").asText();
        long sizeRaw = json.get("size").asLong();

        // inject errors in the middle of the namespace, and scrub
        long errSector = (sizeRaw / 512) / 2;
        long errCount = 8;
        if (sh.badblocks(blockdev).isEmpty()) {
            sh.ndctl("inject-error", "--block=" + errSector, "--count=" + errCount, dev);
            sh.ndctl("start-scrub");
            sh.ndctl("wait-scrub");
        }

        // check badblocks: the error sits in the middle
        long[] sl = sh.readSectorLen(blockdev);
        long sectorRaw = sl[0];
        assertEquals(sizeRaw / 512, sectorRaw * 2);

        // an O_DIRECT read of the bad sectors must fail
        assertFalse(sh.ddRead(blockdev, sectorRaw, sl[1]), "read should have failed");

        // convert pmem to fsdax mode
        json = sh.ndctlJson("create-namespace", "-m", "fsdax", "-f", "-e", dev);
        dev = json.get("dev").asText();
        blockdev = json.get("blockdev").asText();
        long size = json.get("size").asLong();

        // the badblock moved by exactly the pfn metadata size
        sl = sh.readSectorLen(blockdev);
        long sector = sl[0];
        assertEquals((sizeRaw - size) / 512, sectorRaw - sector);

        // clearing by writing zeros
        assertTrue(sh.ddWriteZeros(blockdev, sector, sl[1]));

        // check badblocks: cleared
        assertEquals("", sh.badblocks(blockdev));

        // disable-region all; enable-region all: the probe re-reads the platform's error records,
        // which the clear emptied, so the cleared errors do not come back
        sh.ndctl("disable-region", "all");
        sh.ndctl("enable-region", "all");
        assertEquals("", sh.badblocks(blockdev), "cleared errors must not reappear");
        assertEquals("", sh.regionBadblocks(blockdev));

        // a scrub finds nothing either
        sh.ndctl("start-scrub");
        sh.ndctl("wait-scrub");
        assertEquals("", sh.badblocks(blockdev));
    }
}
