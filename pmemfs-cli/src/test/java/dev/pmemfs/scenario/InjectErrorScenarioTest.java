package dev.pmemfs.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ndctl test/inject-error.sh, step by step (reference §9.1). */
class InjectErrorScenarioTest {
    @TempDir
    Path home;

    private static final long ERR_BLOCK = 42;
    private static final long ERR_COUNT = 8;

    @Test
    void injectError_sh() {
        Shell sh = new Shell(home);

        // create_namespace: an fsdax namespace on the test bus
        JsonNode ns = sh.ndctlJson("create-namespace", "--size", "32m");
        String dev = ns.get("dev").asText();
        String blockdev = ns.get("blockdev").asText();

        // test_inject --no-notify: the platform records it, the kernel does not know
        sh.ndctl("inject-error", "--block=" + ERR_BLOCK, "--count=" + ERR_COUNT, "--no-notify", dev);
        checkStatus(sh, dev, ERR_BLOCK, ERR_COUNT);
        assertEquals("", sh.badblocks(blockdev), "no-notify: badblocks stays empty");

        // test_uninject: status prints nothing
        sh.ndctl("inject-error", "--block=" + ERR_BLOCK, "--count=" + ERR_COUNT, "--uninject", dev);
        assertEquals("", sh.ndctl("inject-error", "--status", dev));

        // test_inject with notify, then a scrub
        sh.ndctl("inject-error", "--block=" + ERR_BLOCK, "--count=" + ERR_COUNT, dev);
        sh.ndctl("start-scrub");
        sh.ndctl("wait-scrub");
        checkStatus(sh, dev, ERR_BLOCK, ERR_COUNT);
        assertEquals(ERR_BLOCK + " " + ERR_COUNT + "\n", sh.badblocks(blockdev));

        // write_and_check: a direct write over the blocks clears the kernel's and the platform's records
        assertTrue(sh.ddWriteZeros(blockdev, ERR_BLOCK, ERR_COUNT));
        assertEquals("", sh.badblocks(blockdev));
        assertEquals("", sh.ndctl("inject-error", "--status", dev));
    }

    private static void checkStatus(Shell sh, String dev, long block, long count) {
        JsonNode bb = sh.ndctlJson("inject-error", "--status", dev).get("badblocks");
        assertEquals(1, bb.size(), bb.toString());
        assertEquals(block, bb.get(0).get("block").asLong());
        assertEquals(count, bb.get(0).get("count").asLong());
    }
}
