package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.stack.PmemStack;
import dev.pmemfs.testing.Cli;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12.5 through the commands a user runs: an inode whose inline extent count is -1 (checksum
 * valid) made {@code ls}, {@code cp} and {@code io} print "internal error (IllegalArgumentException:
 * Illegal Capacity: -1)" and fsck give up; now each answers one line naming the corruption, and fsck
 * reports it. And {@code cp} copies a sparse file by its data only.
 */
class HostileImageCliTest {
    static final String NS = "namespace0.0";

    @TempDir
    Path home;
    Cli cli;

    @BeforeEach
    void namespace() {
        cli = new Cli(home);
        assertEquals(0, cli.run("ndctl", "create-namespace", "--size", "32m").exit());
        assertEquals(0, cli.run("mkfs", NS).exit());
    }

    static void oneLineCorruption(Cli.Result r) {
        assertNotEquals(0, r.exit(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(r.err().contains("internal error") || r.err().contains("Exception"), r.err());
        assertTrue(r.err().contains("Structure needs cleaning") || r.err().contains("fork format 0"), r.err());
    }

    @Test
    void inlineExtentCountMinusOne_isCorruptionForLsCpIoAndFsck(@TempDir Path host) throws Exception {
        assertEquals(0, cli.run("io", "-f", NS + ":/f", "-c", "pwrite 0 4k").exit());
        Path image = home.resolve(NS + ".img");
        long ino;
        try (PmemStack s = PmemStack.open(image).build()) {
            ino = s.fs().lookup(s.fs().rootIno(), "f");
        }
        try (PmemStack s = PmemStack.open(image).unmounted().build()) {
            MetaStore meta = new MetaStore(s.pmem().dax(), s.pmem().block(), PmemFs.readSuperblock(s.pmem().dax()));
            Geometry g = meta.geometry();
            byte[] img = meta.edit(g.itabBlock(ino), MetaBlock.MAGIC_INODES, "inode table", false);
            MediaStruct.of(img).set(MediaStruct.U32, g.itabSlotOffset(ino) + InodeCodec.INODE.offset("count"), -1);
            MetaBlock.seal(img, MetaBlock.MAGIC_INODES, g.itabBlock(ino), meta.fsid());
            meta.write(g.itabBlock(ino), img);
            s.pmem().dax().fence();
        }
        oneLineCorruption(cli.run("ls", NS + ":/"));
        oneLineCorruption(cli.run("cp", NS + ":/f", host.resolve("f").toString()));
        oneLineCorruption(cli.run("io", "-r", NS + ":/f", "-c", "pread 0 4k"));
        Cli.Result fsck = cli.run("fsck", NS);
        assertEquals(FsckReport.UNCORRECTED, fsck.exit(), fsck.out() + fsck.err());
        assertTrue((fsck.out() + fsck.err()).contains("inode " + ino), fsck.out() + fsck.err());
    }

    @Test
    void cpCopiesASparseFileByItsDataOnly(@TempDir Path host) throws Exception {
        long far = 1L << 40; // 1 TiB: a byte-by-byte copy would not finish in this test's lifetime
        assertEquals(0, cli.run("io", "-f", NS + ":/sparse", "-c", "pwrite -S 0x61 0 4k",
                "-c", "pwrite -S 0x62 " + far + " 4k").exit());
        Path out = host.resolve("sparse");
        Cli.Result cp = cli.run("cp", NS + ":/sparse", out.toString());
        assertEquals(0, cp.exit(), cp.err());
        assertEquals(far + 4096, Files.size(out));
        try (RandomAccessFile raf = new RandomAccessFile(out.toFile(), "r")) {
            assertEquals(0x61, raf.read());
            raf.seek(4096);
            assertEquals(0, raf.read()); // the hole
            raf.seek(far + 4095);
            assertEquals(0x62, raf.read());
        }
        // And back in: the host file's holes stay holes in pmemfs (two data blocks allocated, not 2^28).
        Cli.Result in = cli.run("cp", out.toString(), NS + ":/back");
        assertEquals(0, in.exit(), in.err());
        Cli.Result st = cli.run("io", "-r", NS + ":/back", "-c", "stat");
        assertTrue(st.out().contains("stat.size = " + (far + 4096)), st.out());
        assertTrue(st.out().contains("stat.blocks = 16\n"), st.out()); // 2 blocks of 8 sectors
        Cli.Result back = cli.run("io", "-r", NS + ":/back", "-c", "pread -v " + far + " 16");
        assertTrue(back.out().contains("62 62 62 62"), back.out());
    }
}
