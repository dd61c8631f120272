package dev.pmemfs.cli.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mkfs, io, ls and cp in-process, with bad input: one line on stderr, non-zero exit, image unchanged. */
class FsCommandsTest {
    private static final String NS = "namespace0.0";

    @TempDir
    Path home;
    Cli cli;

    @BeforeEach
    void namespace() {
        cli = new Cli(home);
        Cli.Result r = cli.run("ndctl", "create-namespace", "--size", "32m");
        assertEquals(0, r.exit(), r.err());
        Cli.Result mkfs = cli.run("mkfs", NS);
        assertEquals(0, mkfs.exit(), mkfs.err());
        assertTrue(mkfs.out().startsWith("meta-data=pmem0 "), mkfs.out());
    }

    private String imageHash() throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                Files.readAllBytes(home.resolve("namespace0.0.img"))));
    }

    private static void assertOneLineError(Cli.Result r) {
        assertNotEquals(0, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void io_writeReadSeekStat_printsXfsIoOutput() {
        Cli.Result r = cli.run("io", "-f", NS + ":/x", "-c", "pwrite -S 0x41 0 8k", "-c", "seek -d 0",
                "-c", "pread -v 8190 10", "-c", "stat");
        assertEquals(0, r.exit(), r.err());
        assertEquals("wrote 8192/8192 bytes at offset 0\n"
                + "XXX Bytes, X ops; XX:XX:XX.X (XXX YYY/sec and XXX ops/sec)\n"
                + "Whence\tResult\n"
                + "DATA\t0\n"
                + "00001ffe:  41 41  AA\n"
                + "read 2/10 bytes at offset 8190\n"
                + "XXX Bytes, X ops; XX:XX:XX.X (XXX YYY/sec and XXX ops/sec)\n"
                + "fd.path = \"/x\"\n"
                + "fd.flags = non-sync,non-direct,read-write\n"
                + "stat.ino = 2\n"
                + "stat.type = regular file\n"
                + "stat.size = 8192\n"
                + "stat.blocks = 16\n"
                + "fsxattr.xflags = 0x0 [-----------------]\n"
                + "fsxattr.projid = 0\n"
                + "fsxattr.extsize = 0\n"
                + "fsxattr.cowextsize = 0\n"
                + "fsxattr.nextents = 1\n"
                + "fsxattr.naextents = 0\n"
                + "dioattr.mem = 0x200\n"
                + "dioattr.miniosz = 512\n"
                + "dioattr.maxiosz = 2147483136\n", r.filteredOut());
        assertEquals("", r.err());
    }

    @Test
    void io_fiemapWithHoles_matchesXfsIoLayout() {
        Cli.Result r = cli.run("io", "-f", NS + ":/x", "-c", "pwrite 0 8k", "-c", "falloc 16k 8k",
                "-c", "fpunch 0 4k", "-c", "fiemap", "-c", "fiemap -v");
        assertEquals(0, r.exit(), r.err());
        String out = r.filteredOut();
        assertTrue(out.matches("(?s).*/x:\n"
                + "\t0: \\[0\\.\\.7\\]: hole\n"
                + "\t1: \\[8\\.\\.15\\]: \\d+\\.\\.\\d+\n"
                + "\t2: \\[16\\.\\.31\\]: hole\n"
                + "\t3: \\[32\\.\\.47\\]: \\d+\\.\\.\\d+\n"
                + "/x:\n"
                + " EXT: FILE-OFFSET      BLOCK-RANGE +TOTAL FLAGS\n"
                + "   0: \\[0\\.\\.7\\]:          hole +8\n"
                + "   1: \\[8\\.\\.15\\]:         \\d+\\.\\.\\d+ +8   0x0\n"
                + "   2: \\[16\\.\\.31\\]:        hole +16\n"
                + "   3: \\[32\\.\\.47\\]:        \\d+\\.\\.\\d+ +16 0x801\n"), out);
    }

    @Test
    void io_errors_printedAsXfsIoAndExitOne() {
        cli.run("io", "-f", NS + ":/x", "-c", "pwrite 0 4k");
        Cli.Result r = cli.run("io", "-r", NS + ":/x", "-c", "falloc 0 4k", "-c", "pwrite 0 1", "-c", "truncate 0",
                "-c", "fzero 0 0", "-c", "fzeroinit 0 4k", "-c", "bogus", "-c", "pread 0 1");
        assertEquals(1, r.exit());
        assertEquals("fallocate: Bad file descriptor\n"
                + "pwrite: Bad file descriptor\n"
                + "ftruncate: Invalid argument\n"
                + "fallocate: Invalid argument\n"
                + "fallocate: Bad file descriptor\n"
                + "command \"bogus\" not found\n", r.err());
        assertTrue(r.out().startsWith("read 1/1 bytes at offset 0\n"), r.out());
    }

    @Test
    void io_unknownCommandOrAtFileWord_messageThenExitZero_asXfsIo() throws IOException {
        Path args = Files.writeString(home.resolve("args"), "pread 0 1\n");
        Cli.Result r = cli.run("io", "-f", NS + ":/x", "-c", "@" + args, "-c", "bogus", "-c", "truncate 1 2",
                "-c", "pwrite 0 1");
        assertEquals(0, r.exit(), r.err());
        assertEquals("command \"@" + args + "\" not found\n"
                + "command \"bogus\" not found\n"
                + "bad argument count 2 to truncate, expected 1 arguments\n", r.err());
        assertEquals("wrote 1/1 bytes at offset 0\n", r.out().lines().findFirst().orElseThrow() + "\n");
    }

    @Test
    void io_asUnprivilegedUser_getsEaccesAndEperm() {
        cli.run("io", "-f", NS + ":/x", "-c", "pwrite 0 4k");
        Cli.Result r = cli.run("io", NS + ":/x", "--user", "1000", "-c", "pread 0 1");
        assertEquals(1, r.exit());
        assertEquals("/x: Permission denied\n", r.err());
        // DAC override opens the file, but flags need ownership (or CAP_FOWNER) and CAP_LINUX_IMMUTABLE.
        Cli.Result notOwner = cli.run("io", NS + ":/x", "--user", "1000", "--cap", "CAP_DAC_OVERRIDE",
                "-c", "chattr +i");
        assertEquals(1, notOwner.exit());
        assertEquals("pmemfs: cannot set flags on /x: Operation not permitted\n", notOwner.err());
        Cli.Result noImmutableCap = cli.run("io", NS + ":/x", "--user", "1000", "--cap",
                "CAP_DAC_OVERRIDE,CAP_FOWNER", "-c", "chattr +i");
        assertEquals("pmemfs: cannot set flags on /x: Operation not permitted\n", noImmutableCap.err());
        Cli.Result allowed = cli.run("io", NS + ":/x", "--user", "1000", "--cap",
                "CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_LINUX_IMMUTABLE", "-c", "chattr +i", "-c", "lsattr");
        assertEquals(0, allowed.exit(), allowed.err());
        assertEquals("--i-------------- /x \n", allowed.out());
        assertEquals("/x: Operation not permitted\n", cli.run("io", NS + ":/x", "-c", "pwrite 0 1").err());
    }

    @Test
    void io_madviseHwpoison_killsWithSigbusAndLeavesKnownPoison() {
        cli.run("io", "-f", NS + ":/x", "-c", "pwrite 0 16k");
        Cli.Result denied = cli.run("io", "-r", NS + ":/x", "--user", "1000:1000", "-c", "mmap -r 0 16k",
                "-c", "madvise -P 4096 4096");
        assertEquals("/x: Permission denied\n", denied.err());
        Cli.Result killed = cli.run("io", "-r", NS + ":/x", "-c", "mmap -r 0 16k", "-c", "madvise -P 4096 4096",
                "-c", "pread 0 1");
        assertEquals(135, killed.exit());
        assertEquals("SIGBUS (BUS_MCEERR_AR): hardware memory error at mapping offset 0x1000, lsb 12\n", killed.err());
        Cli.Result after = cli.run("io", "-r", NS + ":/x", "-c", "pread 4096 4096", "-c", "pread 0 4096");
        assertEquals("pread: Input/output error\n", after.err());
        assertTrue(after.out().startsWith("read 4096/4096 bytes at offset 0\n"), after.out());
    }

    @Test
    void lsAndCp_copyInAndOut(@TempDir Path host) throws IOException {
        byte[] data = new byte[300_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        Path in = host.resolve("blob");
        Files.write(in, data);
        assertEquals(0, cli.run("cp", in.toString(), NS + ":/").exit());
        Cli.Result ls = cli.run("ls", NS + ":/");
        assertEquals("-rw-r--r-- 1 0 0 300000 blob\n", ls.out());
        Path out = host.resolve("back");
        Cli.Result cp = cli.run("cp", NS + ":/blob", out.toString());
        assertEquals(0, cp.exit(), cp.err());
        assertArrayEquals(data, Files.readAllBytes(out));
    }

    @Test
    void badInput_oneLineErrorAndImageUnchanged() throws Exception {
        cli.run("io", "-f", NS + ":/x", "-c", "pwrite 0 4k");
        String before = imageHash();
        assertOneLineError(cli.run("io", "namespace7.0:/x", "-c", "pread 0 1"));
        assertOneLineError(cli.run("io", "nonsense", "-c", "pread 0 1"));
        assertOneLineError(cli.run("io", NS + ":relative", "-c", "pread 0 1"));
        assertOneLineError(cli.run("io", NS + ":/missing", "-c", "pwrite 0 1"));
        assertOneLineError(cli.run("io", NS + ":/x", "--user", "abc", "-c", "pread 0 1"));
        assertOneLineError(cli.run("ls", NS + ":/missing"));
        assertOneLineError(cli.run("cp", "/no/such/host/file", NS + ":/y"));
        assertOneLineError(cli.run("cp", "/etc/hostname", "/tmp/other"));
        assertOneLineError(cli.run("cp", NS + ":/x", NS + ":/y"));
        assertOneLineError(cli.run("cp", home.resolve("namespace0.0.img").toString(), NS + ":/nodir/y"));
        assertOneLineError(cli.run("mkfs", "namespace9.0"));
        assertOneLineError(cli.run("mkfs", "bogus"));
        Cli.Result again = cli.run("mkfs", NS);
        assertOneLineError(again);
        assertTrue(again.err().contains("mkfs -f"), again.err());
        assertEquals(before, imageHash());
    }

    @Test
    void io_openAndClose_switchFiles() {
        Cli.Result r = cli.run("io", "-f", NS + ":/a", "-c", "pwrite 0 1k", "-c", "open -c /b", "-c", "pwrite 0 2k",
                "-c", "open", "-c", "close", "-c", "stat", "-c", "open /nope");
        assertEquals(1, r.exit());
        assertEquals("/nope: No such file or directory\n", r.err());
        String out = r.filteredOut();
        assertTrue(out.contains("fd.path = \"/b\"\nfd.flags = non-sync,non-direct,read-write\nstat.ino = 3\n"
                + "stat.type = regular file\nstat.size = 2048\n"), out);
        assertTrue(out.contains("fd.path = \"/a\"\nfd.flags = non-sync,non-direct,read-write\nstat.ino = 2\n"
                + "stat.type = regular file\nstat.size = 1024\n"), out);
    }

    /**
     * The same command lines run with xfs_io 6.1 on a Linux ext4 file printed this (device block
     * numbers masked as PHYS, the -v table's padding collapsed since it depends on their width).
     */
    @Test
    void io_seekFiemapMread_matchXfsIoOnLinux() {
        Cli.Result r = cli.run("io", "-f", NS + ":/f", "-c", "pwrite -q 4k 4k", "-c", "pwrite -q 16k 8k",
                "-c", "truncate 32k", "-c", "seek -a -r 0", "-c", "seek -a -r -s 0", "-c", "seek -d 5000",
                "-c", "seek -h 5000", "-c", "seek -a 8k", "-c", "seek -d 30000", "-c", "seek -h 40000",
                "-c", "fiemap", "-c", "fiemap -v 0 20k", "-c", "fiemap -l 6k 16k", "-c", "fiemap -n 2",
                "-c", "mmap -rw 0 32k", "-c", "mwrite 0 2", "-c", "mread -v 0 8", "-c", "mread -v 4094 4",
                "-c", "mread -f -v 8192 3", "-c", "lsattr -v");
        assertEquals(0, r.exit(), r.err());
        String masked = r.out().replaceAll("(?<=\\]:\\s{1,40})\\d+\\.\\.\\d+", "PHYS")
                .replaceAll("(?m)^ +", " ").replaceAll(" {2,}", " ");
        assertEquals("""
                Whence\tResult
                HOLE\t0
                DATA\t4096
                HOLE\t8192
                DATA\t16384
                HOLE\t24576
                Whence\tStart\tResult
                HOLE\t0\t0
                DATA\t0\t4096
                HOLE\t4096\t8192
                DATA\t8192\t16384
                HOLE\t16384\t24576
                Whence\tResult
                DATA\t5000
                Whence\tResult
                HOLE\t8192
                Whence\tResult
                HOLE\t8192
                DATA\t16384
                Whence\tResult
                DATA\tEOF
                Whence\tResult
                HOLE\tEOF
                /f:
                \t0: [0..7]: hole
                \t1: [8..15]: PHYS
                \t2: [16..31]: hole
                \t3: [32..47]: PHYS
                \t4: [48..63]: hole
                /f:
                 EXT: FILE-OFFSET BLOCK-RANGE TOTAL FLAGS
                 0: [0..7]: hole 8
                 1: [8..15]: PHYS 8 0x0
                 2: [16..31]: hole 16
                 3: [32..39]: PHYS 8 0x1
                /f:
                \t0: [8..15]: PHYS 8 blocks
                \t1: [16..31]: hole 16 blocks
                \t2: [32..47]: PHYS 16 blocks
                /f:
                \t0: [0..7]: hole
                \t1: [8..15]: PHYS
                00000000: 58 58 00 00 00 00 00 00 XX......
                00000ffe: 00 00 cd cd ....
                00002000: 00 00 00 ...
                [] /f\s
                """, masked);
    }

    /**
     * Both superblock copies fail their checksum: fsck cannot check (exit 8, one line), yet mkfs still
     * sees a filesystem there, because it decides from the superblock magic and never from fsck's exit
     * code (a bug in the checker could otherwise make mkfs destroy a filesystem without -f).
     */
    @Test
    void mkfs_bothSuperblocksDamaged_fsckCannotCheckButMkfsStillRefuses() throws Exception {
        cli.run("io", "-f", NS + ":/x", "-c", "pwrite 0 4k");
        try (var ns = dev.pmemfs.media.Namespace.open(home.resolve("namespace0.0.img"))) {
            for (long blk = 0; blk < 2; blk++) {
                ns.write(ns.dataOffset() + blk * 4096 + 200, new byte[] {0x5a}, 0, 1);
                ns.flush(ns.dataOffset() + blk * 4096, 4096);
            }
            ns.fence();
        }
        Cli.Result fsck = cli.run("fsck", NS);
        assertEquals(8, fsck.exit(), fsck.out() + fsck.err());
        String before = imageHash();
        Cli.Result mkfs = cli.run("mkfs", NS);
        assertOneLineError(mkfs);
        assertTrue(mkfs.err().contains("damaged pmemfs") && mkfs.err().contains("mkfs -f"), mkfs.err());
        assertEquals(before, imageHash());
        assertEquals(0, cli.run("mkfs", "-f", NS).exit());
        assertEquals(0, cli.run("fsck", NS).exit());
    }

    /** A poisoned primary superblock: nothing proves the device is free, so mkfs refuses without -f. */
    @Test
    void mkfs_poisonedSuperblock_refusesWithoutForce() throws Exception {
        try (var ns = dev.pmemfs.media.Namespace.open(home.resolve("namespace0.0.img"))) {
            ns.injectError(ns.dataOffset(), 512, true);
        }
        Cli.Result mkfs = cli.run("mkfs", NS);
        assertOneLineError(mkfs);
        assertTrue(mkfs.err().contains("cannot be read"), mkfs.err());
        Cli.Result forced = cli.run("mkfs", "-f", NS);
        assertEquals(0, forced.exit(), forced.err());
        assertEquals(0, cli.run("fsck", NS).exit());
    }

    @Test
    void mkfs_force_overwritesTheFilesystem() {
        cli.run("io", "-f", NS + ":/x", "-c", "pwrite 0 4k");
        assertEquals(0, cli.run("mkfs", "-f", NS).exit());
        assertEquals("", cli.run("ls", NS + ":/").out());
    }

    @Test
    void fsck_cleanThenCorruptedSuperblockRepaired() throws IOException {
        cli.run("io", "-f", NS + ":/x", "-c", "pwrite 0 64k");
        Cli.Result clean = cli.run("fsck", NS);
        assertEquals(0, clean.exit(), clean.out() + clean.err());
        assertEquals("pmem0: clean\n", clean.out());
        // Scribble over the primary superblock (block 0 of the data area).
        try (var ns = dev.pmemfs.media.Namespace.open(home.resolve("namespace0.0.img"))) {
            ns.write(ns.dataOffset() + 64, new byte[512], 0, 512);
            ns.flush(ns.dataOffset(), 4096);
            ns.fence();
        }
        Cli.Result found = cli.run("fsck", NS);
        assertNotEquals(0, found.exit());
        assertTrue(found.out().contains("superblock"), found.out());
        Cli.Result repaired = cli.run("fsck", NS, "--repair");
        assertEquals(1, repaired.exit(), repaired.out());
        assertEquals(0, cli.run("fsck", NS).exit());
        assertEquals(0, cli.run("io", "-r", NS + ":/x", "-c", "pread 0 64k").exit());
    }

    @Test
    void io_onUnformattedNamespace_saysToRunMkfs() {
        assertEquals(0, cli.run("ndctl", "create-namespace", "--size", "16m").exit());
        Cli.Result r = cli.run("io", "namespace1.0:/x", "-c", "pread 0 1");
        assertOneLineError(r);
        assertTrue(r.err().contains("mkfs"), r.err());
    }
}
