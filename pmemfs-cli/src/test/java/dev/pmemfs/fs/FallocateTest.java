package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extent semantics of fallocate against the fstests matrices generic/009 (zero) and generic/255
 * (punch), unit 64 KiB ("_4k" = 64k), printed as merged 512-byte sector ranges like
 * {@code _filter_fiemap}.
 */
class FallocateTest {
    static final int U = 64 * 1024;
    static final MountOptions LINUX = new MountOptions(true, MountOptions.ZeroRange.UNWRITTEN, true);

    @TempDir
    Path dir;

    /** "[a..b] data|unwritten|hole" lines over {@code [0, size)}, adjacent same kinds merged. */
    static List<String> map(FileSystem fs, long ino, long size) throws ErrnoException {
        List<String> out = new ArrayList<>();
        long pos = 0;
        String kind = null;
        long start = 0;
        for (FileExtent e : fs.extents(ino, 0, Long.MAX_VALUE)) {
            if (e.logical() > pos) {
                if (!"hole".equals(kind)) {
                    flush(out, kind, start, pos);
                    kind = "hole";
                    start = pos;
                }
            }
            String k = e.unwritten() ? "unwritten" : "data";
            if (!k.equals(kind)) {
                flush(out, kind, start, e.logical());
                kind = k;
                start = e.logical();
            }
            pos = e.logical() + e.length();
        }
        if (pos < size) {
            if (!"hole".equals(kind)) {
                flush(out, kind, start, pos);
                kind = "hole";
                start = pos;
            }
            pos = size;
        }
        flush(out, kind, start, pos);
        return out;
    }

    private static void flush(List<String> out, String kind, long start, long end) {
        if (kind != null && end > start) {
            out.add("[" + start / 512 + ".." + (end / 512 - 1) + "] " + kind);
        }
    }

    private FsFixture fixture(MountOptions o) throws ErrnoException {
        return new FsFixture(dir, 64 * TestNamespaces.MIB, o);
    }

    private void write(FsFixture f, long ino, long off, int len) throws ErrnoException {
        byte[] b = FsFixture.pattern(len, (int) off);
        assertEquals(len, f.fs.write(ino, off, b, 0, len));
    }

    @Test
    void fzero_intoHole_unwrittenBetweenHoles() throws Exception {
        try (FsFixture f = fixture(LINUX)) {
            long a = f.create("a");
            f.fs.truncate(a, 5L * U);
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_ZERO_RANGE), U, 2L * U);
            assertEquals(List.of("[0..127] hole", "[128..383] unwritten", "[384..639] hole"), map(f.fs, a, 5L * U));
        }
    }

    @Test
    void fzero_intoWritten_dataUnwrittenData() throws Exception {
        try (FsFixture f = fixture(LINUX)) {
            long a = f.create("a");
            f.fs.fallocate(a, FallocateMode.of(0), 0, 5L * U);
            write(f, a, 0, 5 * U);
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_ZERO_RANGE), U, 2L * U);
            assertEquals(List.of("[0..127] data", "[128..383] unwritten", "[384..639] data"), map(f.fs, a, 5L * U));
            byte[] all = f.readAll(a);
            for (int i = U; i < 3 * U; i++) {
                assertEquals(0, all[i]);
            }
        }
    }

    @Test
    void fzero_intoUnwritten_allUnwritten() throws Exception {
        try (FsFixture f = fixture(LINUX)) {
            long a = f.create("a");
            f.fs.fallocate(a, FallocateMode.of(0), 0, 5L * U);
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_ZERO_RANGE), U, 2L * U);
            assertEquals(List.of("[0..639] unwritten"), map(f.fs, a, 5L * U));
        }
    }

    @Test
    void fzero_holeToData_holeUnwrittenDataHole() throws Exception {
        try (FsFixture f = fixture(LINUX)) {
            long a = f.create("a");
            f.fs.truncate(a, 5L * U);
            write(f, a, 2L * U, 2 * U);
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_ZERO_RANGE), U, 2L * U);
            assertEquals(List.of("[0..127] hole", "[128..383] unwritten", "[384..511] data", "[512..639] hole"),
                    map(f.fs, a, 5L * U));
        }
    }

    @Test
    void fzero_dataToHoleAtEof_dataThenUnwritten() throws Exception {
        try (FsFixture f = fixture(LINUX)) {
            long a = f.create("a");
            write(f, a, 0, 5 * U);
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_ZERO_RANGE), 3L * U, 2L * U);
            assertEquals(List.of("[0..383] data", "[384..639] unwritten"), map(f.fs, a, 5L * U));
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_ZERO_RANGE), 0, 2L * U);
            assertEquals(List.of("[0..255] unwritten", "[256..383] data", "[384..639] unwritten"), map(f.fs, a, 5L * U));
        }
    }

    @Test
    void fzero_insideSingleBlock_staysDataAndZeroesBytes() throws Exception {
        try (FsFixture f = fixture(LINUX)) {
            long a = f.create("a");
            write(f, a, 0, 4096);
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_ZERO_RANGE), 128, 128);
            assertEquals(List.of("[0..7] data"), map(f.fs, a, 4096));
            byte[] all = f.readAll(a);
            byte[] expect = FsFixture.pattern(4096, 0);
            java.util.Arrays.fill(expect, 128, 256, (byte) 0);
            assertArrayEquals(expect, all);
        }
    }

    @Test
    void fzero_generic008Boundaries_exactBytesZeroed() throws Exception {
        long[][] cases = {{0, 1}, {0, 4095}, {0, 4096}, {0, 4097}, {4095, 4096}, {4095, 4097}, {4095, 4098},
                {4096, 4096}, {2048, 4096}};
        for (MountOptions o : List.of(LINUX, MountOptions.DEFAULTS)) {
            try (FsFixture f = fixture(o)) {
                for (long[] c : cases) {
                    String name = "f" + c[0] + "-" + c[1];
                    long a = f.create(name);
                    byte[] data = new byte[8192];
                    java.util.Arrays.fill(data, 0, 4096, (byte) 0x41);
                    java.util.Arrays.fill(data, 4096, 8192, (byte) 0x42);
                    f.fs.write(a, 0, data, 0, data.length);
                    f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_ZERO_RANGE), c[0], c[1]);
                    long end = Math.max(8192, c[0] + c[1]);
                    assertEquals(end, f.fs.getattr(a).size(), name);
                    byte[] back = f.readAll(a);
                    for (int i = 0; i < back.length; i++) {
                        boolean zero = i >= c[0] && i < c[0] + c[1] || i >= 8192;
                        assertEquals(zero ? 0 : data[i], back[i], name + " byte " + i + " under " + o);
                    }
                }
            }
        }
    }

    @Test
    void fpunch_matrix_matchesGeneric255() throws Exception {
        try (FsFixture f = fixture(LINUX)) {
            int punchKeep = Falloc.FALLOC_FL_PUNCH_HOLE | Falloc.FALLOC_FL_KEEP_SIZE;
            long a = f.create("hole");
            f.fs.truncate(a, 5L * U);
            f.fs.fallocate(a, FallocateMode.of(punchKeep), U, 2L * U);
            assertEquals(List.of(), f.fs.extents(a, 0, Long.MAX_VALUE));
            long b = f.create("written");
            write(f, b, 0, 5 * U);
            f.fs.fallocate(b, FallocateMode.of(punchKeep), U, 2L * U);
            assertEquals(List.of("[0..127] data", "[128..383] hole", "[384..639] data"), map(f.fs, b, 5L * U));
            long c = f.create("eof");
            write(f, c, 0, 5 * U);
            f.fs.fallocate(c, FallocateMode.of(punchKeep), 3L * U, 2L * U);
            assertEquals(List.of("[0..383] data", "[384..639] hole"), map(f.fs, c, 5L * U));
            assertEquals(5L * U, f.fs.getattr(c).size());
            long d = f.create("single");
            write(f, d, 0, 4096);
            f.fs.fallocate(d, FallocateMode.of(punchKeep), 128, 128);
            assertEquals(List.of("[0..7] data"), map(f.fs, d, 4096));
            byte[] all = f.readAll(d);
            for (int i = 0; i < 4096; i++) {
                assertEquals(i >= 128 && i < 256 ? 0 : FsFixture.pattern(4096, 0)[i], all[i]);
            }
        }
    }

    @Test
    void collapseAndInsert_fallocate04_dataShifts() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            long a = f.create("a");
            byte[] data = new byte[3 * 4096];
            java.util.Arrays.fill(data, 0, 4096, (byte) 'a');
            java.util.Arrays.fill(data, 4096, 8192, (byte) 'b');
            java.util.Arrays.fill(data, 8192, 12288, (byte) 'c');
            f.fs.write(a, 0, data, 0, data.length);
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_COLLAPSE_RANGE), 4096, 4096);
            byte[] back = f.readAll(a);
            assertEquals(8192, back.length);
            assertEquals('a', back[0]);
            assertEquals('c', back[4096]);
            assertEquals(16, f.fs.getattr(a).blocks());
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_INSERT_RANGE), 4096, 8192);
            back = f.readAll(a);
            assertEquals(16384, back.length);
            assertEquals('a', back[0]);
            assertEquals(0, back[4096]);
            assertEquals(0, back[12287]);
            assertEquals('c', back[12288]);
            assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class,
                    () -> f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_COLLAPSE_RANGE), 100, 4096)).errno());
            assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class,
                    () -> f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_COLLAPSE_RANGE), 8192, 8192)).errno());
            assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class,
                    () -> f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_INSERT_RANGE), 16384, 4096)).errno());
        }
    }

    /** Linux 6.17 on pmem: the filesystem knows FALLOC_FL_WRITE_ZEROES but the device cannot offload it. */
    @Test
    void writeZeroes_linux617_eopnotsupp() throws Exception {
        try (FsFixture f = fixture(MountOptions.Profile.LINUX_6_17.options())) {
            long a = f.create("a");
            f.fs.write(a, 0, FsFixture.pattern(8192, 1), 0, 8192);
            assertEquals(Errno.EOPNOTSUPP, assertThrows(ErrnoException.class,
                    () -> f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_WRITE_ZEROES), 0, 4096)).errno());
            assertArrayEquals(FsFixture.pattern(8192, 1), f.readAll(a));
        }
    }

    /**
     * pmemfs: WRITE_ZEROES as its contract reads, over written data, a hole and a preallocated range,
     * with a partial block at each end: zeros throughout, every block of the range written (no hole, no
     * unwritten extent), data outside the range kept, the size grown to the end of the range, and the
     * written blocks zeroed in place (same device blocks).
     */
    @Test
    void writeZeroes_pmemfs_zeroedAndWrittenAcrossDataHolesAndUnwritten() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            long a = f.create("a");
            byte[] data = FsFixture.pattern(3 * U, 7);
            f.fs.write(a, 0, data, 0, data.length);
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_PUNCH_HOLE | Falloc.FALLOC_FL_KEEP_SIZE), U, U);
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_KEEP_SIZE), 3 * U, U);
            long before = f.fs.extents(a, 0, 1).get(0).physical();
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_WRITE_ZEROES), 100, 4 * U + 50);
            byte[] back = f.readAll(a);
            assertEquals(4 * U + 150, back.length);
            byte[] want = new byte[4 * U + 150];
            System.arraycopy(data, 0, want, 0, 100);
            assertArrayEquals(want, back);
            assertEquals(List.of("[0.." + ((4 * U + 4096) / 512 - 1) + "] data"), map(f.fs, a, 4 * U + 4096));
            assertEquals(before, f.fs.extents(a, 0, 1).get(0).physical(), "written blocks are zeroed in place");
            assertEquals(Errno.EOPNOTSUPP, assertThrows(ErrnoException.class, () -> f.fs.fallocate(a,
                    FallocateMode.of(Falloc.FALLOC_FL_WRITE_ZEROES | Falloc.FALLOC_FL_KEEP_SIZE), 0, 4096)).errno());
            f.remount();
            assertArrayEquals(want, f.readAll(a));
        }
    }

    @Test
    void allocate_keepSize_unwrittenPastEofAndSizeUnchanged() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            long a = f.create("a");
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_KEEP_SIZE), 0, 3 * 4096);
            assertEquals(0, f.fs.getattr(a).size());
            assertEquals(24, f.fs.getattr(a).blocks());
            f.fs.fallocate(a, FallocateMode.of(0), 0, 10000);
            assertEquals(10000, f.fs.getattr(a).size());
            assertEquals(List.of(new FileExtent(0, f.fs.extents(a, 0, 1).get(0).physical(), 3 * 4096, true)),
                    f.fs.extents(a, 0, Long.MAX_VALUE));
            assertEquals(Errno.ENXIO, assertThrows(ErrnoException.class, () -> f.fs.seekData(a, 0)).errno());
            assertEquals(0, f.fs.seekHole(a, 0));
            write(f, a, 4096, 10);
            assertEquals(4096, f.fs.seekData(a, 0));
            assertEquals(8192, f.fs.seekHole(a, 4096));
        }
    }

    @Test
    void zeroinit_writtenBlocks_zeroedInPlaceMappingUnchanged() throws Exception {
        try (FsFixture f = fixture(MountOptions.DEFAULTS)) {
            long a = f.create("a");
            write(f, a, 0, 4 * 4096);
            List<FileExtent> before = f.fs.extents(a, 0, Long.MAX_VALUE);
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_ZEROINIT_RANGE | Falloc.FALLOC_FL_KEEP_SIZE), 4096, 8192);
            assertEquals(before, f.fs.extents(a, 0, Long.MAX_VALUE));
            byte[] back = f.readAll(a);
            for (int i = 4096; i < 12288; i++) {
                assertEquals(0, back[i]);
            }
            f.fs.fallocate(a, FallocateMode.of(Falloc.FALLOC_FL_ZERO_RANGE), 0, 4096);
            assertEquals(before, f.fs.extents(a, 0, Long.MAX_VALUE));
        }
        try (FsFixture f = fixture(new MountOptions(true, MountOptions.ZeroRange.UNWRITTEN, false))) {
            long a = f.create("a");
            write(f, a, 0, 4096);
            assertEquals(Errno.EOPNOTSUPP, assertThrows(ErrnoException.class, () -> f.fs.fallocate(a,
                    FallocateMode.of(Falloc.FALLOC_FL_ZEROINIT_RANGE | Falloc.FALLOC_FL_KEEP_SIZE), 0, 4096)).errno());
        }
    }
}
