package dev.pmemfs.study;

import java.util.List;

/**
 * The device laid out as 4 KiB blocks: who owns each run of blocks, and where poison is. Used to draw
 * the before/after device map of a strategy.
 *
 * @param totalBlocks blocks of the device's data area
 * @param runs        owned runs in device order (free space is what no run covers)
 * @param poison      poisoned block runs (known or latent)
 */
public record DeviceMap(long totalBlocks, List<Run> runs, List<BlockRun> poison) {
    public enum Owner { FILE, METADATA }

    /** {@code count} blocks from {@code start}, owned by {@code owner}; {@code label} names the file or structure. */
    public record Run(long start, long count, Owner owner, String label) {}

    public record BlockRun(long start, long count) {}
}
