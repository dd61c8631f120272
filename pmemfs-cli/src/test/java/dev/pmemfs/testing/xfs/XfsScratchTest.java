package dev.pmemfs.testing.xfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.Falloc;
import dev.pmemfs.testing.fileops.FileOp;
import dev.pmemfs.testing.fileops.FileState;
import dev.pmemfs.vfs.Fiemap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** The XFS fixture and its FFM driver, on a real scratch XFS (skipped with a printed reason without one). */
class XfsScratchTest {
    private static final int BS = XfsScratch.BLOCK_SIZE;

    @TempDir
    Path dir;

    private static byte[] filled(int len, int value) {
        byte[] b = new byte[len];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void close_afterUse_leavesNoMountLoopDeviceOrImage() throws Exception {
        XfsScratch xfs = XfsScratch.mountOrSkip(dir);
        String device = xfs.loopDevice();
        Path mnt = xfs.root();
        try (NativeFile f = xfs.createFile("a")) {
            f.pwrite(filled(BS, 1), 0);
        }
        assertTrue(Files.readString(Path.of("/proc/mounts")).contains(mnt.toString()));
        xfs.close();
        assertFalse(Files.readString(Path.of("/proc/mounts")).contains(mnt.toString()), "still mounted");
        Path backing = Path.of("/sys/block", Path.of(device).getFileName().toString(), "loop", "backing_file");
        assertFalse(Files.exists(backing) && Files.readString(backing).contains(dir.toString()), device + " still attached");
        assertFalse(Files.exists(dir.resolve("xfs.img")), "image left behind");
        xfs.close(); // idempotent
    }

    @Test
    void close_withLeakedDescriptor_unmountsLazilyAndReports() throws Exception {
        XfsScratch xfs = XfsScratch.mountOrSkip(dir);
        Path mnt = xfs.root();
        Path backing = Path.of("/sys/block", Path.of(xfs.loopDevice()).getFileName().toString(), "loop", "backing_file");
        NativeFile leaked = xfs.createFile("a");
        try {
            IOException e = assertThrows(IOException.class, xfs::close);
            assertTrue(e.getMessage().contains("lazily unmounted"), e.getMessage());
            assertFalse(Files.readString(Path.of("/proc/mounts")).contains(mnt.toString()), "still in the mount table");
        } finally {
            leaked.close();
        }
        // Once the last descriptor is gone the filesystem is released and the autoclear loop device goes.
        for (int i = 0; i < 50 && Files.exists(backing) && Files.readString(backing).contains(dir.toString()); i++) {
            Thread.sleep(100);
        }
        assertFalse(Files.exists(backing) && Files.readString(backing).contains(dir.toString()), "loop device still attached");
    }

    @Test
    void pwritePread_roundTrip_andShortReadAtEof() throws Exception {
        try (XfsScratch xfs = XfsScratch.mountOrSkip(dir); NativeFile f = xfs.createFile("a")) {
            assertEquals(3 * BS, f.pwrite(filled(3 * BS, 7), 0));
            byte[] buf = new byte[2 * BS];
            assertEquals(BS, f.pread(buf, 2 * BS));
            assertArrayEquals(filled(BS, 7), Arrays.copyOf(buf, BS));
            assertEquals(0, f.pread(buf, 5 * BS));
            assertEquals(3 * BS, f.size());
        }
    }

    @Test
    void errno_fromKernel_becomesErrnoException() throws Exception {
        try (XfsScratch xfs = XfsScratch.mountOrSkip(dir); NativeFile f = xfs.createFile("a")) {
            f.pwrite(filled(3 * BS, 7), 0);
            ErrnoException unaligned = assertThrows(ErrnoException.class,
                    () -> f.fallocate(Falloc.FALLOC_FL_COLLAPSE_RANGE, 1, BS));
            assertEquals(Errno.EINVAL, unaligned.errno());
            ErrnoException pastEof = assertThrows(ErrnoException.class, () -> f.lseek(3 * BS, FileOp.SEEK_DATA));
            assertEquals(Errno.ENXIO, pastEof.errno());
            assertEquals(Errno.EEXIST, assertThrows(ErrnoException.class, () -> xfs.createFile("a")).errno());
        }
    }

    @Test
    void fiemap_afterFallocate_reportsUnwrittenExtent() throws Exception {
        try (XfsScratch xfs = XfsScratch.mountOrSkip(dir); NativeFile f = xfs.createFile("a")) {
            f.pwrite(filled(BS, 7), 0);
            f.fallocate(0, 2 * BS, 2 * BS);
            Fiemap fm = f.fiemap(0, 4 * BS, Fiemap.FIEMAP_FLAG_SYNC, 16);
            assertEquals(2, fm.mappedExtents(), fm.toString());
            assertFalse(fm.extents().get(0).unwritten());
            assertEquals(2L * BS, fm.extents().get(1).logical());
            assertTrue(fm.extents().get(1).unwritten() && fm.extents().get(1).last(), fm.toString());
            assertEquals("D.UU", FileState.capture(f, BS).blockMap());
        }
    }

    /** Why settle drops the page cache: a read of an unwritten extent makes SEEK_DATA call it data. */
    @Test
    void settle_afterReadOfUnwrittenExtent_seekDataSeesHole() throws Exception {
        try (XfsScratch xfs = XfsScratch.mountOrSkip(dir); NativeFile f = xfs.createFile("a")) {
            f.fallocate(0, 0, 4 * BS);
            f.pread(new byte[4 * BS], 0);
            assertEquals(0, f.lseek(0, FileOp.SEEK_DATA), "page-cache XFS: cached unwritten pages count as data");
            f.settle();
            assertEquals(Errno.ENXIO, assertThrows(ErrnoException.class, () -> f.lseek(0, FileOp.SEEK_DATA)).errno());
        }
    }

    /** More extents than one FIEMAP call returns: the block map must page through them. */
    @Test
    void captureBlockMap_manyExtents_pagesThroughFiemap() throws Exception {
        try (XfsScratch xfs = XfsScratch.mountOrSkip(dir); NativeFile f = xfs.createFile("a")) {
            int blocks = 1200;
            StringBuilder expected = new StringBuilder();
            for (int b = 0; b < blocks; b++) {
                char c = b % 3 == 0 ? FileState.DATA : b % 3 == 1 ? FileState.UNWRITTEN : FileState.HOLE;
                if (c == FileState.DATA) {
                    f.pwrite(filled(BS, 9), (long) b * BS);
                } else if (c == FileState.UNWRITTEN) {
                    f.fallocate(0, (long) b * BS, BS);
                }
                expected.append(c);
            }
            FileState s = FileState.capture(f, BS);
            assertEquals(expected.substring(0, blocks - 1), s.blockMap(), "the last block is a hole past EOF");
            assertEquals(400, s.seekMap().size());
            assertTrue(s.selfInconsistency(BS).isEmpty(), s.selfInconsistency(BS).toString());
        }
    }

    @Test
    void orSkip_unavailable_abortsWithReason() {
        Assumptions.assumeFalse("required".equals(System.getProperty(XfsScratch.REQUIRED_PROPERTY)),
                "with -Dpmemfs.xfs=required an unavailable XFS fails instead");
        TestAbortedException e = assertThrows(TestAbortedException.class,
                () -> XfsScratch.orSkip(new XfsScratch.Attempt.Unavailable("no loop device (test)")));
        assertTrue(e.getMessage().contains("no loop device (test)"), e.getMessage());
    }

    @Test
    void mount_twice_givesIndependentFilesystems() throws IOException, ErrnoException {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        try (XfsScratch one = XfsScratch.mountOrSkip(a); XfsScratch two = XfsScratch.mountOrSkip(b)) {
            assertFalse(one.loopDevice().equals(two.loopDevice()));
            one.createFile("x").close();
            assertFalse(Files.exists(two.root().resolve("x")));
        }
    }
}
