package dev.pmemfs.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver on a small device (32 MiB, 12 events, rdma-buffer, every pairing), asserting the seed's
 * claims as the study finds them in the emulator.
 */
class StudyTest {
    private static final long SIZE = 32L << 20;
    private static final int ERRORS = 12;
    private static final long SEED = 1;

    @TempDir
    static Path tmp;

    private static StudyResult result;
    private static Map<String, StrategyRun> runs;

    static StudyResult run(StudyConfig config, Path dir) throws Exception {
        ProgressBar quiet = new ProgressBar(new PrintStream(OutputStream.nullOutputStream()), "t",
                Study.progressSteps(config), ProgressBar.Mode.QUIET);
        return Study.run(config, dir, quiet);
    }

    @BeforeAll
    static void runStudy() throws Exception {
        result = run(new StudyConfig(Workload.RDMA_BUFFER, SIZE, ERRORS, SEED, Pairing.defaults()), tmp);
        runs = result.runs().stream().collect(Collectors.toMap(r -> r.strategy() + "@" + r.profile(), Function.identity()));
    }

    private static StrategyRun run(String key) {
        return runs.get(key);
    }

    /** Poisoned blocks of the end map that lie in a file's blocks. */
    private static long poisonInFiles(DeviceMap m) {
        long n = 0;
        for (DeviceMap.BlockRun p : m.poison()) {
            for (long b = p.start(); b < p.start() + p.count(); b++) {
                for (DeviceMap.Run r : m.runs()) {
                    if (r.owner() == DeviceMap.Owner.FILE && b >= r.start() && b < r.start() + r.count()) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /** Poisoned blocks of the end map that nothing owns (free space). */
    private static long poisonInFreeSpace(DeviceMap m) {
        long n = 0;
        for (DeviceMap.BlockRun p : m.poison()) {
            for (long b = p.start(); b < p.start() + p.count(); b++) {
                long block = b;
                if (m.runs().stream().noneMatch(r -> block >= r.start() && block < r.start() + r.count())) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void study_everyPairing_runsToTheEndWithAStepPerEvent() {
        assertEquals(11, result.runs().size());
        assertEquals("rdma-buffer", result.workload());
        for (StrategyRun r : result.runs()) {
            assertEquals(ERRORS + 1, r.steps().size(), r.strategy());
            assertNull(r.last().failure(), r.strategy() + " stopped");
            assertEquals(r.steps().getFirst().physicalRuns(), 1, r.strategy() + ": the buffer starts as one run");
            assertEquals(1.0, r.steps().getFirst().pmdMappableFraction(), 1e-9, "the buffer starts 2 MiB-aligned");
        }
    }

    @Test
    void claim1_relocatingDesignsFragment_inPlaceDesignsKeepTheirRuns() {
        for (String mover : List.of("punch-pwrite@linux-5.19", "punch-falloc@linux-5.19", "zero-range@linux-5.19")) {
            StepMetrics last = run(mover).last();
            assertTrue(last.physicalRuns() > run("zeroinit@rfc-zeroinit").last().physicalRuns(), mover);
            assertTrue(last.rdmaSges() > 1, mover + " needs more scatter-gather entries");
            assertTrue(last.pmdMappableFraction() < 1.0, mover + " loses 2 MiB mappings");
        }
        for (String inPlace : List.of("zeroinit@rfc-zeroinit", "salvage@pmemfs", "recovery-write@linux-5.19", "fiemap-blkzeroout@linux-5.19",
                "zero-range@rfc-zero-range", "unmount-clear@linux-5.19", "unmount-clear@pmemfs,meta_replicas=2",
                "salvage@pmemfs,meta_replicas=2")) {
            StrategyRun r = run(inPlace);
            assertEquals(1, r.last().physicalRuns(), inPlace);
            assertEquals(1.0, r.last().pmdMappableFraction(), 1e-9, inPlace);
            assertEquals(1, r.last().rdmaSges(), inPlace);
        }
    }

    @Test
    void claim2_relocatingDesignsLeavePoisonInFreeSpace_inPlaceDesignsNoneInFiles() {
        long inPlaceFree = poisonInFreeSpace(run("zeroinit@rfc-zeroinit").after());
        for (String mover : List.of("punch-pwrite@linux-5.19", "punch-falloc@linux-5.19")) {
            StrategyRun r = run(mover);
            assertTrue(poisonInFreeSpace(r.after()) > inPlaceFree, mover);
            long consumed = r.steps().getFirst().cleanFreeBlocks() - r.last().cleanFreeBlocks();
            long zeroinitConsumed = run("zeroinit@rfc-zeroinit").steps().getFirst().cleanFreeBlocks()
                    - run("zeroinit@rfc-zeroinit").last().cleanFreeBlocks();
            assertTrue(consumed > zeroinitConsumed, mover + " consumed " + consumed + " clean blocks");
        }
        for (String inPlace : List.of("zeroinit@rfc-zeroinit", "salvage@pmemfs", "fiemap-blkzeroout@linux-5.19", "recovery-write@linux-5.19",
                "zero-range@rfc-zero-range")) {
            assertEquals(0, poisonInFiles(run(inPlace).after()), inPlace + " leaves poison in file data");
        }
    }

    @Test
    void claim3_unmountClearLeavesNoPoison_butMetadataGarbageOnlyChecksumsFind() {
        StrategyRun clear = run("unmount-clear@linux-5.19");
        assertEquals(0, clear.last().poisonedBlocks());
        assertTrue(clear.last().metadataDamaged() > 0, "fsck finds the cleared metadata blocks");
        assertTrue(clear.last().metadataUnflagged() > 0, "and no poison record flags them any more");
        for (StrategyRun r : result.runs()) {
            if (r.profile().contains("meta_replicas=2")) {
                // Self-healing metadata: after every event fsck finds nothing, and the run never stops.
                for (StepMetrics st : r.steps()) {
                    assertEquals(0, st.metadataDamaged(), r.strategy() + " @ " + r.profile() + " event " + st.event());
                    assertEquals(0, st.metadataUnflagged(), r.strategy() + " @ " + r.profile() + " event " + st.event());
                }
                assertNull(r.last().failure(), r.strategy() + " @ " + r.profile());
            } else if (r != clear) {
                assertEquals(0, r.last().metadataUnflagged(), r.strategy() + ": metadata damage stays flagged as poison");
                assertTrue(r.last().metadataDamaged() > 0, r.strategy());
            }
        }
    }

    @Test
    void goodBytes_blockGranularDesignsDestroyTheRestOfTheBlock_clearAndSalvageDestroyNone() {
        assertEquals(0, run("unmount-clear@linux-5.19").last().goodBytesDestroyed());
        assertEquals(0, run("salvage@pmemfs").last().goodBytesDestroyed(), "salvage keeps every readable sector");
        long zeroinit = run("zeroinit@rfc-zeroinit").last().goodBytesDestroyed();
        assertTrue(zeroinit > 0);
        assertEquals(0, zeroinit % 256, "whole clear units");
        for (StrategyRun r : result.runs()) {
            if (!r.strategy().equals("unmount-clear") && !r.strategy().equals("salvage")) {
                assertEquals(zeroinit, r.last().goodBytesDestroyed(), r.strategy());
            }
        }
    }

    @Test
    void bytesLost_salvageLosesOnlyThePoison_asMuchAsEveryInPlaceDesign_noDesignMore() {
        long salvage = run("salvage@pmemfs").last().bytesLost();
        long zeroinit = run("zeroinit@rfc-zeroinit").last().bytesLost();
        assertTrue(salvage > 0, "the poisoned sectors read as zeros after salvage");
        assertEquals(0, salvage % 256, "whole poison units");
        assertEquals(zeroinit, salvage, "every in-place design loses the poisoned bytes; salvage loses no more");
        for (StrategyRun r : result.runs()) {
            assertTrue(r.last().bytesLost() <= salvage, r.strategy() + " lost more than the poison took");
        }
    }

    @Test
    void latencies_oneOrMorePerEventThatHitAFile_privilegeRecorded() {
        for (StrategyRun r : result.runs()) {
            assertTrue(!r.latenciesNanos().isEmpty(), r.strategy());
            assertTrue(r.latenciesNanos().stream().allMatch(n -> n > 0), r.strategy());
        }
        assertEquals("raw device (CAP_SYS_RAWIO)", run("fiemap-blkzeroout@linux-5.19").privilege());
        assertEquals("admin (namespace offline)", run("unmount-clear@linux-5.19").privilege());
        assertEquals("file write", run("zeroinit@rfc-zeroinit").privilege());
    }

    @Test
    void run_sameSeed_sameNumbersLatenciesAside(@TempDir Path dir) throws Exception {
        StudyConfig c = new StudyConfig(Workload.DATABASE, 16L << 20, 10, 5, Pairing.parse("punch-pwrite,unmount-clear"));
        StudyResult a = run(c, dir);
        StudyResult b = run(c, dir);
        assertEquals(masked(a), masked(b));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "namespaces are deleted");
        }
    }

    @Test
    void run_smallFiles_goesOnAndCountsManyFiles(@TempDir Path dir) throws Exception {
        StudyResult r = run(new StudyConfig(Workload.SMALL_FILES, 16L << 20, 6, 3, Pairing.parse("punch-pwrite,zeroinit")), dir);
        for (StrategyRun run : r.runs()) {
            assertNull(run.last().failure(), run.strategy());
            assertTrue(run.last().extents() > 50, "many files: " + run.last().extents());
            assertEquals(0.0, run.last().pmdMappableFraction(), "small files never fill a 2 MiB page");
        }
    }

    /** The result with every latency set to zero. */
    private static StudyResult masked(StudyResult r) {
        return new StudyResult(r.workload(), r.sizeBytes(), r.errors(), r.seed(), r.runs().stream().map(run ->
                new StrategyRun(run.strategy(), run.privilege(), run.profile(), run.steps().stream().map(s ->
                        new StepMetrics(s.event(), s.extents(), s.physicalRuns(), s.pmdMappableFraction(), s.rdmaSges(),
                                s.cleanFreeBlocks(), s.poisonedBlocks(), s.goodBytesDestroyed(), s.bytesLost(), s.metadataDamaged(),
                                s.metadataUnflagged(), 0, s.failure(), s.hit())).toList(),
                        run.before(), run.after(), run.latenciesNanos().stream().map(n -> 0L).toList(),
                        run.unreadableAfterRemount())).toList());
    }
}
