package dev.pmemfs.vfs;

/**
 * A known media error inside a file, as libpmem2's {@code pmem2_badblock_next} reports it: a file byte
 * range, rounded out to whole filesystem blocks.
 */
public record Badblock(long offset, long length) {
    public long end() {
        return offset + length;
    }
}
