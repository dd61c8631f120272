package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extent-list blocks, multi-transaction writes and frees, orphans. */
class LargeFileTest {
    static final int B = 4096;

    @TempDir
    Path dir;

    @Test
    void fragmentedFile_extentBlocksPersistAndFree() throws Exception {
        try (FsFixture f = new FsFixture(dir, 64 * TestNamespaces.MIB, MountOptions.DEFAULTS)) {
            long a = f.create("a");
            long b = f.create("b");
            byte[] blk = new byte[B];
            int n = 600;
            for (int i = 0; i < n; i++) {
                // interleave the two files so no extent of "a" can merge with its neighbour
                blk[0] = (byte) i;
                f.fs.write(a, (long) i * 2 * B, blk, 0, B);
                f.fs.write(b, (long) i * B, blk, 0, B);
            }
            assertEquals(n, f.fs.extents(a, 0, Long.MAX_VALUE).size());
            f.remount();
            assertEquals(n, f.fs.extents(a, 0, Long.MAX_VALUE).size());
            byte[] back = new byte[B];
            for (int i = 0; i < n; i += 37) {
                f.fs.read(a, (long) i * 2 * B, back, 0, B);
                assertEquals((byte) i, back[0]);
            }
            long extentBlocks = f.fs.getattr(a).blocks() / 8 - n;
            assertTrue(extentBlocks >= (n + ExtentListBlocks.EXTENTS_PER_BLOCK - 1) / ExtentListBlocks.EXTENTS_PER_BLOCK
                    && extentBlocks <= n / ExtentListBlocks.SPLIT_FILL + 2, extentBlocks + " leaves");
            long free = f.fs.statfs().freeBlocks();
            f.fs.truncate(a, 0);
            assertEquals(0, f.fs.getattr(a).blocks());
            f.fs.close();
            assertEquals(FsckReport.CLEAN, Fsck.check(f.dax, f.bdev, false).exitCode());
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
            assertEquals(free + n + extentBlocks, f.fs.statfs().freeBlocks());
        }
    }

    @Test
    void bigWrite_spansTransactions_readsBack() throws Exception {
        try (FsFixture f = new FsFixture(dir, 128 * TestNamespaces.MIB, MountOptions.DEFAULTS)) {
            long a = f.create("a");
            byte[] data = FsFixture.pattern(40 << 20, 3);
            assertEquals(data.length, f.fs.write(a, 0, data, 0, data.length));
            f.remount();
            assertArrayEquals(data, f.readAll(a));
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_PUNCH_HOLE | Falloc.FALLOC_FL_KEEP_SIZE), B, 30 << 20);
            f.fs.unlink(f.fs.rootIno(), "a");
            f.fs.close();
            assertEquals(FsckReport.CLEAN, Fsck.check(f.dax, f.bdev, false).exitCode());
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
        }
    }

    @Test
    void write_deviceFull_shortCountThenEnospc() throws Exception {
        try (FsFixture f = new FsFixture(dir, 16 * TestNamespaces.MIB, MountOptions.DEFAULTS)) {
            long a = f.create("a");
            byte[] data = new byte[32 << 20];
            int n = f.fs.write(a, 0, data, 0, data.length);
            assertTrue(n > 0 && n < data.length, "short write " + n);
            assertEquals(Errno.ENOSPC, assertThrows(ErrnoException.class, () -> f.fs.write(a, n, data, 0, B)).errno());
            f.fs.unlink(f.fs.rootIno(), "a");
            long b = f.create("b");
            assertEquals(B, f.fs.write(b, 0, data, 0, B));
        }
    }

    @Test
    void unlinkWhileOpen_crash_orphanFreedAtMount() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            long free0 = f.fs.statfs().freeBlocks();
            long a = f.create("a");
            byte[] data = new byte[10 * B];
            f.fs.write(a, 0, data, 0, data.length);
            f.fs.open(a);
            f.fs.unlink(f.fs.rootIno(), "a");
            assertEquals(10 * B, f.fs.read(a, 0, data, 0, data.length));
            // Power cut: no release, no unmount; mount replays the journal and frees the orphan.
            FileSystem after = PmemFs.mount(f.dax, f.bdev, null);
            assertInstanceOf(ReplayResult.Replayed.class, PmemFs.journalReplay(after));
            assertEquals(free0 - 1, after.statfs().freeBlocks()); // the root directory's block remains
            after.close();
            assertEquals(FsckReport.CLEAN, Fsck.check(f.dax, f.bdev, false).exitCode());
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
        }
    }

    @Test
    void unlinkWhileOpen_release_freesBlocks() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            long a = f.create("a");
            long free0 = f.fs.statfs().freeBlocks();
            f.fs.write(a, 0, new byte[5 * B], 0, 5 * B);
            f.fs.open(a);
            f.fs.unlink(f.fs.rootIno(), "a");
            assertEquals(free0 - 5, f.fs.statfs().freeBlocks());
            f.fs.release(a);
            assertEquals(free0, f.fs.statfs().freeBlocks());
            assertEquals(Errno.ENOENT, assertThrows(ErrnoException.class, () -> f.fs.getattr(a)).errno());
        }
    }

    @Test
    void collapseAndInsert_largeFile_shiftInBatchesAndStayConsistent() throws Exception {
        try (FsFixture f = new FsFixture(dir, 128 * TestNamespaces.MIB, MountOptions.DEFAULTS)) {
            long a = f.create("a");
            byte[] data = FsFixture.pattern(48 << 20, 5);
            // Two files interleaved in 1 MiB pieces, so "a" has many extents to shift.
            long b = f.create("b");
            for (int off = 0; off < data.length; off += 1 << 20) {
                f.fs.write(a, off, data, off, 1 << 20);
                f.fs.write(b, off, data, off, 4096);
            }
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_COLLAPSE_RANGE), B, 2 * B);
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_INSERT_RANGE), 5 * B, 3 * B);
            byte[] expect = new byte[data.length - 2 * B + 3 * B];
            System.arraycopy(data, 0, expect, 0, B);
            System.arraycopy(data, 3 * B, expect, B, 4 * B);
            System.arraycopy(data, 7 * B, expect, 8 * B, data.length - 7 * B);
            f.remount();
            assertArrayEquals(expect, f.readAll(a));
            f.fs.close();
            FsckReport r = Fsck.check(f.dax, f.bdev, false);
            assertEquals(FsckReport.CLEAN, r.exitCode(), r.findings().toString());
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
        }
    }

    @Test
    void veryFragmentedFile_indexBlocks_punchInMiddleStaysCheap() throws Exception {
        try (FsFixture f = new FsFixture(dir, 128 * TestNamespaces.MIB, MountOptions.DEFAULTS)) {
            long a = f.create("a");
            long b = f.create("b");
            byte[] blk = new byte[B];
            int n = 5000;
            for (int i = 0; i < n; i++) {
                blk[0] = (byte) i;
                blk[1] = (byte) (i >> 8);
                f.fs.write(a, (long) i * 2 * B, blk, 0, B);
                f.fs.write(b, (long) i * B, blk, 0, B);
            }
            assertEquals(n, f.fs.extents(a, 0, Long.MAX_VALUE).size());
            MountedFs m = (MountedFs) f.fs;
            long commitsBefore = m.volume().meta.commits();
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_PUNCH_HOLE | Falloc.FALLOC_FL_KEEP_SIZE), 2L * 2500 * B, B);
            assertEquals(commitsBefore + 1, m.volume().meta.commits());
            assertEquals(n - 1, f.fs.extents(a, 0, Long.MAX_VALUE).size());
            f.remount();
            assertEquals(n - 1, f.fs.extents(a, 0, Long.MAX_VALUE).size());
            byte[] back = new byte[B];
            for (int i = 0; i < n; i += 97) {
                f.fs.read(a, (long) i * 2 * B, back, 0, B);
                assertEquals((byte) i, back[0]);
                assertEquals((byte) (i >> 8), back[1]);
            }
            f.fs.unlink(f.fs.rootIno(), "a");
            f.fs.close();
            FsckReport r = Fsck.check(f.dax, f.bdev, false);
            assertEquals(FsckReport.CLEAN, r.exitCode(), r.findings().toString());
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
        }
    }
}
