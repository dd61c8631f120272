package dev.pmemfs.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SummaryTest {
    private static StepMetrics step(int event, long runs, long cleanFree, long poisoned, long destroyed, String failure) {
        return new StepMetrics(event, runs + 1, runs, 0.75, runs, cleanFree, poisoned, destroyed, destroyed / 8, event / 2, event / 4, 1000, failure, "file data: /data/f");
    }

    private static final DeviceMap EMPTY_MAP = new DeviceMap(16, List.of(), List.of());

    @Test
    void of_runThatWentOn_takesLastStepAndConsumedBlocks() {
        StrategyRun run = new StrategyRun("punch-pwrite", "file write", "linux-5.19",
                List.of(step(0, 1, 1000, 0, 0, null), step(1, 3, 999, 1, 0, null), step(2, 5, 990, 4, 512, null)),
                EMPTY_MAP, EMPTY_MAP, List.of(40L, 10L), 0);
        Summary s = Summary.of(run);
        assertEquals("punch-pwrite", s.strategy());
        assertEquals("file write", s.privilege());
        assertEquals(2, s.events());
        assertEquals(6, s.extents());
        assertEquals(5, s.physicalRuns());
        assertEquals(0.75, s.pmdMappableFraction());
        assertEquals(5, s.rdmaSges());
        assertEquals(10, s.cleanBlocksConsumed());
        assertEquals(4, s.poisonLeft());
        assertEquals(512, s.bytesDestroyed());
        assertEquals(1, s.metadataDamaged());
        assertEquals(OptionalLong.of(10), s.latencyMedianNanos(), "nearest rank: lower middle of an even count");
        assertEquals(OptionalLong.of(40), s.latencyP99Nanos());
        assertTrue(s.wentOn());
        assertNull(s.failure());
    }

    @Test
    void of_runStoppedByEnospc_reportsFailure() {
        StrategyRun run = new StrategyRun("punch-falloc", "file write", "linux-5.19",
                List.of(step(0, 1, 10, 0, 0, null), step(1, 3, 0, 1, 0, "ENOSPC")), EMPTY_MAP, EMPTY_MAP, List.of(7L), 0);
        Summary s = Summary.of(run);
        assertFalse(s.wentOn());
        assertEquals("ENOSPC", s.failure());
        assertEquals(10, s.cleanBlocksConsumed());
        assertEquals(OptionalLong.of(7), s.latencyMedianNanos());
    }

    @Test
    void of_noEvents_noLatencies() {
        StrategyRun run = new StrategyRun("zeroinit", "file write", "linux-5.19", List.of(step(0, 1, 10, 0, 0, null)),
                EMPTY_MAP, EMPTY_MAP, List.of(), 0);
        Summary s = Summary.of(run);
        assertEquals(0, s.events());
        assertEquals(0, s.cleanBlocksConsumed());
        assertEquals(OptionalLong.empty(), s.latencyMedianNanos());
        assertEquals(OptionalLong.empty(), s.latencyP99Nanos());
    }

    @Test
    void of_noSteps_throws() {
        StrategyRun run = new StrategyRun("zeroinit", "file write", "linux-5.19", List.of(), EMPTY_MAP, EMPTY_MAP, List.of(), 0);
        assertThrows(IllegalArgumentException.class, () -> Summary.of(run));
    }

    @Test
    void nearestRank_hundredValues_isTheRankedValue() {
        List<Long> sorted = java.util.stream.LongStream.rangeClosed(1, 100).boxed().toList();
        assertEquals(OptionalLong.of(50), Summary.nearestRank(sorted, 0.5));
        assertEquals(OptionalLong.of(99), Summary.nearestRank(sorted, 0.99));
        assertEquals(OptionalLong.of(100), Summary.nearestRank(sorted, 1.0));
        assertEquals(OptionalLong.of(1), Summary.nearestRank(sorted, 0.001));
    }

    @Test
    void nearestRank_fewValues_p99IsTheMaximum() {
        assertEquals(OptionalLong.of(30), Summary.nearestRank(List.of(10L, 20L, 30L), 0.99));
        assertEquals(OptionalLong.of(20), Summary.nearestRank(List.of(10L, 20L, 30L), 0.5));
    }

    @Test
    void nearestRank_badQuantile_throws() {
        assertThrows(IllegalArgumentException.class, () -> Summary.nearestRank(List.of(1L), 0));
        assertThrows(IllegalArgumentException.class, () -> Summary.nearestRank(List.of(1L), 1.5));
    }

    @Test
    void of_studyFixture_oneSummaryPerStrategyInOrder() {
        List<Summary> all = Summary.of(StudyFixture.result());
        assertEquals(List.of("punch-pwrite", "punch-falloc", "fiemap-blkzeroout", "unmount-clear", "zeroinit",
                "recovery-write"), all.stream().map(Summary::strategy).toList());
        Summary punch = all.get(0);
        assertEquals(12, punch.events());
        assertEquals(40, punch.cleanBlocksConsumed(), "every relocated block came from the clean free pool");
        assertEquals(41, punch.poisonLeft(), "40 relocated blocks plus the journal block");
        Summary zeroinit = all.get(4);
        assertEquals(1, zeroinit.physicalRuns());
        assertEquals(1.0, zeroinit.pmdMappableFraction());
        assertEquals(0, zeroinit.cleanBlocksConsumed());
        assertEquals("ENOSPC", all.get(1).failure());
        assertEquals(7, all.get(1).events());
    }
}
