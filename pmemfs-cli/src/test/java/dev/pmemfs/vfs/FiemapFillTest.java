package dev.pmemfs.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FileExtent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The struct fiemap rules of reference §5. */
class FiemapFillTest {
    private static final long MAX = 1L << 40;
    private static final List<FileExtent> THREE = List.of(
            new FileExtent(0, 1 << 20, 4096, false),
            new FileExtent(8192, 2 << 20, 4096, true),
            new FileExtent(16384, 3 << 20, 8192, false));

    private static Fiemap fill(long start, long len, int count, List<FileExtent> raw) throws ErrnoException {
        return FiemapFill.fill(FiemapFill.check(start, len, 0, count, MAX), len, raw, 4096);
    }

    private static Errno checkErrno(long start, long len, int flags, int count) {
        return assertThrows(ErrnoException.class, () -> FiemapFill.check(start, len, flags, count, MAX)).errno();
    }

    @Test
    void fill_allExtents_lastCarriesLastAndUnwrittenIsFlagged() throws ErrnoException {
        Fiemap m = fill(0, -1, 32, THREE);
        assertEquals(3, m.mappedExtents());
        assertEquals(new Fiemap.Extent(8192, 2 << 20, 4096, Fiemap.FIEMAP_EXTENT_UNWRITTEN), m.extents().get(1));
        assertEquals(Fiemap.FIEMAP_EXTENT_LAST, m.extents().get(2).flags());
        assertEquals(0, m.extents().get(0).flags());
    }

    @Test
    void fill_countZero_onlyCounts() throws ErrnoException {
        Fiemap m = fill(0, -1, 0, THREE);
        assertEquals(3, m.mappedExtents());
        assertEquals(List.of(), m.extents());
    }

    @Test
    void fill_arrayTooSmall_mappedEqualsCountAndNoLast() throws ErrnoException {
        Fiemap m = fill(0, -1, 2, THREE);
        assertEquals(2, m.mappedExtents());
        assertEquals(0, m.extents().get(1).flags() & Fiemap.FIEMAP_EXTENT_LAST);
    }

    @Test
    void fill_arrayExactlyFull_lastStillSet() throws ErrnoException {
        Fiemap m = fill(0, -1, 3, THREE);
        assertEquals(Fiemap.FIEMAP_EXTENT_LAST, m.extents().get(2).flags() & Fiemap.FIEMAP_EXTENT_LAST);
    }

    @Test
    void fill_rangeInsideAnExtent_trimmedToBlocksAndLastSet() throws ErrnoException {
        // As ext4/XFS report `fiemap 5000 100` on a 16 KiB extent: the block holding the range.
        Fiemap m = fill(5000, 100, 32, List.of(new FileExtent(0, 1 << 20, 16384, false)));
        assertEquals(List.of(new Fiemap.Extent(4096, (1 << 20) + 4096, 4096, Fiemap.FIEMAP_EXTENT_LAST)), m.extents());
    }

    @Test
    void fill_contiguousNeighbours_mergeButStateChangesDoNot() throws ErrnoException {
        Fiemap m = fill(0, -1, 32, List.of(
                new FileExtent(0, 40960, 4096, false),
                new FileExtent(4096, 45056, 4096, false),
                new FileExtent(8192, 49152, 4096, true),
                new FileExtent(12288, 60000 * 4096L, 4096, true)));
        assertEquals(List.of(
                new Fiemap.Extent(0, 40960, 8192, 0),
                new Fiemap.Extent(8192, 49152, 4096, Fiemap.FIEMAP_EXTENT_UNWRITTEN),
                new Fiemap.Extent(12288, 60000 * 4096L, 4096,
                        Fiemap.FIEMAP_EXTENT_UNWRITTEN | Fiemap.FIEMAP_EXTENT_LAST)), m.extents());
    }

    @Test
    void check_argumentErrors_inKernelOrder() {
        assertEquals(Errno.EINVAL, checkErrno(0, 0, 0, 1));
        assertEquals(Errno.EFBIG, checkErrno(MAX, 1, 0, 1));
        assertEquals(Errno.EFBIG, checkErrno(-1, 1, 0, 1));
        assertEquals(Errno.EBADR, checkErrno(0, 1, 0x4, 1));
        // fm_extent_count is checked first of all.
        assertEquals(Errno.EINVAL, checkErrno(MAX, 0, 0x4, -1));
        assertEquals(Errno.EINVAL, checkErrno(0, 1, 0, (int) FiemapFill.FIEMAP_MAX_EXTENTS + 1));
    }

    @Test
    void check_lengthBeyondMaxbytes_isClamped() throws ErrnoException {
        FiemapFill.Request r = FiemapFill.check(4096, -1, Fiemap.FIEMAP_FLAG_SYNC, 1, MAX);
        assertEquals(MAX - 4096, r.length());
    }
}
