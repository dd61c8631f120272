package dev.pmemfs.fs;

import java.util.List;

/**
 * What a salvage did to a file: how many damaged blocks it rewrote in place and which byte ranges of
 * the file it could not save (the sectors the driver knew to be bad, or found bad while reading), at
 * sector precision and clipped to the file's size. Everything else of those blocks kept its bytes.
 *
 * @param blocksRepaired damaged blocks cleared and written back
 * @param blocksLeft     damaged blocks the firmware would not clear (still poisoned, old bytes intact)
 * @param lost           file ranges that now read as zeros, in file order, merged
 */
public record SalvageResult(long blocksRepaired, long blocksLeft, List<Range> lost) {
    public SalvageResult {
        lost = List.copyOf(lost);
    }

    /** A byte range of the file, {@code [offset, offset + length)}. */
    public record Range(long offset, long length) {
        public long end() {
            return offset + length;
        }
    }

    public long bytesLost() {
        return lost.stream().mapToLong(Range::length).sum();
    }
}
