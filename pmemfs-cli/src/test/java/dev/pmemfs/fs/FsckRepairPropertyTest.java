package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.pmem.Pmem;
import dev.pmemfs.testing.Gen;
import dev.pmemfs.testing.TestNamespaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fsck repairs everything it reports (issue 12.4), as a seeded property: on an image holding a tree of
 * files, damage one block of each metadata structure in turn (one flipped byte, sixteen, or the whole
 * block zeroed) → fsck reports it (exit 4) → {@code --repair} (exit 1) → fsck is clean (exit 0), the
 * filesystem mounts and works, and every file fsck did not name as damaged reads back its old content
 * under its old path. Damage to a derived structure (superblock copy, bitmaps, reverse map, orphan
 * list) loses nothing at all; damage to the journal of a cleanly unmounted filesystem is harmless.
 */
class FsckRepairPropertyTest {
    private static final int B = FileSystem.BLOCK_SIZE;

    @TempDir
    Path dir;

    enum Structure {
        SUPERBLOCK, SUPERBLOCK_BACKUP, JOURNAL, BLOCK_BITMAP, INODE_BITMAP, INODE_TABLE, RMAP, ORPHAN_LIST,
        ROOT_DIRECTORY, DIRECTORY, EXTENT_LIST
    }

    enum Damage {
        ONE_BYTE, SIXTEEN_BYTES, ZEROED
    }

    /** The files and directories of the image before the damage. */
    private record Tree(Map<Long, String> paths, Map<Long, byte[]> contents, long fragmented, long subdir) {}

    @Test
    void damageToEachStructure_reportedRepairedAndEveryUndamagedFileIntact() {
        Gen.forAll("fsck repairs what it reports", 1, gen -> {
            try {
                Path pristine = dir.resolve("pristine-" + gen.seed() + ".img");
                Tree tree = build(gen, pristine);
                for (Structure st : Structure.values()) {
                    for (Damage d : Damage.values()) {
                        try {
                            damageAndRepair(gen, pristine, tree, st, d);
                        } catch (ErrnoException e) {
                            throw new AssertionError(st + " " + d + ": " + e.getMessage(), e);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (ErrnoException e) {
                throw new AssertionError(e);
            }
        });
    }

    private Tree build(Gen gen, Path pristine) throws IOException, ErrnoException {
        Map<Long, String> paths = new LinkedHashMap<>();
        Map<Long, byte[]> contents = new LinkedHashMap<>();
        long fragmented;
        long subdir;
        try (Namespace ns = TestNamespaces.fsdax(dir, 16 * TestNamespaces.MIB)) {
            Pmem pmem = Pmem.attach(ns);
            PmemFs.mkfs(pmem.dax(), pmem.block(), MkfsOptions.DEFAULTS);
            FileSystem fs = PmemFs.mount(pmem.dax(), pmem.block(), null);
            long root = fs.rootIno();
            List<Long> dirs = new ArrayList<>(List.of(root));
            paths.put(root, "/");
            subdir = fs.create(root, "d0", FileType.DIRECTORY, 0755, 0, 0);
            paths.put(subdir, "/d0");
            dirs.add(subdir);
            for (int i = 1; i < 4; i++) {
                long parent = gen.pick(dirs);
                long d = fs.create(parent, "d" + i, FileType.DIRECTORY, 0755, 0, 0);
                paths.put(d, join(paths.get(parent), "d" + i));
                dirs.add(d);
            }
            int files = gen.intBetween(30, 50);
            for (int i = 0; i < files; i++) {
                long parent = gen.pick(dirs);
                long f = fs.create(parent, "f" + i, FileType.REGULAR, 0644, 0, 0);
                byte[] data = gen.bytes(gen.intBetween(0, 3 * B));
                long at = gen.chance(0.3) ? gen.between(0, 4) * B : 0;
                fs.write(f, at, data, 0, data.length);
                byte[] all = new byte[(int) at + data.length];
                System.arraycopy(data, 0, all, (int) at, data.length);
                paths.put(f, join(paths.get(parent), "f" + i));
                contents.put(f, all);
            }
            // One file with more extents than fit in its inode: its list lives in an extent-list block.
            fragmented = fs.create(subdir, "fragmented", FileType.REGULAR, 0644, 0, 0);
            int blocks = gen.intBetween(24, 40);
            byte[] all = new byte[(2 * blocks - 1) * B];
            for (int k = 0; k < blocks; k++) {
                byte[] data = gen.bytes(B);
                fs.write(fragmented, 2L * k * B, data, 0, B);
                System.arraycopy(data, 0, all, 2 * k * B, B);
            }
            paths.put(fragmented, "/d0/fragmented");
            contents.put(fragmented, all);
            fs.close();
            Files.copy(ns.image(), pristine, StandardCopyOption.REPLACE_EXISTING);
        }
        return new Tree(paths, contents, fragmented, subdir);
    }

    private static String join(String parent, String name) {
        return parent.equals("/") ? "/" + name : parent + "/" + name;
    }

    private void damageAndRepair(Gen gen, Path pristine, Tree tree, Structure st, Damage damage)
            throws IOException, ErrnoException {
        Path image = dir.resolve("case.img");
        Files.copy(pristine, image, StandardCopyOption.REPLACE_EXISTING);
        String label = st + " " + damage;
        try (Namespace ns = Namespace.open(image)) {
            Pmem pmem = Pmem.attach(ns);
            var dax = pmem.dax();
            var bdev = pmem.block();
            long block = pick(gen, dax, bdev, tree, st);
            byte[] img = new byte[B];
            var w = dax.directAccess(block, 1, DaxAccessMode.ACCESS);
            w.read(0, img, 0, B);
            switch (damage) {
                case ONE_BYTE -> img[gen.intBetween(0, B - 1)] ^= (byte) 0xff;
                case SIXTEEN_BYTES -> {
                    int at = gen.intBetween(0, B - 16);
                    for (int i = 0; i < 16; i++) {
                        img[at + i] ^= (byte) gen.intBetween(1, 255);
                    }
                }
                case ZEROED -> java.util.Arrays.fill(img, (byte) 0);
            }
            w.write(0, img, 0, B);
            dax.fence();

            FsckReport found = Fsck.check(dax, bdev, false);
            if (st == Structure.JOURNAL) {
                assertEquals(FsckReport.CLEAN, found.exitCode(), label + ": " + found.findings());
            } else {
                assertEquals(FsckReport.UNCORRECTED, found.exitCode(), label + ": " + found.findings());
            }
            FsckReport repaired = Fsck.check(dax, bdev, true);
            assertTrue(repaired.exitCode() == FsckReport.CORRECTED || repaired.exitCode() == FsckReport.CLEAN,
                    label + ": " + repaired.findings());
            FsckReport after = Fsck.check(dax, bdev, false);
            assertEquals(FsckReport.CLEAN, after.exitCode(), label + ": after repair " + after.findings()
                    + "\nrepair said " + repaired.findings());
            Set<Long> damaged = new HashSet<>(repaired.damagedInodes());
            if (st != Structure.INODE_TABLE && st != Structure.ROOT_DIRECTORY && st != Structure.DIRECTORY
                    && st != Structure.EXTENT_LIST) {
                assertEquals(Set.of(), damaged, label + ": a derived structure loses nothing: " + repaired.findings());
            }
            if (st == Structure.EXTENT_LIST) {
                assertEquals(Set.of(tree.fragmented()), damaged, label + ": " + repaired.findings());
            }
            FileSystem fs = PmemFs.mount(dax, bdev, null);
            try {
                for (Map.Entry<Long, byte[]> e : tree.contents().entrySet()) {
                    long ino = e.getKey();
                    if (damaged.contains(ino)) {
                        continue;
                    }
                    byte[] want = e.getValue();
                    assertEquals(want.length, fs.getattr(ino).size(), label + ": size of " + tree.paths().get(ino));
                    byte[] got = new byte[want.length];
                    assertEquals(want.length, fs.read(ino, 0, got, 0, got.length), label);
                    assertArrayEquals(want, got, label + ": content of " + tree.paths().get(ino));
                    if (!anyAncestorDamaged(tree, damaged, ino)) {
                        assertEquals(tree.paths().get(ino), fs.path(ino), label + ": path of inode " + ino);
                    }
                }
                // The repaired filesystem allocates and frees as any other.
                long f = fs.create(fs.rootIno(), "after-repair", FileType.REGULAR, 0644, 0, 0);
                byte[] data = gen.bytes(3 * B);
                fs.write(f, 0, data, 0, data.length);
                fs.unlink(fs.rootIno(), "after-repair");
            } finally {
                fs.close();
            }
            FsckReport last = Fsck.check(dax, bdev, false);
            assertEquals(FsckReport.CLEAN, last.exitCode(), label + ": after use " + last.findings());
        }
    }

    private static boolean anyAncestorDamaged(Tree tree, Set<Long> damaged, long ino) {
        String path = tree.paths().get(ino);
        for (Map.Entry<Long, String> e : tree.paths().entrySet()) {
            String p = e.getValue();
            if (damaged.contains(e.getKey()) && (p.equals("/") || path.startsWith(p + "/"))) {
                return true;
            }
        }
        return false;
    }

    /** A block of structure {@code st} that holds something (an in-use inode, owned blocks' rmap entries). */
    private static long pick(Gen gen, dev.pmemfs.dax.DaxDevice dax, dev.pmemfs.block.BlockDevice bdev, Tree tree,
            Structure st) throws ErrnoException {
        Superblock sb = PmemFs.readSuperblock(dax);
        Geometry g = sb.geometry();
        MetaStore meta = new MetaStore(dax, bdev, sb);
        InodeTable table = new InodeTable(meta, PmemFs.loadBitmap(meta, g.ibmStart(), g.ibmLen(), g.inodeCount() + 1,
                MetaBlock.MAGIC_IBITMAP, "inode bitmap"));
        List<Long> inos = new ArrayList<>(tree.paths().keySet());
        return switch (st) {
            case SUPERBLOCK -> Geometry.SB_PRIMARY;
            case SUPERBLOCK_BACKUP -> Geometry.SB_BACKUP;
            case JOURNAL -> g.journalStart() + gen.between(0, g.journalLen() - 1);
            case BLOCK_BITMAP -> g.bbmStart() + gen.between(0, g.bbmLen() - 1);
            case INODE_BITMAP -> g.ibmStart() + gen.between(0, g.ibmLen() - 1);
            case INODE_TABLE -> g.itabBlock(gen.pick(inos));
            case RMAP -> {
                List<Inode> mapped = new ArrayList<>();
                for (long ino : tree.contents().keySet()) {
                    if (table.get(ino).extents.size() > 0) {
                        mapped.add(table.get(ino));
                    }
                }
                yield g.rmapBlock(gen.pick(mapped).extents.all().get(0).devBlock());
            }
            case ORPHAN_LIST -> Geometry.ORPHAN_BLOCK;
            case ROOT_DIRECTORY -> table.get(sb.rootIno()).extents.all().get(0).devBlock();
            case DIRECTORY -> table.get(tree.subdir()).extents.all().get(0).devBlock();
            case EXTENT_LIST -> {
                Inode in = table.get(tree.fragmented());
                assertFalse(in.leaves.length == 0, "the fragmented file has an extent-list block");
                yield gen.pick(java.util.Arrays.stream(in.leaves).boxed().toList());
            }
        };
    }
}
