package dev.pmemfs.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.pmem.Pmem;
import dev.pmemfs.testing.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's badblocks table under the linux-* profiles, as block/badblocks.c keeps it (reference
 * §2.1, §2.2), written as a test script over the sysfs file: 512 entries fill it; a store into the
 * full table fails with ENOSPC and changes nothing, while one that merges into an entry still fits;
 * an error the platform reports then is not recorded (the read still fails, by machine check); a clear
 * whose split does not fit is dropped, so a sector written with good data stays "bad"; under the
 * pmemfs profile the table has no limit.
 */
class BadblocksTableScenarioTest {
    @TempDir
    Path home;

    @Test
    void badblocks_table_sh() throws Exception {
        Shell sh = new Shell(home);
        Cli cli = new Cli(home);

        // an fsdax namespace whose filesystem behaves as Linux 5.19
        sh.ndctl("create-namespace", "--size", "64m");
        cli.run("mkfs", "-o", "linux-5.19", "namespace0.0").ok();

        // fill the table: 512 one-sector entries, none touching another; sectors 50000..50002 are one entry
        sh.echoBadblocks("pmem0", "50000 3");
        // for i in $(seq 1 511); do echo $((60000 + 2 * i)) 1 > /sys/block/pmem0/badblocks; done
        // (the same sysfs store, in one process: 511 command lines would cost half a minute)
        try (Namespace ns = Namespace.open(home.resolve("namespace0.0.img"))) {
            BlockDevice pmem0 = Pmem.probe(ns).block();
            for (int i = 1; i < 512; i++) {
                pmem0.badblocksStore((60000 + 2 * i) + " 1\n");
            }
        }
        String full = sh.badblocks("pmem0");
        assertEquals(512, full.lines().count());

        // one more entry: ENOSPC, nothing changes
        Cli.Result r = cli.run("dev", "badblocks", "pmem0", "--add", "70000 1");
        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("No space left on device"), r.err());
        assertEquals(full, sh.badblocks("pmem0"));

        // a store that merges into an entry still fits: 50003 extends 50000+3
        sh.echoBadblocks("pmem0", "50003 1");
        assertTrue(sh.badblocks("pmem0").startsWith("50000 4\n"));
        assertEquals(512, sh.badblocks("pmem0").lines().count());

        // an error the platform reports now is not recorded in the full table; the poison is still there
        sh.ndctl("inject-error", "--block=80000", "--count=1", "namespace0.0");
        assertFalse(sh.badblocks("pmem0").contains("80000 1"), "no room for it");
        assertTrue(sh.ndctl("inject-error", "--status", "namespace0.0").contains("80000"));
        assertFalse(sh.ddRead("pmem0", 80000, 1), "the read still fails: the load meets the poison");

        // writing sector 50001 would split 50000+4 in two entries: the clear is dropped, the sector stays bad
        assertTrue(sh.ddWriteZeros("pmem0", 50001, 1));
        assertTrue(sh.badblocks("pmem0").startsWith("50000 4\n"));
        assertFalse(sh.ddRead("pmem0", 50001, 1), "good data, still refused");
        // writing the whole entry removes it without a split
        assertTrue(sh.ddWriteZeros("pmem0", 50000, 4));
        assertFalse(sh.badblocks("pmem0").contains("50000 "));
        assertEquals(511, sh.badblocks("pmem0").lines().count());

        // mounted as pmemfs, the table is the scalable set: no limit
        sh.echoBadblocks("pmem0", "70000 1");
        Cli.Result mount = cli.run("ls", "-o", "pmemfs", "namespace0.0:/");
        assertEquals(0, mount.exit(), mount.err());
        sh.echoBadblocks("pmem0", "71000 1");
        sh.echoBadblocks("pmem0", "72000 1");
        assertEquals(514, sh.badblocks("pmem0").lines().count());
    }
}
