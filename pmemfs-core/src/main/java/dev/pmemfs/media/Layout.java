package dev.pmemfs.media;

/**
 * Where things are in a namespace image file and inside the namespace.
 *
 * <pre>
 * image file:
 *   [0, 4096)                 media header, copy A   (MediaHeader)
 *   [4096, 8192)              media header, copy B
 *   [8192, 8192 + L)          media error log, area 0 (MediaErrorLog)
 *   [8192 + L, 8192 + 2L)     media error log, area 1
 *   [mediaOffset, +size)      the namespace's media (mediaOffset = 8192 + 2L rounded up to 2 MiB)
 * namespace (fsdax, devdax):
 *   [0, 8192)                 unused + the pfn info block at 4096 (as nd_pfn's SZ_4K info block)
 *   [8192, dataOffset)        memmap reservation: 64 bytes of struct page per 4 KiB page
 *   [dataOffset, size)        the data area the block/dax device exposes (dataOffset 2 MiB aligned)
 * </pre>
 */
final class Layout {
    static final long HEADER_SIZE = 4096;
    static final long LOG_OFFSET = 2 * HEADER_SIZE;
    static final long STRUCT_PAGE_SIZE = 64;
    static final long INFO_BLOCK_END = 8192;

    private Layout() {}

    /** The fsdax/devdax data offset of a namespace of {@code size} bytes (ndctl --map=dev). */
    static long dataOffset(long size) {
        long memmap = (size / 4096) * STRUCT_PAGE_SIZE;
        return alignUp(INFO_BLOCK_END + memmap, NamespaceConfig.ALIGN);
    }

    static long mediaOffset(long logAreaBytes) {
        return alignUp(LOG_OFFSET + 2 * logAreaBytes, NamespaceConfig.ALIGN);
    }

    static long alignUp(long x, long unit) {
        return (x + unit - 1) & -unit;
    }
}
