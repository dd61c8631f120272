package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DAX I/O semantics with media errors (reference §1.4, §4.6, §7.2). */
class PoisonTest {
    static final int B = 4096;
    static final MountOptions LINUX = new MountOptions(true, MountOptions.ZeroRange.UNWRITTEN, true);

    @TempDir
    Path dir;

    private FsFixture fixture(MountOptions o) throws ErrnoException {
        return new FsFixture(dir, 64 * TestNamespaces.MIB, o);
    }

    /** A 4-block written file; returns its inode. */
    private long fourBlocks(FsFixture f, String name) throws ErrnoException {
        long a = f.create(name);
        byte[] d = FsFixture.pattern(4 * B, 3);
        f.fs.write(a, 0, d, 0, d.length);
        return a;
    }

    private long physical(FsFixture f, long ino, long fileOffset) throws ErrnoException {
        for (FileExtent e : f.fs.extents(ino, fileOffset, 1)) {
            if (fileOffset >= e.logical() && fileOffset < e.logical() + e.length()) {
                return e.physical() + (fileOffset - e.logical());
            }
        }
        throw new AssertionError("offset " + fileOffset + " not mapped");
    }

    private void poison(FsFixture f, long devOffset, long len, boolean known) throws ErrnoException {
        f.ns.injectError(f.ns.dataOffset() + devOffset, len, known);
    }

    @Test
    void read_knownBadSectorLaterInExtent_eioWithNoBytes() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            long a = fourBlocks(f, "a");
            poison(f, physical(f, a, 2 * B), 512, true);
            byte[] buf = new byte[4 * B];
            assertEquals(Errno.EIO, assertThrows(ErrnoException.class, () -> f.fs.read(a, 0, buf, 0, buf.length)).errno());
            assertEquals(B, f.fs.read(a, 0, buf, 0, B));
        }
    }

    @Test
    void read_unwrittenOverPoison_returnsZerosWithoutMediaAccess() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            long a = f.create("a");
            f.fs.fallocate(a, FallocateMode.of(0), 0, 2 * B);
            poison(f, physical(f, a, 0), B, true);
            byte[] buf = new byte[2 * B];
            assertEquals(2 * B, f.fs.read(a, 0, buf, 0, buf.length));
            assertArrayEquals(new byte[2 * B], buf);
        }
    }

    @Test
    void read_latentPoison_shortReadThenKnownAndOwnerRecorded() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            long a = fourBlocks(f, "a");
            long dev = physical(f, a, 2 * B);
            poison(f, dev, 256, false);
            byte[] buf = new byte[4 * B];
            assertEquals(2 * B, f.fs.read(a, 0, buf, 0, buf.length));
            assertEquals(Errno.EIO, assertThrows(ErrnoException.class, () -> f.fs.read(a, 0, buf, 0, buf.length)).errno());
            assertEquals(1, f.fs.mediaFailures().size());
            MediaFailure m = f.fs.mediaFailures().get(0);
            assertEquals(new BlockOwner.FileData(dev, a, 2 * B, false), m.owner());
            assertEquals("/a", f.fs.path(((BlockOwner.FileData) m.owner()).ino()));
        }
    }

    @Test
    void punchThenPwrite_movesTheBlockAndLeavesPoisonInFreeSpace() throws Exception {
        try (FsFixture f = fixture(LINUX)) {
            long a = fourBlocks(f, "a");
            long old = physical(f, a, B);
            poison(f, old, B, true);
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_PUNCH_HOLE | Falloc.FALLOC_FL_KEEP_SIZE), B, B);
            byte[] fresh = FsFixture.pattern(B, 77);
            assertEquals(B, f.fs.write(a, B, fresh, 0, B));
            assertNotEquals(old, physical(f, a, B), "freed block is busy: the rewrite lands elsewhere");
            byte[] back = new byte[B];
            assertEquals(B, f.fs.read(a, B, back, 0, B));
            assertArrayEquals(fresh, back);
            assertTrue(f.ns.poisoned(f.ns.dataOffset() + old, B));
            assertEquals(new BlockOwner.Free(old), f.fs.owner(old));
        }
    }

    @Test
    void recoveryWrite_wholePage_clearsInPlace_subPageFaults() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            long a = fourBlocks(f, "a");
            long dev = physical(f, a, B);
            poison(f, dev, B, true);
            byte[] small = new byte[100];
            assertEquals(Errno.EFAULT, assertThrows(ErrnoException.class, () -> f.fs.write(a, B, small, 0, 100)).errno());
            byte[] page = FsFixture.pattern(B, 11);
            assertEquals(B, f.fs.write(a, B, page, 0, B));
            assertEquals(dev, physical(f, a, B));
            byte[] back = new byte[B];
            assertEquals(B, f.fs.read(a, B, back, 0, B));
            assertArrayEquals(page, back);
            assertFalse(f.ns.poisoned(f.ns.dataOffset() + dev, B));
        }
    }

    @Test
    void write_overKnownPoisonWithoutRecoveryWrite_eio() throws Exception {
        try (FsFixture f = fixture(new MountOptions(false, MountOptions.ZeroRange.UNWRITTEN, false))) {
            long a = fourBlocks(f, "a");
            poison(f, physical(f, a, B), B, true);
            byte[] page = new byte[B];
            assertEquals(Errno.EIO, assertThrows(ErrnoException.class, () -> f.fs.write(a, B, page, 0, B)).errno());
        }
    }

    @Test
    void zeroinit_clearsPoisonInPlace_zeroRangeUnwrittenLeavesIt() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            long a = fourBlocks(f, "a");
            long dev = physical(f, a, B);
            poison(f, dev, B, true);
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_ZEROINIT_RANGE | Falloc.FALLOC_FL_KEEP_SIZE), B, B);
            assertEquals(dev, physical(f, a, B));
            assertFalse(f.ns.poisoned(f.ns.dataOffset() + dev, B));
            byte[] back = new byte[4 * B];
            assertEquals(4 * B, f.fs.read(a, 0, back, 0, back.length));
        }
        try (FsFixture f = fixture(LINUX)) {
            long a = fourBlocks(f, "a");
            long dev = physical(f, a, B);
            poison(f, dev, B, true);
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_ZERO_RANGE), B, B);
            byte[] back = new byte[4 * B];
            assertEquals(4 * B, f.fs.read(a, 0, back, 0, back.length));
            assertTrue(f.ns.poisoned(f.ns.dataOffset() + dev, B), "ZERO_RANGE converts to unwritten; media untouched");
        }
    }

    @Test
    void punch_partialBlockOnPoisonedPage_eio() throws Exception {
        try (FsFixture f = fixture(LINUX)) {
            long a = fourBlocks(f, "a");
            poison(f, physical(f, a, B), 512, true);
            assertEquals(Errno.EIO, assertThrows(ErrnoException.class, () -> f.fs.fallocate(a,
                    FallocateMode.of(Falloc.FALLOC_FL_PUNCH_HOLE | Falloc.FALLOC_FL_KEEP_SIZE), B + 100, 100)).errno());
            assertEquals(Errno.EIO, assertThrows(ErrnoException.class, () -> f.fs.truncate(a, B + 10)).errno());
        }
    }

    @Test
    void fault_poisonedPage_keepsEhwpoison_holeReadFaultIsZeroPage() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            long a = fourBlocks(f, "a");
            poison(f, physical(f, a, B), B, true);
            assertEquals(Errno.EHWPOISON, assertThrows(ErrnoException.class, () -> f.fs.fault(a, 1, false)).errno());
            assertEquals(Errno.EFAULT, assertThrows(ErrnoException.class, () -> f.fs.fault(a, 4, false)).errno());
            long b = f.create("b");
            f.fs.truncate(b, 2 * B);
            assertEquals(Geometry.ZERO_PAGE, f.fs.fault(b, 0, false).pgoff());
            assertEquals(0, f.fs.extents(b, 0, Long.MAX_VALUE).size());
            assertEquals(1, f.fs.fault(b, 0, true).nrPages());
            assertEquals(1, f.fs.extents(b, 0, Long.MAX_VALUE).size());
        }
    }

    @Test
    void owner_namesMetadataRegionsFreeSpaceAndFiles() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            long a = fourBlocks(f, "a");
            assertEquals(new BlockOwner.Metadata(0, "superblock"), f.fs.owner(0));
            assertEquals(new BlockOwner.Metadata(4 * B + 5, "journal"), f.fs.owner(4 * B + 5));
            assertEquals(new BlockOwner.Metadata(3 * B, "zero page"), f.fs.owner(3 * B));
            long dev = physical(f, a, 3 * B);
            assertEquals(new BlockOwner.FileData(dev + 7, a, 3 * B + 7, false), f.fs.owner(dev + 7));
            long last = (f.dax.nrPages() - 1) * B;
            assertEquals(new BlockOwner.Free(last), f.fs.owner(last));
        }
    }

    @Test
    void memoryFailure_onMetadata_reportedAsCorruption() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            fourBlocks(f, "a");
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> f.dax.memoryFailure(0, dev.pmemfs.dax.DaxHolder.MF_ACTION_REQUIRED));
            assertEquals(Errno.EUCLEAN, e.errno());
            assertEquals(new BlockOwner.Metadata(0, "superblock"), f.fs.mediaFailures().get(0).owner());
        }
    }

    @Test
    void badblockOwners_namesHitFileBlocksAndFreeSpace() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            long a = fourBlocks(f, "a");
            long dev = physical(f, a, 2 * B);
            poison(f, dev + 512, 512, true);
            long last = (f.dax.nrPages() - 1) * B;
            poison(f, last, B, true);
            f.fs.syncfs();
            assertEquals(java.util.List.of(new BlockOwner.FileData(dev, a, 2 * B, false), new BlockOwner.Free(last)),
                    f.fs.badblockOwners());
        }
    }

    @Test
    void metadataPoison_directoryBlock_eioNotUsed_fsckReports() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            long d = f.fs.create(f.fs.rootIno(), "d", FileType.DIRECTORY, 0755, 0, 0);
            f.fs.create(d, "x", FileType.REGULAR, 0644, 0, 0);
            f.remount();
            long dirBlock = f.fs.extents(d, 0, 1).get(0).physical();
            assertEquals(new BlockOwner.Metadata(dirBlock, "directory " + d), f.fs.owner(dirBlock));
            poison(f, dirBlock, B, true);
            assertEquals(Errno.EIO, assertThrows(ErrnoException.class, () -> f.fs.lookup(d, "x")).errno());
            assertEquals(Errno.EIO, assertThrows(ErrnoException.class, () -> f.fs.readdir(d)).errno());
            f.fs.getattr(f.fs.rootIno()); // the filesystem carries on
            f.fs.close();
            FsckReport r = Fsck.check(f.dax, f.bdev, false);
            assertEquals(FsckReport.UNCORRECTED, r.exitCode());
            assertTrue(r.findings().toString().contains("poisoned"), r.findings().toString());
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
        }
    }

    @Test
    void metadataPoison_primarySuperblock_mountUsesBackup() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            long a = fourBlocks(f, "a");
            f.fs.close();
            poison(f, 0, B, true);
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
            assertEquals(4 * B, f.fs.getattr(a).size());
        }
    }

    @Test
    void write_intoHoleOnPoisonedFreeBlock_zeroingClearsIt() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            fourBlocks(f, "a");
            long firstFree = -1;
            for (long off = 0; firstFree < 0; off += B) {
                if (f.fs.owner(off) instanceof BlockOwner.Free) {
                    firstFree = off;
                }
            }
            poison(f, firstFree, B, true);
            long b = f.create("b");
            byte[] data = FsFixture.pattern(100, 9);
            assertEquals(100, f.fs.write(b, 10, data, 0, 100));
            assertEquals(firstFree, physical(f, b, 0), "allocation takes the first free block");
            assertFalse(f.ns.poisoned(f.ns.dataOffset() + firstFree, B));
            byte[] back = new byte[110];
            assertEquals(110, f.fs.read(b, 0, back, 0, 110));
            assertArrayEquals(new byte[10], java.util.Arrays.copyOf(back, 10));
        }
    }

    @Test
    void write_intoUnwrittenOnPoisonedBlock_zeroedConvertedAndCleared() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            long a = f.create("a");
            f.fs.fallocate(a, FallocateMode.of(0), 0, 2 * B);
            long dev = physical(f, a, B);
            poison(f, dev, B, true);
            byte[] data = FsFixture.pattern(50, 4);
            assertEquals(50, f.fs.write(a, B + 100, data, 0, 50));
            assertEquals(dev, physical(f, a, B), "the unwritten block is converted in place");
            assertFalse(f.ns.poisoned(f.ns.dataOffset() + dev, B));
            java.util.List<FileExtent> ex = f.fs.extents(a, 0, Long.MAX_VALUE);
            assertTrue(ex.get(ex.size() - 1).logical() <= B && !ex.get(ex.size() - 1).unwritten(), ex.toString());
            byte[] back = new byte[2 * B];
            assertEquals(2 * B, f.fs.read(a, 0, back, 0, back.length));
            assertEquals(data[0], back[B + 100]);
            assertEquals(0, back[B + 99]);
        }
    }

    @Test
    void create_poisonedEmptyInodeTableBlock_rewrittenNotShutDown() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            Geometry g = PmemFs.readSuperblock(f.dax).geometry();
            // inodes 15..29 live in the second inode-table block, never written yet
            poison(f, (g.itabStart() + 1) * B, B, true);
            for (int i = 0; i < 30; i++) {
                f.create("f" + i);
            }
            f.remount(); // the checkpoint writes the block in place through the block path
            assertFalse(f.ns.poisoned(f.ns.dataOffset() + (g.itabStart() + 1) * B, B));
            assertEquals(30, f.fs.readdir(f.fs.rootIno()).size());
        }
    }

    @Test
    void metadataPoison_foundOnRead_recordedAsMediaFailure() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            long d = f.fs.create(f.fs.rootIno(), "d", FileType.DIRECTORY, 0755, 0, 0);
            f.fs.create(d, "x", FileType.REGULAR, 0644, 0, 0);
            f.remount();
            long dirBlock = f.fs.extents(d, 0, 1).get(0).physical();
            poison(f, dirBlock, B, true);
            assertThrows(ErrnoException.class, () -> f.fs.readdir(d));
            assertEquals(new BlockOwner.Metadata(dirBlock, "directory"), f.fs.mediaFailures().get(0).owner());
        }
    }

    @Test
    void recoveryWrite_misalignedTailOverPoison_shortCount() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            long a = fourBlocks(f, "a");
            long dev = physical(f, a, B);
            poison(f, dev, B, true);
            byte[] data = FsFixture.pattern(B + 50, 21);
            // page 0 takes 3996 bytes; the 150 bytes for poisoned page 1 are sub-page: nothing more lands
            assertEquals(B - 100, f.fs.write(a, 100, data, 0, data.length));
            assertTrue(f.ns.poisoned(f.ns.dataOffset() + dev, B));
            byte[] back = new byte[B - 100];
            assertEquals(B - 100, f.fs.read(a, 100, back, 0, back.length));
            assertArrayEquals(java.util.Arrays.copyOf(data, B - 100), back);
        }
    }
}
