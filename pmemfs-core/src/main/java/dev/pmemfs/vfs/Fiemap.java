package dev.pmemfs.vfs;

import java.util.List;

/**
 * The result of FS_IOC_FIEMAP: {@code struct fiemap} after the call (reference §5). With
 * {@code fm_extent_count == 0} only {@code mappedExtents} is filled and {@code extents} is empty.
 */
public record Fiemap(long start, long length, int flags, int mappedExtents, List<Extent> extents) {
    public static final int FIEMAP_FLAG_SYNC = 0x1;
    public static final int FIEMAP_FLAG_XATTR = 0x2;
    public static final int FIEMAP_EXTENT_LAST = 0x1;
    public static final int FIEMAP_EXTENT_UNKNOWN = 0x2;
    public static final int FIEMAP_EXTENT_UNWRITTEN = 0x800;
    public static final int FIEMAP_EXTENT_MERGED = 0x1000;

    /** {@code struct fiemap_extent}: bytes; physical is the device offset. */
    public record Extent(long logical, long physical, long length, int flags) {
        public boolean unwritten() {
            return (flags & FIEMAP_EXTENT_UNWRITTEN) != 0;
        }

        public boolean last() {
            return (flags & FIEMAP_EXTENT_LAST) != 0;
        }

        /**
         * Where the extent ends, {@code logical + length}, saturated at {@code Long.MAX_VALUE}: the last
         * block of the largest file (2^63 - 1 bytes) ends at 2^63, which the kernel's {@code __u64} holds
         * and a signed long does not; every offset inside a file is below it either way.
         */
        public long end() {
            long end = logical + length;
            return end < logical ? Long.MAX_VALUE : end;
        }
    }
}
