package dev.pmemfs.cli.recover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Cli;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every cell of the README's privilege table, proven through the command line: who may clear poison
 * in which file, with which design.
 */
class PrivilegeTableTest {
    private static final String NS = "namespace0.0";
    private static final String USER = "1000:1000";

    @TempDir
    Path home;
    Cli cli;

    @BeforeEach
    void namespaceWithFiles() {
        cli = new Cli(home);
        ok(cli.run("ndctl", "create-namespace", "--size", "64m"));
        ok(cli.run("mkfs", NS));
        ok(cli.run("io", "-r", NS + ":/", "-c", "chmod 0777"));
        ok(cli.run("io", "-f", "--user", USER, NS + ":/mine", "-c", "pwrite -S 0x61 0 256k"));
        ok(cli.run("io", "-f", NS + ":/roots", "-c", "pwrite -S 0x72 0 256k"));
    }

    private static Cli.Result ok(Cli.Result r) {
        assertEquals(0, r.exit(), r.out() + r.err());
        return r;
    }

    private static void assertRefused(Cli.Result r, String why) {
        assertNotEquals(0, r.exit(), r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(why), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    /** Poisons the 512-byte sector at {@code fileOffset} of {@code path} (a notified inject-error). */
    private void poison(String path, long fileOffset) {
        Cli.Result map = ok(cli.run("io", "-r", NS + ":" + path, "-c", "fiemap"));
        Matcher m = Pattern.compile("\\[(\\d+)\\.\\.(\\d+)\\]: (\\d+)\\.\\.(\\d+)").matcher(map.out());
        assertTrue(m.find(), map.out());
        long sector = Long.parseLong(m.group(3)) + fileOffset / 512;
        ok(cli.run("ndctl", "inject-error", NS, "--block", Long.toString(sector), "--count", "1"));
    }

    private String badblocks() {
        return ok(cli.run("dev", "badblocks", NS)).out();
    }

    @Test
    void user_clearsPoisonInAFileTheyCanWrite_withoutPrivilege() {
        poison("/mine", 8192);
        Cli.Result r = ok(cli.run("recover", NS + ":/mine", "--user", USER));
        assertTrue(r.out().contains("with zeroinit: repaired in place"), r.out());
        assertEquals("", badblocks());
        ok(cli.run("io", "-r", "--user", USER, NS + ":/mine", "-c", "pread 0 256k"));
    }

    @Test
    void user_salvagesAFileTheyCanWrite_losingOnlyThePoisonedSector() {
        poison("/mine", 8192 + 1024);
        Cli.Result r = ok(cli.run("recover", NS + ":/mine", "--user", USER, "--strategy", "salvage"));
        assertTrue(r.out().contains("with salvage: salvaged 1 block in place"), r.out());
        assertTrue(r.out().contains("  data lost at offset 9216 length 512 (now reads as zeros)\n"), r.out());
        assertEquals(1, r.out().lines().filter(l -> l.contains("data lost")).count(), r.out());
        assertEquals("", badblocks());
        assertEquals("00002000:  61 61  aa\n00002400:  00 00  ..\n00002600:  61 61  aa\n",
                ok(cli.run("io", "-r", "--user", USER, NS + ":/mine", "-c", "pread -q -v 8192 2",
                        "-c", "pread -q -v 9216 2", "-c", "pread -q -v 9728 2")).out());
    }

    @Test
    void user_cannotRecoverAFileTheyCannotWrite() {
        poison("/roots", 0);
        String before = badblocks();
        assertRefused(cli.run("recover", NS + ":/roots", "--user", USER), "Permission denied");
        assertEquals(before, badblocks(), "a refused recovery changes nothing");
    }

    @Test
    void user_cannotBlkzeroout_withoutRawio() {
        poison("/mine", 0);
        String before = badblocks();
        assertRefused(cli.run("recover", NS + ":/mine", "--user", USER, "--strategy", "fiemap-blkzeroout"),
                "needs raw device (CAP_SYS_RAWIO)");
        assertRefused(cli.run("dev", "zeroout", NS, "0", "4096", "--user", USER), "Permission denied");
        assertEquals(before, badblocks());
    }

    @Test
    void rawio_mayBlkzeroout() {
        poison("/mine", 0);
        ok(cli.run("recover", NS + ":/mine", "--user", USER, "--cap", "CAP_SYS_RAWIO", "--strategy", "fiemap-blkzeroout"));
        assertEquals("", badblocks());
    }

    @Test
    void diskGroup_mayBlkzeroout_withoutCapabilities() {
        poison("/mine", 0);
        ok(cli.run("recover", NS + ":/mine", "--user", "1000:6", "--strategy", "fiemap-blkzeroout"));
        assertEquals("", badblocks());
    }

    @Test
    void unmountClear_isForAdministratorsOnly() {
        poison("/mine", 4096);
        assertRefused(cli.run("recover", NS + ":/mine", "--user", USER, "--strategy", "unmount-clear"),
                "needs admin");
        Cli.Result r = ok(cli.run("recover", NS + ":/mine", "--strategy", "unmount-clear"));
        assertTrue(r.out().contains("undefined content"), r.out());
        assertTrue(r.out().contains("fsck after the clear: no metadata damage"), r.out());
        assertEquals("", badblocks());
    }

    @Test
    void punchPwrite_works_forTheFilesOwner_butLeavesThePoisonInFreeSpace() {
        poison("/mine", 0);
        ok(cli.run("recover", NS + ":/mine", "--user", USER, "--strategy", "punch-pwrite"));
        assertNotEquals("", badblocks(), "the poisoned block went back to free space, still poisoned");
        assertTrue(ok(cli.run("badblocks", NS)).out().contains("free space"));
    }

    @Test
    void badblocks_listsOwners_forAnyone() {
        poison("/mine", 4096);
        Cli.Result r = ok(cli.run("badblocks", NS, "--files"));
        assertEquals("sectors " + r.out().split("[ +]")[1] + "+8\tfile /mine offset 4096 length 4096\n", r.out());
    }

    @Test
    void madviseHwpoison_needsCapSysAdmin() {
        Cli.Result r = cli.run("io", "--user", USER, NS + ":/mine", "-c", "mmap 0 4k", "-c", "madvise -P 0 4k");
        assertTrue(r.err().contains("madvise: Operation not permitted") || r.out().contains("madvise: Operation not permitted"),
                r.out() + r.err());
    }

    @Test
    void recover_badInput_isOneLineAndChangesNothing() {
        poison("/mine", 0);
        String before = badblocks();
        assertRefused(cli.run("recover", NS + ":/mine", "--strategy", "scrub-it"), "unknown strategy 'scrub-it'");
        assertRefused(cli.run("recover", NS + ":/mine", "--range", "4k"), "not OFF:LEN");
        assertRefused(cli.run("recover", NS + ":/mine", "-o", "zeroinit=maybe"), "takes on or off");
        assertRefused(cli.run("recover", NS, "--user", USER), "not NS:/path");
        assertRefused(cli.run("recover", "namespace9.0:/x"), "no such namespace");
        assertRefused(cli.run("recover", NS + ":/"), "is a directory");
        assertRefused(cli.run("recover", NS + ":/nothing-here"), "No such file or directory");
        assertEquals(before, badblocks());
    }

    @Test
    void ndctlChanges_needAnAdministrator_listingDoesNot() {
        String before = badblocks();
        assertRefused(cli.run("ndctl", "inject-error", NS, "--block", "100", "--count", "1", "--user", USER), "needs an administrator");
        assertRefused(cli.run("ndctl", "clear-errors", NS, "--user", USER), "needs an administrator");
        assertRefused(cli.run("ndctl", "start-scrub", "--user", USER), "needs an administrator");
        assertRefused(cli.run("ndctl", "create-namespace", "--size", "16m", "--user", USER), "needs an administrator");
        assertRefused(cli.run("ndctl", "destroy-namespace", NS, "--user", USER), "needs an administrator");
        assertRefused(cli.run("ndctl", "inject-fault", NS, "--clear-fails", "--user", USER), "needs an administrator");
        assertRefused(cli.run("ndctl", "ars-status", "region0", "--user", USER), "needs an administrator");
        assertRefused(cli.run("ndctl", "ars-start", "region0", "--user", USER), "needs an administrator");
        assertRefused(cli.run("ndctl", "ars-cap", "region0", "--user", USER), "needs an administrator");
        assertRefused(cli.run("ndctl", "clear-error", "region0", "-a", "0", "-l", "4096", "--user", USER), "needs an administrator");
        assertRefused(cli.run("dev", "corrupt-pfn", NS, "0", "--user", USER), "needs an administrator");
        for (String able : new String[] {"disable-region", "enable-region", "disable-namespace", "enable-namespace"}) {
            assertRefused(cli.run("ndctl", able, "all", "--user", USER), "needs an administrator");
        }
        ok(cli.run("ndctl", "inject-error", NS, "--block", "100", "--count", "1", "--user", "1000", "--cap", "CAP_SYS_ADMIN"));
        assertNotEquals(before, badblocks());
        ok(cli.run("ndctl", "list", "-M", "--user", USER));
        ok(cli.run("badblocks", NS, "--user", USER));
    }

    @Test
    void mkfsAndFsck_openTheBlockDevice_soTheyNeedItsPermissions() {
        assertRefused(cli.run("mkfs", "-f", NS, "--user", USER), "Permission denied");
        assertRefused(cli.run("fsck", NS, "--user", USER), "Permission denied");
        ok(cli.run("fsck", NS, "--user", USER, "--cap", "CAP_SYS_RAWIO"));
        ok(cli.run("io", "-r", "--user", USER, NS + ":/mine", "-c", "pread 0 4k"));
    }
}
