package dev.pmemfs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevCliTest {
    @TempDir
    Path home;

    @TempDir
    Path work;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(home);
        cli.run("ndctl", "create-namespace", "--size", "16m", "-m", "raw").ok();
    }

    private String badblocks() {
        return cli.run("dev", "badblocks", "pmem0").ok().out();
    }

    private void assertFails(String expect, String... args) {
        Cli.Result r = cli.run(args);
        assertNotEquals(0, r.exit());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(expect), "'" + err + "' should contain '" + expect + "'");
        assertFalse(err.contains("\tat "));
    }

    @Test
    void writeThenRead_roundTripsThroughTheBlockDevice() throws Exception {
        cli.run("dev", "write", "pmem0", "--sector", "10", "--count", "2", "--pattern", "0xab").ok();
        Path out = work.resolve("data");
        cli.run("dev", "read", "namespace0.0", "--sector", "10", "--count", "2", "--of", out.toString()).ok();
        byte[] want = new byte[1024];
        Arrays.fill(want, (byte) 0xab);
        assertArrayEquals(want, Files.readAllBytes(out));
        String dump = cli.run("dev", "read", "pmem0", "--sector", "10", "--count", "1").ok().out();
        assertEquals("00001400  ab ab ab ab ab ab ab ab  ab ab ab ab ab ab ab ab  |................|\n*\n00001600\n", dump);
        Path in = work.resolve("in");
        Files.write(in, "0123456789".repeat(60).getBytes());
        cli.run("dev", "write", "pmem0", "--sector", "0", "--count", "1", "--if", in.toString()).ok();
        assertTrue(cli.run("dev", "read", "pmem0", "--sector", "0", "--count", "1").ok().out().contains("|0123456789012345|"));
    }

    @Test
    void read_badSector_failsWithEio_writeClearsIt() {
        cli.run("ndctl", "inject-error", "namespace0.0", "-B", "100", "-n", "8").ok();
        assertFails("Input/output error", "dev", "read", "pmem0", "--sector", "96", "--count", "16");
        cli.run("dev", "write", "pmem0", "--sector", "100", "--count", "8", "--zero").ok();
        assertEquals("", badblocks());
        cli.run("dev", "read", "pmem0", "--sector", "96", "--count", "16").ok();
    }

    @Test
    void write_withoutRawio_isRefusedWithEacces() {
        cli.run("ndctl", "inject-error", "namespace0.0", "-B", "8", "-n", "1").ok();
        assertFails("Permission denied", "dev", "write", "pmem0", "--sector", "8", "--count", "1", "--zero", "--user", "1000");
        assertFails("Permission denied", "dev", "zeroout", "pmem0", "4096", "512", "--user", "1000:1000");
        assertFails("Permission denied", "dev", "read", "pmem0", "--sector", "0", "--count", "1", "--user", "1000");
        assertEquals("8 1\n", badblocks(), "nothing was cleared");
        cli.run("dev", "zeroout", "pmem0", "4096", "512", "--user", "1000", "--cap", "CAP_SYS_RAWIO").ok();
        assertEquals("", badblocks());
        cli.run("dev", "read", "pmem0", "--sector", "0", "--count", "1", "--user", "1000", "--cap", "sys_rawio").ok();
    }

    @Test
    void diskGroupMember_writesAndZerooutsWithoutCapabilities() {
        cli.run("ndctl", "inject-error", "namespace0.0", "-B", "8", "-n", "1").ok();
        cli.run("ndctl", "inject-error", "namespace0.0", "-B", "40", "-n", "1").ok();
        cli.run("dev", "zeroout", "pmem0", "4096", "512", "--user", "1000:6").ok();
        cli.run("dev", "write", "pmem0", "--sector", "40", "--count", "1", "--zero", "--user", "1000:6").ok();
        assertEquals("", badblocks(), "/dev/pmem0 is root:disk 0660: the group may write");
        cli.run("dev", "read", "pmem0", "--sector", "0", "--count", "1", "--user", "1000:6").ok();
        assertFails("Permission denied", "dev", "zeroout", "pmem0", "4096", "512", "--user", "1000:7");
    }

    @Test
    void write_streamsOnlyWhatCountAsks_fromAnEndlessInput() throws Exception {
        cli.run("dev", "write", "pmem0", "--sector", "0", "--count", "2", "--pattern", "0x55").ok();
        cli.run("dev", "write", "pmem0", "--sector", "0", "--count", "2", "--if", "/dev/zero").ok();
        Path out = work.resolve("all");
        // The whole 16 MiB device in both directions: more than one chunk each way.
        cli.run("dev", "write", "pmem0", "--sector", "0", "--count", "32768", "--if", "/dev/zero").ok();
        cli.run("dev", "read", "pmem0", "--sector", "0", "--count", "32768", "--of", out.toString()).ok();
        assertEquals(16L << 20, Files.size(out));
        assertArrayEquals(new byte[16 << 20], Files.readAllBytes(out));
        assertFails("ended early: wrote 0 of 2 sectors", "dev", "write", "pmem0", "--sector", "0", "--count", "2", "--if", "/dev/null");
        Path small = work.resolve("small");
        Files.write(small, new byte[700]);
        assertFails("fewer than 2 sectors", "dev", "write", "pmem0", "--sector", "0", "--count", "2", "--if", small.toString());
        for (String count : new String[] {"9223372036854775807", "18014398509481984", "-1"}) {
            assertFails("--count", "dev", "write", "pmem0", "--sector", "0", "--count", count, "--zero");
            assertFails("--count", "dev", "read", "pmem0", "--sector", "0", "--count", count);
        }
        assertFails("--sector", "dev", "read", "pmem0", "--sector", "18014398509481983", "--count", "2");
    }

    @Test
    void zeroout_kernelChecks_reportEinval() {
        assertFails("Invalid argument", "dev", "zeroout", "pmem0", "100", "512");
        assertFails("Invalid argument", "dev", "zeroout", "pmem0", "0", "100");
        assertFails("Invalid argument", "dev", "zeroout", "pmem0", "0", "0");
        assertFails("Invalid argument", "dev", "zeroout", "pmem0", "16m", "512");
        assertFails("Invalid offset", "dev", "zeroout", "pmem0", "-512", "512");
        cli.run("dev", "zeroout", "pmem0", "0", "16m").ok();
    }

    @Test
    void badblocks_addFollowsSysfsStoreRules() {
        cli.run("dev", "badblocks", "pmem0", "--add", "1000 8").ok();
        assertEquals("1000 8\n", badblocks());
        assertFails("Invalid argument", "dev", "badblocks", "pmem0", "--add", "1000");
        assertFails("Invalid argument", "dev", "badblocks", "pmem0", "--add", "5 0");
        assertFails("Invalid argument", "dev", "badblocks", "pmem0", "--add", "5 4x");
        assertFails("Permission denied", "dev", "badblocks", "pmem0", "--add", "5 4", "--user", "1000");
        assertFails("read-only", "dev", "badblocks", "pmem0", "--region", "--add", "5 4");
        assertEquals("1000 8\n", badblocks());
        assertFails("Input/output error", "dev", "read", "pmem0", "--sector", "1000", "--count", "1");
    }

    @Test
    void badArguments_andMissingNamespace_refusedCleanly() {
        assertFails("no such namespace", "dev", "read", "pmem4", "--sector", "0", "--count", "1");
        assertFails("exactly one of", "dev", "write", "pmem0", "--sector", "0", "--count", "1");
        assertFails("exactly one of", "dev", "write", "pmem0", "--sector", "0", "--count", "1", "--zero", "--pattern", "1");
        assertFails("not a byte value", "dev", "write", "pmem0", "--sector", "0", "--count", "1", "--pattern", "300");
        assertFails("--count", "dev", "read", "pmem0", "--sector", "0", "--count", "0");
        assertFails("Missing required option", "dev", "read", "pmem0", "--count", "1");
        assertFails("unknown capability", "dev", "read", "pmem0", "--sector", "0", "--count", "1", "--user", "5", "--cap", "CAP_FLY");
        assertFails("not UID[:GID]", "dev", "read", "pmem0", "--sector", "0", "--count", "1", "--user", "bob");
        assertFails("No space left", "dev", "write", "pmem0", "--sector", "32768", "--count", "1", "--zero");
        assertFails("past the end of the device", "dev", "read", "pmem0", "--sector", "99999999", "--count", "1");
        cli.run("ndctl", "create-namespace", "--size", "16m", "-m", "devdax").ok();
        assertFails("devdax", "dev", "read", "namespace1.0", "--sector", "0", "--count", "1");
    }
}
