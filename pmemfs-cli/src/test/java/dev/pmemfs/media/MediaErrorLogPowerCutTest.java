package dev.pmemfs.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Gen;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power cuts during media-error-log updates: at every fence of a workload that forces several
 * compactions, the crash image (durable stores only, every issued store, or a random subset) must
 * open, and its poison and badblocks must be exactly the state after the last completed operation or
 * after the one in flight: the log is never lost, corrupted, or half-applied.
 */
class MediaErrorLogPowerCutTest {
    @TempDir
    Path dir;

    /** What the log holds: poison records and badblocks. */
    record State(List<PoisonRange> poison, List<BadRange> badblocks) {
        static State of(Namespace ns) {
            return new State(ns.poisonRecords(), ns.badblocks());
        }
    }

    private static final long SIZE = 256 << 10;

    @Test
    void crashImage_everyFenceOfARandomWorkload_opensToACompletedState() throws Exception {
        Gen.forAll("media-log-power-cut", 3, g -> {
            try {
                runWorkload(g);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    private void runWorkload(Gen g) throws Exception {
        TrackingPersistence tracking = new TrackingPersistence();
        Path image = dir.resolve("log-" + g.seed() + ".img");
        // One page per log area: 127 records, so the workload compacts several times.
        NamespaceConfig cfg = NamespaceConfig.of(SIZE, NamespaceMode.RAW).withErrorLogBytes(4096);
        List<State> states = new ArrayList<>();
        List<Integer> endFence = new ArrayList<>();
        try (Namespace ns = Namespace.create(image, cfg, tracking)) {
            states.add(State.of(ns));
            endFence.add(tracking.fenceCount());
            for (int op = 0; op < 300; op++) {
                long unit = ns.clearErrUnit();
                long off = g.between(0, SIZE / 8 / unit) * unit;
                long len = g.between(1, 4) * unit;
                switch (g.intBetween(0, 6)) {
                    case 0, 1, 6 -> ns.injectError(off, len, g.chance(0.5));
                    case 2 -> ns.firmwareClear(off, len);
                    case 3 -> ns.badblocksSet(off >>> 9, g.between(1, 8));
                    case 4 -> ns.badblocksClear(off >>> 9, g.between(1, 8));
                    default -> {
                        if (g.chance(0.3)) {
                            ns.scrub();
                        } else {
                            ns.uninjectError(off, len);
                        }
                    }
                }
                states.add(State.of(ns));
                endFence.add(tracking.fenceCount());
            }
            assertTrue(ns.logGeneration() >= 3, "the workload should compact the log at least twice, generation " + ns.logGeneration());
        }
        int fences = tracking.fenceCount();
        assertTrue(fences > 150, "the workload should fence often, fenced " + fences);
        SplittableRandom coin = new SplittableRandom(g.seed());
        // Cuts during create itself are out of scope: the namespace did not exist before it returned.
        for (int k = endFence.get(0); k <= fences; k++) {
            int done = 0;
            while (done + 1 < endFence.size() && endFence.get(done + 1) <= k) {
                done++;
            }
            State before = states.get(done);
            State after = states.get(Math.min(done + 1, states.size() - 1));
            for (int mode = 0; mode < 3; mode++) {
                java.util.function.IntPredicate keep = switch (mode) {
                    case 0 -> TrackingPersistence.DURABLE_ONLY;
                    case 1 -> TrackingPersistence.ALL_ISSUED;
                    default -> i -> coin.nextBoolean();
                };
                Path cut = dir.resolve("cut.img");
                tracking.crashImage(k, keep, cut);
                try (Namespace again = Namespace.open(cut)) {
                    State got = State.of(again);
                    assertTrue(got.equals(before) || got.equals(after),
                            "cut at fence " + k + " (mode " + mode + ", after op " + done + "): " + got
                                    + "\n  expected " + before + "\n  or " + after);
                }
            }
        }
        // The final durable image is the final state.
        Path last = dir.resolve("last.img");
        tracking.crashImage(fences, TrackingPersistence.DURABLE_ONLY, last);
        try (Namespace again = Namespace.open(last)) {
            assertEquals(states.get(states.size() - 1), State.of(again));
        }
    }
}
