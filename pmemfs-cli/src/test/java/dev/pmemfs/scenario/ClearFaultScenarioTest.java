package dev.pmemfs.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pmemfs.testing.Cli;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A firmware whose Clear Uncorrectable Error fails or clears short, as nfit_test's module parameters
 * would make it, written as an ndctl test script: the settings persist across commands (each step is
 * a new process), the block layer's write and the filesystem's recovery write refuse, and the error
 * records stay where nothing was cleared (pmem_clear_poison, pmem_recovery_write; reference §1.2, §1.5).
 */
class ClearFaultScenarioTest {
    @TempDir
    Path home;

    @Test
    void clear_fault_sh() {
        Shell sh = new Shell(home);
        Cli cli = new Cli(home);

        // create a raw namespace; the firmware clears 256-byte units by default
        JsonNode json = sh.ndctlJson("create-namespace", "--size", "32m", "-m", "raw");
        String dev = json.get("dev").asText();
        String blockdev = json.get("blockdev").asText();
        assertEquals("ok", sh.ndctlJson("inject-fault", dev).get("clear_error").asText());

        // the firmware's clears fail from now on, in every later command
        json = sh.ndctlJson("inject-fault", "--clear-fails", dev);
        assertEquals("fails", json.get("clear_error").asText());
        sh.ndctl("inject-error", "--block=4096", "--count=8", dev);
        assertEquals("4096 8\n", sh.badblocks(blockdev));

        // dd of zeros over the bad sectors: the clear fails, nothing is written, the records stay
        assertFalse(sh.ddWriteZeros(blockdev, 4096, 8), "the write must fail when the clear fails");
        assertEquals("4096 8\n", sh.badblocks(blockdev));
        assertEquals("{\"badblocks\":[{\"block\":4096,\"count\":8}]}",
                compact(sh.ndctl("inject-error", "--status", dev)));
        assertFalse(sh.ddRead(blockdev, 4096, 8), "still unreadable");

        // a firmware that clears only 1 KiB per call: the write fails, the cleared sectors leave badblocks
        json = sh.ndctlJson("inject-fault", "--clear-limit", "1024", dev);
        assertEquals("limited", json.get("clear_error").asText());
        assertEquals(1024, json.get("clear_limit").asLong());
        assertFalse(sh.ddWriteZeros(blockdev, 4096, 8), "a short clear fails the write");
        assertEquals("4098 6\n", sh.badblocks(blockdev), "the 2 cleared sectors are no longer bad");
        assertFalse(sh.ddRead(blockdev, 4098, 6));

        // a 512-byte clear unit: a clear of 1 KiB now covers 2 units
        json = sh.ndctlJson("inject-fault", "--clear-err-unit", "512", dev);
        assertEquals(512, json.get("clear_err_unit").asInt());
        assertEquals("limited", json.get("clear_error").asText(), "the clear behaviour is kept");

        // back to a healthy firmware: the write clears and lands
        assertEquals("ok", sh.ndctlJson("inject-fault", "--uninject", dev).get("clear_error").asText());
        assertTrue(sh.ddWriteZeros(blockdev, 4098, 6));
        assertEquals("", sh.badblocks(blockdev));
        assertEquals("", sh.ndctl("inject-error", "--status", dev));

        // an fsdax namespace with a file; the recovery write of Linux 5.19 meets a failing clear
        sh.ndctl("create-namespace", "-m", "fsdax", "-f", "-e", dev);
        sh.ndctl("inject-fault", "--clear-err-unit", "256", dev);
        cli.run("mkfs", dev).ok();
        cli.run("io", "-f", dev + ":/db", "-c", "pwrite -S 0x61 0 16k").ok();
        long sector = firstSector(cli.run("io", "-r", dev + ":/db", "-c", "fiemap -v").ok().out());
        sh.ndctl("inject-error", "--block=" + sector, "--count=1", dev);
        sh.ndctl("inject-fault", "--clear-fails", dev);

        // pwrite over the poisoned page: the recovery write cannot clear, so nothing is written (EFAULT)
        Cli.Result w = cli.run("io", "-o", "linux-5.19", dev + ":/db", "-c", "pwrite -S 0x62 0 4096");
        assertTrue(w.err().contains("Bad address"), w.err());
        assertEquals(sector + " 1\n", sh.badblocks(blockdev), "the record stays");
        assertTrue(cli.run("io", "-r", dev + ":/db", "-c", "pread 0 4096").err().contains("Input/output error"));
        assertTrue(cli.run("badblocks", dev).ok().out().contains("/db"), "the file is still listed as hit");

        // zeroinit (pmemfs) refuses too: EIO, the file keeps its mapping and its poison
        Cli.Result z = cli.run("io", dev + ":/db", "-c", "fzeroinit 0 4096");
        assertTrue(z.err().contains("Input/output error"), z.err());
        assertEquals(sector + " 1\n", sh.badblocks(blockdev));

        // the healthy firmware again: the recovery write clears in place
        sh.ndctl("inject-fault", "--uninject", dev);
        cli.run("io", "-o", "linux-5.19", dev + ":/db", "-c", "pwrite -S 0x62 0 4096").ok();
        assertEquals("", sh.badblocks(blockdev));
        assertEquals(sector, firstSector(cli.run("io", "-r", dev + ":/db", "-c", "fiemap -v").ok().out()),
                "cleared in place");
    }

    private static String compact(String json) {
        return json.replaceAll("\\s+", "");
    }

    /** The first BLOCK-RANGE start of {@code fiemap -v} output (512-byte sectors of pmem0). */
    private static long firstSector(String fiemap) {
        Matcher m = Pattern.compile("\\]:\\s+(\\d+)\\.\\.").matcher(fiemap);
        assertTrue(m.find(), fiemap);
        return Long.parseLong(m.group(1));
    }
}
