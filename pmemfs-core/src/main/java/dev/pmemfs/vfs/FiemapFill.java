package dev.pmemfs.vfs;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FileExtent;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills {@code struct fiemap} from a file's extents, with the kernel's rules: {@code ioctl_fiemap} and
 * {@code fiemap_prep} (fs/ioctl.c) for the argument checks, {@code iomap_fiemap} (fs/iomap/fiemap.c)
 * for which extent carries FIEMAP_EXTENT_LAST, {@code fiemap_fill_next_extent} for counting and a
 * full array (reference §5).
 *
 * <p>Extents are trimmed to the request rounded out to whole blocks, as XFS's {@code xfs_bmapi_read}
 * trims the mappings it hands to iomap, and neighbours that continue each other (same state,
 * contiguous logically and physically) are reported as one, as XFS's extent tree stores them.
 */
final class FiemapFill {
    /** {@code FIEMAP_MAX_EXTENTS = UINT_MAX / sizeof(struct fiemap_extent) - 1}, 56-byte extents. */
    static final long FIEMAP_MAX_EXTENTS = 0xFFFF_FFFFL / 56 - 1;
    static final int FIEMAP_FLAGS_COMPAT = Fiemap.FIEMAP_FLAG_SYNC | Fiemap.FIEMAP_FLAG_XATTR;

    private FiemapFill() {}

    /** The checked request: the byte range to map, clamped to {@code maxBytes}. */
    record Request(long start, long length, int flags, long extentCount) {
        long end() {
            return start + length;
        }
    }

    /**
     * Checks the arguments in the kernel's order: {@code fm_extent_count} too large → EINVAL;
     * {@code fm_length == 0} → EINVAL; {@code fm_start >= maxbytes} → EFBIG; unsupported
     * {@code fm_flags} → EBADR (the offending bits are named in the message, as the kernel writes them
     * back into fm_flags). Start and length are unsigned, as in the structure.
     */
    static Request check(long start, long length, int flags, int extentCount, long maxBytes) throws ErrnoException {
        long count = Integer.toUnsignedLong(extentCount);
        if (count > FIEMAP_MAX_EXTENTS) {
            throw new ErrnoException(Errno.EINVAL, "ioctl(FS_IOC_FIEMAP)", "fm_extent_count " + count
                    + " exceeds FIEMAP_MAX_EXTENTS " + FIEMAP_MAX_EXTENTS);
        }
        if (length == 0) {
            throw new ErrnoException(Errno.EINVAL, "ioctl(FS_IOC_FIEMAP)", "fm_length is 0");
        }
        if (Long.compareUnsigned(start, maxBytes) >= 0) {
            throw new ErrnoException(Errno.EFBIG, "ioctl(FS_IOC_FIEMAP)", "fm_start " + Long.toUnsignedString(start)
                    + " is at or beyond the maximum file size " + maxBytes);
        }
        long len = length;
        if (Long.compareUnsigned(len, maxBytes) > 0 || maxBytes - len < start) {
            len = maxBytes - start;
        }
        int incompat = flags & ~FIEMAP_FLAGS_COMPAT;
        if (incompat != 0) {
            throw new ErrnoException(Errno.EBADR, "ioctl(FS_IOC_FIEMAP)", "unsupported fm_flags 0x"
                    + Integer.toHexString(incompat));
        }
        return new Request(start, len, flags, count);
    }

    /**
     * The reported extents for {@code raw} (the file's extents overlapping the block-aligned request,
     * in file order), limited to {@code request.extentCount()} unless it is 0 (count only).
     */
    static Fiemap fill(Request request, long origLength, List<FileExtent> raw, int blockSize) {
        long alignedStart = request.start() - Math.floorMod(request.start(), blockSize);
        // Ends are unsigned, as fe_logical + fe_length is a __u64 in the kernel: the last block of the
        // largest file (2^63 - 1 bytes) ends at 2^63, which a long holds only as an unsigned value, and
        // XFS reports that block whole (4096 bytes), never clipped to 2^63 - 1.
        long alignedEnd = roundUpUnsigned(request.end(), blockSize);
        List<Fiemap.Extent> merged = new ArrayList<>();
        for (FileExtent e : raw) {
            long from = Math.max(e.logical(), alignedStart);
            long end = e.logical() + e.length();
            long to = Long.compareUnsigned(end, alignedEnd) < 0 ? end : alignedEnd;
            if (Long.compareUnsigned(from, to) >= 0) {
                continue;
            }
            long phys = e.physical() + (from - e.logical());
            int flags = e.unwritten() ? Fiemap.FIEMAP_EXTENT_UNWRITTEN : 0;
            if (!merged.isEmpty()) {
                Fiemap.Extent prev = merged.getLast();
                if (prev.flags() == flags && prev.logical() + prev.length() == from
                        && prev.physical() + prev.length() == phys) {
                    merged.set(merged.size() - 1, new Fiemap.Extent(prev.logical(), prev.physical(),
                            prev.length() + (to - from), flags));
                    continue;
                }
            }
            merged.add(new Fiemap.Extent(from, phys, to - from, flags));
        }
        int outFlags = request.flags() & ~Fiemap.FIEMAP_FLAG_XATTR;
        if (request.extentCount() == 0) {
            return new Fiemap(request.start(), origLength, outFlags, merged.size(), List.of());
        }
        int n = (int) Math.min(merged.size(), request.extentCount());
        List<Fiemap.Extent> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Fiemap.Extent e = merged.get(i);
            // iomap_fiemap holds back one extent and marks the final one of the range LAST; an array
            // that fills up earlier ends without it.
            int flags = i == merged.size() - 1 ? e.flags() | Fiemap.FIEMAP_EXTENT_LAST : e.flags();
            out.add(new Fiemap.Extent(e.logical(), e.physical(), e.length(), flags));
        }
        return new Fiemap(request.start(), origLength, outFlags, n, List.copyOf(out));
    }

    /** {@code v} (at most 2^63 - 1) rounded up to a multiple of {@code unit}, as an unsigned value (at most 2^63). */
    private static long roundUpUnsigned(long v, long unit) {
        long r = Math.floorMod(v, unit);
        return r == 0 ? v : v + (unit - r);
    }
}
