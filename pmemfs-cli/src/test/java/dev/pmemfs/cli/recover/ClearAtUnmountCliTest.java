package dev.pmemfs.cli.recover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clear at unmount over poisoned metadata, as an administrator does it: the clear turns poisoned
 * metadata into garbage, fsck reports it at once (never silent), and fsck --repair resets what holds
 * nothing in use.
 */
class ClearAtUnmountCliTest {
    private static final String NS = "namespace0.0";

    @TempDir
    Path home;

    @Test
    void clearAll_overPoisonedInodeTable_isReportedByFsck_andRepaired() {
        Cli cli = new Cli(home);
        cli.run("ndctl", "create-namespace", "--size", "64m").ok();
        cli.run("mkfs", NS).ok();
        cli.run("io", "-f", NS + ":/a", "-c", "pwrite -S 0x61 0 64k").ok();
        // Two inode-table blocks far from the few inodes in use.
        for (long block : new long[] {300, 390}) {
            cli.run("ndctl", "inject-error", NS, "--block", Long.toString(block * 8), "--count", "1").ok();
        }
        String owners = cli.run("badblocks", NS).ok().out();
        assertEquals(2, owners.lines().filter(l -> l.contains("metadata: inode table")).count(), owners);

        Cli.Result clear = cli.run("recover", NS, "--all", "--strategy", "unmount-clear");
        assertEquals(1, clear.exit(), clear.out() + clear.err());
        assertTrue(clear.out().contains("cleared 1024 bytes of media errors"), clear.out());
        assertTrue(clear.out().contains("fsck after the clear: 2 error(s)"), clear.out());
        assertTrue(clear.out().contains("found 0xdbdbdbdb"), "the poison's garbage is caught by the magic/checksum: " + clear.out());
        assertEquals("", cli.run("dev", "badblocks", NS).ok().out(), "no poison left");

        Cli.Result repair = cli.run("fsck", NS, "--repair");
        assertEquals(1, repair.exit(), repair.out() + repair.err());
        assertTrue(repair.out().contains("(it holds no inode in use) (fixed)"), repair.out());
        cli.run("fsck", NS).ok();
        assertTrue(cli.run("io", "-r", NS + ":/a", "-c", "pread -v 65535 1").ok().out().contains(" 61 "));
    }

    @Test
    void clearAll_asAUser_isRefused() {
        Cli cli = new Cli(home);
        cli.run("ndctl", "create-namespace", "--size", "64m").ok();
        cli.run("mkfs", NS).ok();
        cli.run("ndctl", "inject-error", NS, "--block", "2400", "--count", "1").ok();
        Cli.Result r = cli.run("recover", NS, "--all", "--strategy", "unmount-clear", "--user", "1000");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("needs an administrator"), r.err());
        assertEquals("2400 1\n", cli.run("dev", "badblocks", NS).ok().out());
    }

    @Test
    void clearAll_overPoisonedRmap_isReported_thenRebuilt_andTheSpaceItCoversStaysUsable() {
        Cli cli = new Cli(home);
        cli.run("ndctl", "create-namespace", "--size", "64m").ok();
        cli.run("mkfs", NS).ok();
        // The last reverse-map blocks describe the end of the device, which nothing uses yet.
        cli.run("ndctl", "inject-error", NS, "--block", Long.toString(850 * 8), "--count", "1").ok();
        assertTrue(cli.run("badblocks", NS).ok().out().contains("metadata: rmap"));
        Cli.Result clear = cli.run("recover", NS, "--all", "--strategy", "unmount-clear");
        assertEquals(1, clear.exit(), clear.out() + clear.err());
        assertTrue(clear.out().contains("fsck after the clear: rmap block 850"), clear.out());
        Cli.Result repair = cli.run("fsck", NS, "--repair");
        assertEquals(1, repair.exit(), repair.out() + repair.err());
        cli.run("fsck", NS).ok();
        cli.run("io", "-f", NS + ":/big", "-c", "pwrite -S 0x62 0 56m").ok();
        cli.run("fsck", NS).ok();
    }
}
