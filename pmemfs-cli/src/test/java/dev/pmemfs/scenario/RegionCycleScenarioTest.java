package dev.pmemfs.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pmemfs.testing.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ndctl disable-region}/{@code enable-region} and {@code disable-namespace}/{@code enable-namespace}
 * as ndctl's test scripts use them (clear.sh's "disable-region all; enable-region all", reference §9.1):
 * a disabled namespace has no device and every command that needs one says so in one line; enabling
 * is a probe that re-reads the platform's error records, so a cleared error stays gone, an uncleared
 * one is listed again, and a badblocks entry the platform never reported (a sysfs store) is gone.
 */
class RegionCycleScenarioTest {
    @TempDir
    Path home;

    @Test
    void region_cycle_sh() {
        Shell sh = new Shell(home);
        Cli cli = new Cli(home);

        // an fsdax namespace with a filesystem, errors at two places, a software entry at a third
        JsonNode json = sh.ndctlJson("create-namespace", "--size", "64m");
        String dev = json.get("dev").asText();
        String blockdev = json.get("blockdev").asText();
        cli.run("mkfs", dev).ok();
        sh.ndctl("inject-error", "--block=20000", "--count=8", dev);
        sh.ndctl("inject-error", "--block=30000", "--count=8", dev);
        sh.echoBadblocks(blockdev, "40000 8");
        assertEquals("20000 8\n30000 8\n40000 8\n", sh.badblocks(blockdev));

        // the first is cleared by a write through the block device
        assertTrue(sh.ddWriteZeros(blockdev, 20000, 8));
        assertEquals("30000 8\n40000 8\n", sh.badblocks(blockdev));

        // disable-region all: no device, no filesystem, no region badblocks file; list shows nothing
        sh.ndctl("disable-region", "all");
        assertEquals("", sh.ndctl("list"), "a disabled namespace is not listed");
        assertEquals("disabled", sh.ndctlJson("list", "-i").get(0).get("state").asText());
        assertEquals("disabled", sh.ndctlJson("list", "-R", "-i").get(0).get("state").asText());
        assertRefused(cli.run("dev", "read", blockdev, "--sector", "0", "--count", "1", "--of", "/dev/null"),
                "region0 (holding namespace0.0) is disabled");
        assertRefused(cli.run("ls", dev + ":/"), "enable-region region0");
        assertRefused(cli.run("dev", "badblocks", blockdev, "--region"), "region0 is disabled");
        assertRefused(cli.run("ndctl", "enable-namespace", dev), "region0 is disabled");

        // enable-region all: the cleared error stays gone, the uncleared one is back, the software one is gone
        sh.ndctl("enable-region", "all");
        assertEquals("30000 8\n", sh.badblocks(blockdev));
        assertEquals(blockdev, sh.ndctlJson("list").get(0).get("blockdev").asText());
        assertFalse(sh.ddRead(blockdev, 30000, 8), "the uncleared error still fails reads");
        cli.run("ls", dev + ":/").ok();

        // the same through disable-namespace / enable-namespace
        sh.ndctl("disable-namespace", dev);
        assertRefused(cli.run("io", "-r", dev + ":/", "-c", "stat"), "namespace0.0 is disabled");
        assertFalse(sh.regionBadblocks(blockdev).isEmpty(), "the enabled region still shows its errors");
        assertFalse(sh.ddWriteZeros(blockdev, 30000, 8), "no device to write to");
        sh.ndctl("enable-namespace", dev);
        assertEquals("30000 8\n", sh.badblocks(blockdev));
        assertTrue(sh.ddWriteZeros(blockdev, 30000, 8));
        assertEquals("", sh.badblocks(blockdev));

        // a second cycle: nothing comes back, and the filesystem mounts and checks clean
        sh.ndctl("disable-namespace", "all");
        sh.ndctl("enable-namespace", "all");
        assertEquals("", sh.badblocks(blockdev));
        assertEquals(0, cli.run("fsck", dev).exit());
    }

    @Test
    void pfn_meta_errors_sh() {
        Shell sh = new Shell(home);

        // errors in the memmap reservation of an fsdax namespace, injected through its raw view
        JsonNode json = sh.ndctlJson("create-namespace", "--size", "64m");
        String dev = json.get("dev").asText();
        String blockdev = json.get("blockdev").asText();
        sh.ndctl("create-namespace", "-m", "raw", "-f", "-e", dev);
        sh.ndctl("inject-error", "--block=64", "--count=32", dev);
        assertEquals("64 32\n", sh.regionBadblocks(blockdev));
        sh.ndctl("create-namespace", "-m", "fsdax", "-f", "-e", dev);
        assertEquals("", sh.badblocks(blockdev), "outside the data area");

        // a firmware that cannot clear makes the probe fail: the namespace stays disabled
        sh.ndctl("inject-fault", "--clear-fails", dev);
        sh.ndctl("disable-namespace", dev);
        Cli.Result r = new Cli(home).run("ndctl", "enable-namespace", dev);
        assertRefused(r, "error clearing 20 badblocks at 40");
        assertTrue(r.err().contains("enabled 0 namespaces"), r.err());
        assertEquals("disabled", sh.ndctlJson("list", "-i").get(0).get("state").asText());

        // a healthy firmware: the probe clears the memmap errors (nd_pfn_clear_memmap_errors)
        sh.ndctl("inject-fault", "--uninject", dev);
        sh.ndctl("enable-namespace", dev);
        assertEquals("", sh.regionBadblocks(blockdev), "the raw view's errors are gone after the probe");
        sh.ndctl("create-namespace", "-m", "raw", "-f", "-e", dev);
        assertEquals("", sh.ndctl("inject-error", "--status", dev), "and the platform's records with them");
    }

    private static void assertRefused(Cli.Result r, String why) {
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(why), r.err());
    }
}
