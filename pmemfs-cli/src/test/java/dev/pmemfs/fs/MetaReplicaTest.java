package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Self-healing metadata ({@code mkfs -o meta_replicas=2}), as a user meets it: a filesystem with files
 * is unmounted, one metadata block is damaged (known poison, latent poison, or one flipped byte), and
 * the next mount uses the block's copy, rewrites the damaged one in place (clearing the poison), logs
 * one line, and fsck then finds nothing; every file reads back.
 */
class MetaReplicaTest {
    static final MkfsOptions TWO = MkfsOptions.DEFAULTS.withMetaReplicas(2);

    @TempDir
    Path dir;

    /** A mounted two-replica filesystem with a directory of files; returns path → content. */
    private static Map<String, byte[]> populate(FsFixture f) throws ErrnoException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        long d = f.fs.create(f.fs.rootIno(), "d", FileType.DIRECTORY, 0755, 0, 0);
        for (int i = 0; i < 20; i++) {
            byte[] data = FsFixture.pattern(3000 + 997 * i, i);
            long ino = f.fs.create(d, "f" + i, FileType.REGULAR, 0644, 0, 0);
            f.fs.write(ino, 0, data, 0, data.length);
            files.put("f" + i, data);
        }
        // Every other block written: 21 extents, more than the inode holds, so the list gets a leaf block.
        long frag = f.fs.create(d, "frag", FileType.REGULAR, 0644, 0, 0);
        byte[] all = new byte[41 * FileSystem.BLOCK_SIZE];
        for (int i = 0; i <= 40; i += 2) {
            byte[] blk = FsFixture.pattern(FileSystem.BLOCK_SIZE, 100 + i);
            f.fs.write(frag, (long) i * FileSystem.BLOCK_SIZE, blk, 0, blk.length);
            System.arraycopy(blk, 0, all, i * FileSystem.BLOCK_SIZE, blk.length);
        }
        files.put("frag", all);
        f.fs.symlink(d, "link", LONG_TARGET, 0, 0);
        return files;
    }

    /** Longer than the inode holds: the target goes to a symlink block. */
    static final String LONG_TARGET = "t/".repeat(150);

    private static void readBack(FsFixture f, Map<String, byte[]> files) throws ErrnoException {
        long d = f.fs.lookup(f.fs.rootIno(), "d");
        for (var e : files.entrySet()) {
            assertArrayEquals(e.getValue(), f.readAll(f.fs.lookup(d, e.getKey())), e.getKey());
        }
        assertEquals(LONG_TARGET, f.fs.readlink(f.fs.lookup(d, "link")));
    }

    enum Damage { KNOWN_POISON, LATENT_POISON, FLIPPED_BYTE }

    static void damage(FsFixture f, long block, Damage how) throws ErrnoException {
        long off = block * FileSystem.BLOCK_SIZE;
        switch (how) {
            case KNOWN_POISON -> f.ns.injectError(f.ns.dataOffset() + off + 512, 512, true);
            case LATENT_POISON -> f.ns.injectError(f.ns.dataOffset() + off + 1024, 64, false);
            case FLIPPED_BYTE -> {
                var w = f.dax.directAccess(block, 1, DaxAccessMode.ACCESS);
                byte[] one = new byte[1];
                w.read(100, one, 0, 1);
                one[0] ^= 0x5a;
                w.write(100, one, 0, 1);
                f.dax.fence();
            }
        }
    }

    /** The replicated structures, each named by a block of it that holds this filesystem's state. */
    private static Map<String, Long> structures(FsFixture f) throws ErrnoException {
        Geometry g = PmemFs.readSuperblock(f.dax).geometry();
        long d = f.fs.lookup(f.fs.rootIno(), "d");
        long file = f.fs.lookup(d, "f3");
        long data = f.fs.extents(file, 0, 1).getFirst().physical() / FileSystem.BLOCK_SIZE;
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("orphan list", Geometry.ORPHAN_BLOCK);
        m.put("block bitmap", g.bbmStart());
        m.put("inode bitmap", g.ibmStart());
        m.put("inode table", g.itabBlock(file));
        m.put("rmap", g.rmapBlock(data));
        InodeTable t = ((MountedFs) f.fs).volume().inodes;
        m.put("directory", t.get(d).extents.all().getFirst().devBlock());
        m.put("extent list", t.get(f.fs.lookup(d, "frag")).leaves[0]);
        m.put("symlink", t.get(f.fs.lookup(d, "link")).extents.all().getFirst().devBlock());
        return m;
    }

    @TestFactory
    Stream<DynamicTest> damageInEachStructureIsHealedFromItsCopy() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String structure : List.of("orphan list", "block bitmap", "inode bitmap", "inode table", "rmap",
                "directory", "extent list", "symlink")) {
            for (Damage how : Damage.values()) {
                for (boolean copy : new boolean[] {false, true}) {
                    String name = structure + ", " + how + (copy ? " in the copy" : "");
                    tests.add(DynamicTest.dynamicTest(name, () -> healed(structure, how, copy)));
                }
            }
        }
        return tests.stream();
    }

    private void healed(String structure, Damage how, boolean inCopy) throws Exception {
        Path d = dir.resolve((structure + how + inCopy).replaceAll("\\W", "_"));
        java.nio.file.Files.createDirectories(d);
        try (FsFixture f = new FsFixture(d, 64 * TestNamespaces.MIB, TWO, MountOptions.DEFAULTS)) {
            Map<String, byte[]> files = populate(f);
            long primary = structures(f).get(structure);
            Geometry g = PmemFs.readSuperblock(f.dax).geometry();
            long target = inCopy ? g.replicaOf(primary) : primary;
            f.fs.close();
            damage(f, target, how);
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
            readBack(f, files);
            if (how == Damage.LATENT_POISON) {
                f.ns.scrub(); // what no read touched (a copy, the rmap), the scrub finds; the next sync heals it
            }
            f.fs.syncfs();
            // A flipped byte where no read looks (a copy, or the rmap, which only allocation reads) is
            // invisible to the mount: fsck finds it and --repair rewrites it from the good copy.
            boolean onlyFsck = how == Damage.FLIPPED_BYTE && (inCopy || structure.equals("rmap"));
            if (!onlyFsck) {
                List<String> heals = ((MountedFs) f.fs).volume().meta.heals();
                assertEquals(1, heals.size(), heals.toString());
                assertTrue(heals.getFirst().contains("block " + target), heals.toString());
            }
            f.fs.close();
            FsckReport r = Fsck.check(f.dax, f.bdev, onlyFsck);
            assertEquals(onlyFsck ? FsckReport.CORRECTED : FsckReport.CLEAN, r.exitCode(), r.findings().toString());
            assertTrue(f.dax.knownBadRanges().isEmpty(), f.dax.knownBadRanges().toString());
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
            readBack(f, files);
        }
    }

    /**
     * A random poison plan over every replicated block that holds state (each block's primary or copy,
     * never both; known, latent or a flipped byte), on a random workload: the mount and the reads heal what
     * they meet, a scrub and a sync heal the rest of the poison, fsck --repair rewrites the flipped copies
     * nothing read, and then fsck is clean and every file reads back.
     */
    @Test
    void randomDamageAcrossTheMetadataIsHealed() {
        dev.pmemfs.testing.Gen.forAll("meta-replicas", 3, g -> {
            Path d = dir.resolve("prop" + g.seed());
            try {
                java.nio.file.Files.createDirectories(d);
                try (FsFixture f = new FsFixture(d, 64 * TestNamespaces.MIB, TWO, MountOptions.DEFAULTS)) {
                    Map<String, byte[]> files = populate(f);
                    long dd = f.fs.lookup(f.fs.rootIno(), "d");
                    for (int i = 0; i < g.intBetween(0, 30); i++) {
                        String name = "g" + i;
                        byte[] data = g.bytes(g.intBetween(1, 5 * FileSystem.BLOCK_SIZE));
                        long ino = f.fs.create(dd, name, FileType.REGULAR, 0644, 0, 0);
                        f.fs.write(ino, 0, data, 0, data.length);
                        files.put(name, data);
                    }
                    Geometry geo = PmemFs.readSuperblock(f.dax).geometry();
                    List<Long> blocks = new ArrayList<>(structures(f).values());
                    blocks.add(geo.bbmStart() + g.between(0, geo.bbmLen() - 1));
                    f.fs.close();
                    for (long primary : new java.util.TreeSet<>(blocks)) {
                        if (g.chance(0.3)) {
                            continue;
                        }
                        long at = g.chance(0.5) ? primary : geo.replicaOf(primary);
                        damage(f, at, g.oneOf(Damage.values()));
                    }
                    f.fs = PmemFs.mount(f.dax, f.bdev, null);
                    readBack(f, files);
                    f.ns.scrub();
                    f.fs.syncfs();
                    f.fs.close();
                    assertTrue(f.dax.knownBadRanges().isEmpty(), g.describe() + ": " + f.dax.knownBadRanges());
                    FsckReport r = Fsck.check(f.dax, f.bdev, true);
                    assertTrue(r.exitCode() == FsckReport.CLEAN || r.exitCode() == FsckReport.CORRECTED,
                            g.describe() + ": " + r.findings());
                    assertTrue(r.damagedInodes().isEmpty(), g.describe() + ": " + r.damagedInodes());
                    assertEquals(FsckReport.CLEAN, Fsck.check(f.dax, f.bdev, false).exitCode(), g.describe());
                    f.fs = PmemFs.mount(f.dax, f.bdev, null);
                    readBack(f, files);
                }
            } catch (Exception e) {
                throw new AssertionError(g.describe(), e);
            }
        });
    }

    @Test
    void aPoisonedPrimarySuperblockIsRewrittenFromTheBackup() throws Exception {
        try (FsFixture f = new FsFixture(dir, 64 * TestNamespaces.MIB, TWO, MountOptions.DEFAULTS)) {
            Map<String, byte[]> files = populate(f);
            f.fs.close();
            damage(f, Geometry.SB_PRIMARY, Damage.KNOWN_POISON);
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
            readBack(f, files);
            f.fs.close();
            assertTrue(f.dax.knownBadRanges().isEmpty(), f.dax.knownBadRanges().toString());
            assertEquals(FsckReport.CLEAN, Fsck.check(f.dax, f.bdev, false).exitCode());
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
        }
    }

    @Test
    void withOneCopyTheSameDamageStopsTheMount() throws Exception {
        try (FsFixture f = new FsFixture(dir, 64 * TestNamespaces.MIB, MountOptions.DEFAULTS)) {
            populate(f);
            long bbm = PmemFs.readSuperblock(f.dax).geometry().bbmStart();
            f.fs.close();
            damage(f, bbm, Damage.KNOWN_POISON);
            assertThrows(ErrnoException.class, () -> PmemFs.mount(f.dax, f.bdev, null));
            assertFalse(Fsck.check(f.dax, f.bdev, false).clean());
            Fsck.check(f.dax, f.bdev, true);
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
        }
    }

    @Test
    void theFormatRecordsTheReplicaCountAndNeedsAVersion3Reader() throws Exception {
        try (FsFixture f = new FsFixture(dir, 64 * TestNamespaces.MIB, TWO, MountOptions.DEFAULTS)) {
            Superblock sb = PmemFs.readSuperblock(f.dax);
            assertEquals(2, sb.geometry().replicas());
            Geometry one = Geometry.compute(sb.geometry().totalBlocks(), sb.geometry().inodeCount(),
                    sb.geometry().journalLen());
            // The mirror repeats the orphan list, both bitmaps, the inode table and the rmap.
            assertEquals(1 + one.dataStart() - one.bbmStart(), sb.geometry().dataStart() - one.dataStart());
            byte[] img = DaxSeam.readBlock(f.dax, Geometry.SB_PRIMARY, "superblock");
            assertEquals(Superblock.MIN_READ_REPLICAS,
                    MediaStruct.of(img).get(MediaStruct.U32, Superblock.LAYOUT.offset("minReadVersion")));
        }
    }

    /** The README's space figures are what mkfs prints for those sizes (default inode count and journal). */
    @Test
    void readmeStatesWhatReplicasCostInSpace() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(Path.of("README.md")).replaceAll("\\s+", " ");
        for (long bytes : new long[] {64L << 30, 256L << 20}) {
            long total = bytes / FileSystem.BLOCK_SIZE;
            String printed = PmemFs.replicaSpace(Geometry.compute(total, Geometry.defaultInodes(total), 0, 2)).strip();
            assertTrue(readme.contains("`" + printed + "`"), "README lacks `" + printed + "` for " + bytes + " bytes");
        }
    }

    @Test
    void mkfsOptionTextIsParsed() {
        assertEquals(2, MkfsOptions.parse("pmemfs,meta_replicas=2", MkfsOptions.DEFAULTS).metaReplicas());
        assertEquals(MountOptions.LINUX, MkfsOptions.parse("meta_replicas=2,linux-5.19", MkfsOptions.DEFAULTS)
                .defaults());
        assertEquals(1, MkfsOptions.parse("linux-5.19", MkfsOptions.DEFAULTS).metaReplicas());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MkfsOptions.parse("meta_replicas=3", MkfsOptions.DEFAULTS));
        assertTrue(e.getMessage().contains("takes 1 or 2"), e.getMessage());
    }
}
