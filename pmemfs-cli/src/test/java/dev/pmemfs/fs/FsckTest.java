package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.dax.DaxWindow;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsckTest {
    @TempDir
    Path dir;

    private void workload(FsFixture f) throws ErrnoException {
        long d = f.fs.create(f.fs.rootIno(), "d", FileType.DIRECTORY, 0755, 0, 0);
        for (int i = 0; i < 40; i++) {
            long a = f.fs.create(d, "f" + i, FileType.REGULAR, 0644, 0, 0);
            byte[] b = FsFixture.pattern(1000 + i * 700, i);
            f.fs.write(a, i * 3000L, b, 0, b.length);
        }
        f.fs.unlink(d, "f3");
        f.fs.rename(d, "f4", f.fs.rootIno(), "moved");
    }

    private Geometry geometry(FsFixture f) throws ErrnoException {
        return PmemFs.readSuperblock(f.dax).geometry();
    }

    /** A programming error in the checker is a crash, never "cannot check" (8) nor a verdict. */
    @Test
    void check_programmingError_propagatesInsteadOfExit8() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            f.fs.close();
            assertThrows(NullPointerException.class, () -> Fsck.check(f.dax, null, false));
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
        }
    }

    @Test
    void existingFilesystem_freshDeviceEmpty_formattedNamed() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            f.fs.close();
            assertTrue(PmemFs.existingFilesystem(f.dax).orElseThrow().contains("holds a pmemfs"));
            f.bdev.issueZeroout(0, 16);
            assertTrue(PmemFs.existingFilesystem(f.dax).isEmpty());
            PmemFs.mkfs(f.dax, f.bdev, MkfsOptions.DEFAULTS);
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
        }
    }

    @Test
    void check_afterWorkloadAndUnmount_clean() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            workload(f);
            f.fs.close();
            FsckReport r = Fsck.check(f.dax, f.bdev, false);
            assertEquals(FsckReport.CLEAN, r.exitCode(), r.findings().toString());
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
        }
    }

    /**
     * The first inode-table block holds the root and the first fourteen inodes: e2fsck's answer is a new
     * root, the inodes in the bad block lost (named, with the reason), and every file they named
     * reconnected in /lost+found, content intact.
     */
    @Test
    void repair_corruptFirstInodeBlock_newRootAndOrphansInLostFound() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            long d = f.fs.create(f.fs.rootIno(), "d", FileType.DIRECTORY, 0755, 0, 0);
            for (int i = 0; i < 20; i++) {
                long a = f.fs.create(d, "f" + i, FileType.REGULAR, 0644, 0, 0);
                byte[] b = FsFixture.pattern(1000 + i * 700, i);
                f.fs.write(a, 0, b, 0, b.length);
            }
            f.fs.close();
            Geometry g = geometry(f);
            DaxWindow w = f.dax.directAccess(g.itabStart(), 1, DaxAccessMode.ACCESS);
            w.write(100, new byte[] {1, 2, 3}, 0, 3);
            FsckReport check = Fsck.check(f.dax, f.bdev, false);
            assertEquals(FsckReport.UNCORRECTED, check.exitCode(), check.findings().toString());
            assertTrue(check.findings().toString().contains("checksum"), check.findings().toString());
            FsckReport r = Fsck.check(f.dax, f.bdev, true);
            assertEquals(FsckReport.CORRECTED, r.exitCode(), r.findings().toString());
            String all = r.findings().toString();
            assertTrue(all.contains("root directory (inode 1) is lost"), all);
            assertTrue(all.contains("reconnected as /lost+found/#15"), all);
            assertEquals(FsckReport.CLEAN, Fsck.check(f.dax, f.bdev, false).exitCode());
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
            long lf = f.fs.lookup(f.fs.rootIno(), "lost+found");
            assertEquals(0700, f.fs.getattr(lf).mode() & 07777);
            // Inodes 2..14 (the directory d and f0..f12) went with the block; f13.. (inodes 15..) survive.
            for (int i = 13; i < 20; i++) {
                long ino = 2 + 1 + i;
                assertEquals(ino, f.fs.lookup(lf, "#" + ino));
                assertArrayEquals(FsFixture.pattern(1000 + i * 700, i), f.readAll(ino));
                assertEquals("/lost+found/#" + ino, f.fs.path(ino));
            }
            assertTrue(r.damagedInodes().containsAll(java.util.List.of(1L, 2L, 15L)), r.damagedInodes().toString());
        }
    }

    @Test
    void repair_leakedBlockAndBadPrimarySuperblock_fixedThenClean() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            workload(f);
            f.fs.close();
            Geometry g = geometry(f);
            // Mark the last data block in use in the bitmap without an owner (a leak), resealed.
            MetaStore meta = new MetaStore(f.dax, f.bdev, PmemFs.readSuperblock(f.dax));
            long last = g.totalBlocks() - 1;
            long k = last / Geometry.BITS_PER_BITMAP_BLOCK;
            byte[] img = meta.edit(g.bbmStart() + k, MetaBlock.MAGIC_BBITMAP, "block bitmap", false);
            long bit = last % Geometry.BITS_PER_BITMAP_BLOCK;
            img[MetaBlock.HEADER + (int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
            MetaBlock.seal(img, MetaBlock.MAGIC_BBITMAP, g.bbmStart() + k, meta.fsid());
            meta.write(g.bbmStart() + k, img);
            f.dax.directAccess(0, 1, DaxAccessMode.ACCESS).write(40, new byte[] {9}, 0, 1);
            f.dax.fence();
            FsckReport check = Fsck.check(f.dax, f.bdev, false);
            assertEquals(FsckReport.UNCORRECTED, check.exitCode(), check.findings().toString());
            FsckReport fix = Fsck.check(f.dax, f.bdev, true);
            assertEquals(FsckReport.CORRECTED, fix.exitCode(), fix.findings().toString());
            FsckReport again = Fsck.check(f.dax, f.bdev, false);
            assertEquals(FsckReport.CLEAN, again.exitCode(), again.findings().toString());
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
        }
    }

    @Test
    void check_notAFilesystem_operationalError() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            f.fs.close();
            f.dax.directAccess(0, 2, DaxAccessMode.ACCESS).zero(0, 8192);
            FsckReport r = Fsck.check(f.dax, f.bdev, true);
            assertEquals(FsckReport.OPERATIONAL, r.exitCode());
            PmemFs.mkfs(f.dax, f.bdev, MkfsOptions.DEFAULTS);
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
        }
    }

    @Test
    void repair_poisonedZeroPage_zeroedAndCleared() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            f.fs.close();
            f.ns.injectError(f.ns.dataOffset() + Geometry.ZERO_PAGE * 4096, 4096, true);
            assertEquals(FsckReport.UNCORRECTED, Fsck.check(f.dax, f.bdev, false).exitCode());
            assertEquals(FsckReport.CORRECTED, Fsck.check(f.dax, f.bdev, true).exitCode());
            assertEquals(FsckReport.CLEAN, Fsck.check(f.dax, f.bdev, false).exitCode());
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
        }
    }

    @Test
    void repair_danglingEntryAndWrongLinkCount_fixedThenClean() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            long a = f.create("a");
            long b = f.create("b");
            f.fs.write(b, 0, new byte[3 * 4096], 0, 3 * 4096);
            Volume vol = ((MountedFs) f.fs).volume();
            // Damage on purpose: free inode "a" behind its directory's back, and give "b" two links.
            vol.transact("test", tx -> {
                vol.inodes.free(tx, vol.inodes.get(a));
                Inode ib = vol.inodes.get(b);
                tx.dirty(ib);
                ib.nlink = 2;
                return null;
            });
            f.fs.close();
            FsckReport check = Fsck.check(f.dax, f.bdev, false);
            assertEquals(FsckReport.UNCORRECTED, check.exitCode(), check.findings().toString());
            assertTrue(check.findings().toString().contains("points to free inode " + a), check.findings().toString());
            assertTrue(check.findings().toString().contains("link count 2"), check.findings().toString());
            FsckReport fix = Fsck.check(f.dax, f.bdev, true);
            assertEquals(FsckReport.CORRECTED, fix.exitCode(), fix.findings().toString());
            FsckReport again = Fsck.check(f.dax, f.bdev, false);
            assertEquals(FsckReport.CLEAN, again.exitCode(), again.findings().toString());
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
            assertEquals(java.util.List.of("b"), f.fs.readdir(f.fs.rootIno()).stream().map(DirEntry::name).toList());
            assertEquals(1, f.fs.getattr(b).nlink());
        }
    }

    @Test
    void repair_wrongRmapEntry_rebuiltFromExtents() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            long a = f.create("a");
            f.fs.write(a, 0, new byte[3 * 4096], 0, 3 * 4096);
            long dev = f.fs.extents(a, 0, 1).get(0).physical() / 4096;
            Volume vol = ((MountedFs) f.fs).volume();
            vol.transact("test", tx -> {
                vol.rmap.set(tx, dev + 1, 1, 999, 7, 0);
                return null;
            });
            assertThrows(FsCorruptedException.class, () -> f.fs.owner((dev + 1) * 4096));
            f.fs.close();
            FsckReport check = Fsck.check(f.dax, f.bdev, false);
            assertTrue(check.findings().toString().contains("rmap: 1 owned blocks"), check.findings().toString());
            assertEquals(FsckReport.CORRECTED, Fsck.check(f.dax, f.bdev, true).exitCode());
            assertEquals(FsckReport.CLEAN, Fsck.check(f.dax, f.bdev, false).exitCode());
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
            assertEquals(new BlockOwner.FileData((dev + 1) * 4096, a, 4096, false), f.fs.owner((dev + 1) * 4096));
        }
    }

    /** A block owned twice stays with its first owner; the second loses it and reads a hole there. */
    @Test
    void repair_blockOwnedTwice_secondOwnerLosesIt() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            long a = f.create("a");
            long b = f.create("b");
            byte[] data = FsFixture.pattern(4096, 5);
            f.fs.write(a, 0, data, 0, 4096);
            long dev = f.fs.extents(a, 0, 1).get(0).physical() / 4096;
            Volume vol = ((MountedFs) f.fs).volume();
            vol.transact("test", tx -> {
                Inode ib = vol.inodes.get(b);
                tx.dirty(ib);
                ib.extents.insert(new Extent(10, dev, 1, false));
                ib.blocks++;
                ib.size = 11 * 4096;
                return null;
            });
            f.fs.close();
            FsckReport check = Fsck.check(f.dax, f.bdev, false);
            assertEquals(FsckReport.UNCORRECTED, check.exitCode(), check.findings().toString());
            assertTrue(check.findings().toString().contains("blocks " + dev + "-" + dev + " are owned twice: by inode " + a),
                    check.findings().toString());
            FsckReport r = Fsck.check(f.dax, f.bdev, true);
            assertEquals(FsckReport.CORRECTED, r.exitCode(), r.findings().toString());
            assertEquals(java.util.List.of(b), r.damagedInodes());
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
            assertArrayEquals(data, f.readAll(a));
            assertTrue(f.fs.extents(b, 0, 0).isEmpty());
        }
    }
}
