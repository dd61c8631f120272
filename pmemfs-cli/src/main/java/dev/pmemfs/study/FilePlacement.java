package dev.pmemfs.study;

import dev.pmemfs.fs.FileExtent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * How one file (or, summed with {@link #plus}, a set of files) sits on the device: extents, physical
 * runs, how much of it 2 MiB (PMD) pages can map, and how many RDMA scatter-gather entries it takes
 * to register. Models what {@code dax_iomap_pmd_fault} (fs/dax.c) needs for a PMD mapping and what
 * {@code ibv_reg_mr} / {@code struct ibv_sge} need to describe the file's memory.
 *
 * <p>Definitions (the study's figures mean exactly this):
 * <ul>
 *   <li><b>extents</b>: the extents as given (FIEMAP's count; written and unwritten are separate).
 *   <li><b>physical runs</b>: maximal groups of extents that follow each other both in the file and on
 *       the device ({@code next.logical == end.logical && next.physical == end.physical}). The written
 *       or unwritten state does not split a run: the memory behind it is contiguous either way, and
 *       contiguity is what PMD mappings and RDMA registration care about.
 *   <li><b>PMD-mappable bytes</b>: the bytes of every 2 MiB-aligned logical chunk
 *       {@code [c, c + 2 MiB)} that (a) lies wholly below the file size, (b) is covered by a single
 *       physical run, and (c) lands on a 2 MiB-aligned device offset (physical ≡ logical mod 2 MiB).
 *       Condition (a) is Linux's: {@code dax_iomap_pmd_fault} falls back to 4 KiB pages when the PMD
 *       would reach past {@code i_size}. Device offsets are relative to the data area, which an
 *       fsdax namespace aligns to 2 MiB (ndctl's default {@code --align}), so (c) is the real test.
 *   <li><b>PMD-mappable fraction</b>: PMD-mappable bytes divided by the <em>file size</em>
 *       ({@code i_size}, not the allocated bytes): holes, the unaligned head of a misplaced run and
 *       the tail below the last 2 MiB boundary all count as not mappable, because a mapping of the
 *       whole file has to use 4 KiB pages there. A file of size 0 contributes nothing; the fraction
 *       of an empty set of files is 0.
 *   <li><b>RDMA SGEs</b>: one scatter-gather entry per physical run, and a run longer than the
 *       maximum region size {@code maxSgeBytes} takes {@code ceil(length / maxSgeBytes)} entries.
 *       The default cap is {@link #DEFAULT_MAX_SGE_BYTES} = 2 GiB: {@code ibv_sge.length} is a 32-bit
 *       field, so one entry cannot describe 4 GiB, and 2 GiB is the largest power of two that also
 *       fits the signed 32-bit lengths many verbs libraries and Java's buffers use; a power of two
 *       keeps the split points aligned.
 * </ul>
 *
 * @param extents           extents
 * @param physicalRuns      physical runs
 * @param pmdMappableBytes  bytes in PMD-mappable chunks
 * @param fileBytes         file size (sum of sizes for a set of files): the PMD fraction's denominator
 * @param rdmaSges          scatter-gather entries with the cap applied
 */
record FilePlacement(long extents, long physicalRuns, long pmdMappableBytes, long fileBytes, long rdmaSges) {
    static final int PMD_SHIFT = 21;
    static final long PMD_SIZE = 1L << PMD_SHIFT;
    static final long DEFAULT_MAX_SGE_BYTES = 1L << 31;

    /** Nothing at all: the identity of {@link #plus}. */
    static final FilePlacement EMPTY = new FilePlacement(0, 0, 0, 0, 0);

    FilePlacement {
        if (extents < 0 || physicalRuns < 0 || pmdMappableBytes < 0 || fileBytes < 0 || rdmaSges < 0
                || pmdMappableBytes > fileBytes) {
            throw new IllegalArgumentException("inconsistent layout: " + extents + " extents, " + physicalRuns
                    + " runs, " + pmdMappableBytes + " of " + fileBytes + " bytes PMD-mappable, " + rdmaSges + " SGEs");
        }
    }

    /** The layout of one file of {@code fileSize} bytes with the default 2 GiB SGE cap. */
    static FilePlacement of(List<FileExtent> extents, long fileSize) {
        return of(extents, fileSize, DEFAULT_MAX_SGE_BYTES);
    }

    /**
     * The layout of one file of {@code fileSize} bytes whose extents are {@code extents} (any order;
     * they must not overlap in the file), with at most {@code maxSgeBytes} per scatter-gather entry.
     */
    static FilePlacement of(List<FileExtent> extents, long fileSize, long maxSgeBytes) {
        Objects.requireNonNull(extents, "extents");
        if (fileSize < 0) {
            throw new IllegalArgumentException("file size " + fileSize + " < 0");
        }
        if (maxSgeBytes <= 0) {
            throw new IllegalArgumentException("SGE cap " + maxSgeBytes + " must be positive");
        }
        List<FileExtent> sorted = new ArrayList<>(extents);
        sorted.sort(Comparator.comparingLong(FileExtent::logical));
        List<Run> runs = runsOf(sorted);
        long sges = 0;
        for (Run r : runs) {
            sges += Math.ceilDiv(r.length, maxSgeBytes);
        }
        return new FilePlacement(sorted.size(), runs.size(), pmdMappableBytes(runs, fileSize), fileSize, sges);
    }

    /** The figures of two files together (sums; the fraction is recomputed from the byte sums). */
    FilePlacement plus(FilePlacement other) {
        return new FilePlacement(extents + other.extents, physicalRuns + other.physicalRuns,
                pmdMappableBytes + other.pmdMappableBytes, fileBytes + other.fileBytes, rdmaSges + other.rdmaSges);
    }

    /** PMD-mappable bytes over file bytes, in [0, 1]; 0 when there are no file bytes. */
    double pmdMappableFraction() {
        return fileBytes == 0 ? 0.0 : (double) pmdMappableBytes / fileBytes;
    }

    /** A physical run in the file: {@code length} bytes at file offset {@code logical}, device offset {@code physical}. */
    private record Run(long logical, long physical, long length) {}

    private static List<Run> runsOf(List<FileExtent> sorted) {
        List<Run> runs = new ArrayList<>();
        long logical = 0;
        long physical = 0;
        long length = 0;
        long previousEnd = Long.MIN_VALUE;
        for (FileExtent e : sorted) {
            if (e.length() <= 0 || e.logical() < 0 || e.physical() < 0) {
                throw new IllegalArgumentException("bad extent " + e);
            }
            if (e.logical() < previousEnd) {
                throw new IllegalArgumentException("extent " + e + " overlaps the one before it in the file");
            }
            previousEnd = e.logical() + e.length();
            if (length > 0 && e.logical() == logical + length && e.physical() == physical + length) {
                length += e.length();
                continue;
            }
            if (length > 0) {
                runs.add(new Run(logical, physical, length));
            }
            logical = e.logical();
            physical = e.physical();
            length = e.length();
        }
        if (length > 0) {
            runs.add(new Run(logical, physical, length));
        }
        return runs;
    }

    private static long pmdMappableBytes(List<Run> runs, long fileSize) {
        long limit = fileSize & -PMD_SIZE; // chunks must end at or below i_size
        long bytes = 0;
        for (Run r : runs) {
            // A chunk can only map through a PMD if file and device offsets agree modulo 2 MiB.
            if (((r.physical - r.logical) & (PMD_SIZE - 1)) != 0) {
                continue;
            }
            long first = Math.ceilDiv(r.logical, PMD_SIZE) * PMD_SIZE;
            long end = Math.min(r.logical + r.length, limit) & -PMD_SIZE;
            if (end > first) {
                bytes += end - first;
            }
        }
        return bytes;
    }
}
