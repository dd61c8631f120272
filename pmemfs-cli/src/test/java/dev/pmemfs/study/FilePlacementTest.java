package dev.pmemfs.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pmemfs.fs.FileExtent;
import dev.pmemfs.testing.Gen;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FilePlacementTest {
    private static final long MiB = 1L << 20;
    private static final long BLOCK = 4096;
    private static final int BLOCKS_PER_PMD = (int) (FilePlacement.PMD_SIZE / BLOCK);

    private static FileExtent written(long logical, long physical, long length) {
        return new FileExtent(logical, physical, length, false);
    }

    @Test
    void of_oneAlignedExtent_wholeFilePmdMappable() {
        FilePlacement l = FilePlacement.of(List.of(written(0, 64 * MiB, 8 * MiB)), 8 * MiB);
        assertEquals(new FilePlacement(1, 1, 8 * MiB, 8 * MiB, 1), l);
        assertEquals(1.0, l.pmdMappableFraction());
    }

    @Test
    void of_physicalOffByOneBlock_noPmdChunk() {
        FilePlacement l = FilePlacement.of(List.of(written(0, 64 * MiB + BLOCK, 8 * MiB)), 8 * MiB);
        assertEquals(0, l.pmdMappableBytes());
        assertEquals(1, l.physicalRuns());
    }

    @Test
    void of_writtenThenUnwrittenContiguous_twoExtentsOneRun() {
        FilePlacement l = FilePlacement.of(List.of(written(0, 2 * MiB, MiB), new FileExtent(MiB, 3 * MiB, 3 * MiB, true)), 4 * MiB);
        assertEquals(2, l.extents());
        assertEquals(1, l.physicalRuns());
        assertEquals(1, l.rdmaSges());
        assertEquals(4 * MiB, l.pmdMappableBytes());
    }

    @Test
    void of_oneBlockMovedByPunchAndWrite_splitsRunAndLosesItsChunk() {
        // punch + pwrite of block 1 in a 4 MiB file: the block now lives elsewhere on the device.
        List<FileExtent> extents = List.of(
                written(0, 2 * MiB, BLOCK),
                written(BLOCK, 100 * MiB, BLOCK),
                written(2 * BLOCK, 2 * MiB + 2 * BLOCK, 4 * MiB - 2 * BLOCK));
        FilePlacement l = FilePlacement.of(extents, 4 * MiB);
        assertEquals(3, l.extents());
        assertEquals(3, l.physicalRuns());
        assertEquals(3, l.rdmaSges());
        assertEquals(2 * MiB, l.pmdMappableBytes(), "only the second chunk is still covered by one run");
        assertEquals(0.5, l.pmdMappableFraction());
    }

    @Test
    void of_tailBelowFileSize_notMappable() {
        FilePlacement l = FilePlacement.of(List.of(written(0, 0, 4 * MiB)), 3 * MiB);
        assertEquals(2 * MiB, l.pmdMappableBytes());
        assertEquals(2.0 / 3.0, l.pmdMappableFraction(), 1e-12);
    }

    @Test
    void of_holeInFile_countsAgainstFraction() {
        FilePlacement l = FilePlacement.of(List.of(written(0, 0, 2 * MiB), written(4 * MiB, 4 * MiB, 2 * MiB)), 6 * MiB);
        assertEquals(2, l.physicalRuns(), "a hole separates runs even when the device offsets line up");
        assertEquals(4 * MiB, l.pmdMappableBytes());
        assertEquals(4.0 / 6.0, l.pmdMappableFraction(), 1e-12);
    }

    @Test
    void of_runLongerThanCap_splitsSges() {
        long fiveGiB = 5L << 30;
        FilePlacement l = FilePlacement.of(List.of(written(0, 0, fiveGiB)), fiveGiB);
        assertEquals(3, l.rdmaSges(), "2 GiB + 2 GiB + 1 GiB");
        assertEquals(2, FilePlacement.of(List.of(written(0, 0, 4L << 30)), 4L << 30).rdmaSges());
    }

    @Test
    void of_emptyFile_zeroEverything() {
        FilePlacement l = FilePlacement.of(List.of(), 0);
        assertEquals(FilePlacement.EMPTY, l);
        assertEquals(0.0, l.pmdMappableFraction());
    }

    @Test
    void of_overlappingExtents_throws() {
        assertThrows(IllegalArgumentException.class,
                () -> FilePlacement.of(List.of(written(0, 0, 2 * BLOCK), written(BLOCK, 10 * BLOCK, BLOCK)), 2 * BLOCK));
    }

    @Test
    void of_badArguments_throw() {
        assertThrows(IllegalArgumentException.class, () -> FilePlacement.of(List.of(written(0, 0, 0)), 0));
        assertThrows(IllegalArgumentException.class, () -> FilePlacement.of(List.of(), -1));
        assertThrows(IllegalArgumentException.class, () -> FilePlacement.of(List.of(), 0, 0));
    }

    @Test
    void plus_twoFiles_sumsBytesNotFractions() {
        FilePlacement a = FilePlacement.of(List.of(written(0, 0, 2 * MiB)), 2 * MiB);
        FilePlacement b = FilePlacement.of(List.of(written(0, 10 * MiB + BLOCK, BLOCK)), BLOCK);
        FilePlacement sum = a.plus(b);
        assertEquals(new FilePlacement(2, 2, 2 * MiB, 2 * MiB + BLOCK, 2), sum);
        assertEquals((double) (2 * MiB) / (2 * MiB + BLOCK), sum.pmdMappableFraction(), 1e-12);
        assertEquals(a, a.plus(FilePlacement.EMPTY));
    }

    /** Random block-granular files, checked against a model that looks at every 4 KiB block. */
    @Test
    void of_randomFiles_matchesPerBlockModel() {
        Gen.forAll("layout-per-block-model", 300, g -> {
            int fileBlocks = g.intBetween(0, 4 * BLOCKS_PER_PMD);
            List<FileExtent> extents = randomExtents(g, fileBlocks);
            long fileSize = fileBlocks * BLOCK - (fileBlocks > 0 && g.chance(0.3) ? g.between(1, BLOCK - 1) : 0);
            long capBlocks = g.oneOf(1L, 3L, 64L, 1000L, 1L << 40);
            List<FileExtent> shuffled = new ArrayList<>(extents);
            Collections.shuffle(shuffled, new Random(g.seed()));

            FilePlacement actual = FilePlacement.of(shuffled, fileSize, capBlocks * BLOCK);

            long[] map = blockMap(extents, fileBlocks);
            assertEquals(extents.size(), actual.extents(), "extents");
            assertEquals(modelRuns(map), actual.physicalRuns(), "runs of " + extents);
            assertEquals(modelPmdBytes(map, fileSize), actual.pmdMappableBytes(), "PMD bytes of " + extents);
            assertEquals(modelSges(map, capBlocks), actual.rdmaSges(), "SGEs of " + extents + " cap " + capBlocks);
            assertEquals(fileSize, actual.fileBytes());
        });
    }

    /** Extents over {@code [0, fileBlocks)} blocks with holes, contiguous neighbours, aligned and misaligned placements. */
    private static List<FileExtent> randomExtents(Gen g, int fileBlocks) {
        List<FileExtent> out = new ArrayList<>();
        long block = 0;
        long nextPhysical = -1;
        while (block < fileBlocks) {
            long len = Math.min(fileBlocks - block, g.oneOf(1L, 2L, g.between(1, 40), g.between(1, 2L * BLOCKS_PER_PMD)));
            if (g.chance(0.15)) {
                block += len; // a hole
                nextPhysical = -1;
                continue;
            }
            long physical;
            if (nextPhysical >= 0 && g.chance(0.5)) {
                physical = nextPhysical; // continues the previous extent on the device
            } else if (g.chance(0.5)) {
                physical = g.between(0, 64) * BLOCKS_PER_PMD + (block % BLOCKS_PER_PMD); // PMD-congruent
            } else {
                physical = g.between(0, 64L * BLOCKS_PER_PMD);
            }
            out.add(new FileExtent(block * BLOCK, physical * BLOCK, len * BLOCK, g.chance(0.3)));
            block += len;
            nextPhysical = physical + len;
        }
        return out;
    }

    private static long[] blockMap(List<FileExtent> extents, int fileBlocks) {
        long[] map = new long[fileBlocks];
        Arrays.fill(map, -1);
        for (FileExtent e : extents) {
            for (long i = 0; i < e.length() / BLOCK; i++) {
                map[(int) (e.logical() / BLOCK + i)] = e.physical() / BLOCK + i;
            }
        }
        return map;
    }

    private static boolean continues(long[] map, int b) {
        return b > 0 && map[b - 1] >= 0 && map[b] == map[b - 1] + 1;
    }

    private static long modelRuns(long[] map) {
        long runs = 0;
        for (int b = 0; b < map.length; b++) {
            if (map[b] >= 0 && !continues(map, b)) {
                runs++;
            }
        }
        return runs;
    }

    private static long modelPmdBytes(long[] map, long fileSize) {
        long bytes = 0;
        for (int chunk = 0; (long) (chunk + 1) * FilePlacement.PMD_SIZE <= fileSize; chunk++) {
            int first = chunk * BLOCKS_PER_PMD;
            boolean ok = map[first] >= 0 && map[first] % BLOCKS_PER_PMD == 0;
            for (int b = first + 1; ok && b < first + BLOCKS_PER_PMD; b++) {
                ok = map[b] >= 0 && continues(map, b);
            }
            if (ok) {
                bytes += FilePlacement.PMD_SIZE;
            }
        }
        return bytes;
    }

    private static long modelSges(long[] map, long capBlocks) {
        long sges = 0;
        long inCurrent = 0;
        for (int b = 0; b < map.length; b++) {
            if (map[b] < 0) {
                continue;
            }
            if (!continues(map, b) || inCurrent == capBlocks) {
                sges++;
                inCurrent = 0;
            }
            inCurrent++;
        }
        return sges;
    }
}
