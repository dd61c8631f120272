package dev.pmemfs.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pmemfs.testing.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ndctl test/daxdev-errors.sh and daxdev-errors.c (reference §1.6, §9.1): errors in a device-dax
 * namespace are cleared with the bus commands alone: ARS Capabilities for the range, ARS Start,
 * ARS Status until the records are there, Clear Uncorrectable Error over the capability's range,
 * {@code cleared == length}; afterwards the region's badblocks are empty. Then the kernel's rules:
 * clear-unit alignment, EBUSY over an enabled namespace, a short clear reported as such.
 */
class BusCommandsScenarioTest {
    @TempDir
    Path home;

    @Test
    void daxdev_errors_sh() {
        Shell sh = new Shell(home);

        // a device-dax namespace with errors injected in the middle of it, no scrub waited for
        JsonNode json = sh.ndctlJson("create-namespace", "--size", "64m", "-m", "devdax");
        String dev = json.get("dev").asText();
        long size = json.get("size").asLong();
        long block = size / 512 / 2;
        sh.ndctl("inject-error", "--block=" + block, "--count=8", "--no-notify", dev);
        String region = "region0";

        // ARS Start, then ARS Status: the records are there, and the region's badblocks file shows them
        assertEquals(0, sh.ndctlJson("ars-start", region).get("status").asInt());
        JsonNode status = sh.ndctlJson("ars-status", region);
        assertEquals(8, status.get("num_records").asInt(), "one 256-byte record per injected block");
        long errAddress = status.get("records").get(0).get("err_address").asLong();
        assertEquals(errAddress / 512 + " 8\n", sh.regionBadblocks("pmem0"));

        // ARS Capabilities for the bad range: the clear unit
        JsonNode cap = sh.ndctlJson("ars-cap", region, "-a", "" + errAddress, "-l", "4096");
        assertEquals(256, cap.get("clear_err_unit").asInt());

        // Clear Uncorrectable Error over the range: everything asked is cleared
        JsonNode clear = sh.ndctlJson("clear-error", region, "-a", "" + errAddress, "-l", "4096");
        assertEquals(4096, clear.get("cleared").asLong(), "cleared == length");

        // the region's badblocks are empty, and ARS finds nothing any more
        assertEquals("", sh.regionBadblocks("pmem0"));
        sh.ndctl("ars-start", region);
        assertEquals(0, sh.ndctlJson("ars-status", region).get("num_records").asInt());
    }

    @Test
    void clear_error_rules() {
        Shell sh = new Shell(home);
        Cli cli = new Cli(home);
        JsonNode json = sh.ndctlJson("create-namespace", "--size", "32m");
        String dev = json.get("dev").asText();
        String blockdev = json.get("blockdev").asText();
        long regionSize = 32L << 20;
        sh.ndctl("inject-error", "--block=1000", "--count=8", dev);
        long errAddress = sh.ndctlJson("ars-status", "region0").get("records").get(0).get("err_address").asLong();

        // not aligned to the clear unit: refused before the command is sent (libndctl "request unaligned")
        assertOneLine(cli.run("ndctl", "clear-error", "region0", "-a", "" + (errAddress + 128), "-l", "256"),
                "request unaligned");
        assertOneLine(cli.run("ndctl", "clear-error", "region0", "-a", "" + errAddress, "-l", "100"), "request unaligned");
        assertOneLine(cli.run("ndctl", "clear-error", "region0", "-a", "0", "-l", "" + (regionSize + 4096)),
                "not inside the region");

        // the whole region while its namespace is enabled: EBUSY, it must go through the pmem driver
        assertOneLine(cli.run("ndctl", "clear-error", "region0", "-a", "0", "-l", "" + regionSize),
                "Device or resource busy");
        assertEquals("1000 8\n", sh.badblocks(blockdev), "a refused clear changes nothing");

        // a firmware that clears 1 KiB per call: the short count is reported, the rest stays bad
        sh.ndctl("inject-fault", "--clear-limit", "1024", dev);
        JsonNode clear = sh.ndctlJson("clear-error", "region0", "-a", "" + errAddress, "-l", "4096");
        assertEquals(1024, clear.get("cleared").asLong());
        assertEquals("1002 6\n", sh.badblocks(blockdev));

        // a failing firmware: the command fails, nothing changes
        sh.ndctl("inject-fault", "--clear-fails", dev);
        assertOneLine(cli.run("ndctl", "clear-error", "region0", "-a", "" + (errAddress + 1024), "-l", "3072"),
                "Input/output error");
        assertEquals("1002 6\n", sh.badblocks(blockdev));

        // disabled, the whole region may be cleared through the bus (what ndctl clear-errors does)
        sh.ndctl("inject-fault", "-U", dev);
        sh.ndctl("disable-namespace", dev);
        assertEquals(regionSize, sh.ndctlJson("clear-error", "region0", "-a", "0", "-l", "" + regionSize)
                .get("cleared").asLong());
        sh.ndctl("enable-namespace", dev);
        assertEquals("", sh.badblocks(blockdev));
    }

    private static void assertOneLine(Cli.Result r, String why) {
        assertTrue(r.exit() != 0, r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(why), r.err());
    }
}
