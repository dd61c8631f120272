package dev.pmemfs.study;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One strategy's headline figures, taken from its {@link StrategyRun}: the layout and device state at
 * the end of the run, what the run cost, and how fast recovery was. The study's tables (CSV, Markdown,
 * HTML) are made of these.
 *
 * @param strategy            strategy name as {@code pmemfs recover} takes it
 * @param privilege           what the strategy needs
 * @param profile             the mount profile the run used ("" when not recorded)
 * @param events              poison events handled (the last step's event number)
 * @param extents             extents at the end
 * @param physicalRuns        physical runs at the end
 * @param pmdMappableFraction PMD-mappable fraction at the end (see {@link FilePlacement})
 * @param rdmaSges            RDMA scatter-gather entries at the end
 * @param cleanBlocksConsumed clean free blocks at the first step minus at the last (negative if the run
 *                            ended with more clean blocks than it started with)
 * @param poisonLeft          4 KiB blocks still poisoned at the end
 * @param bytesDestroyed      good bytes destroyed over the whole run
 * @param bytesLost           poisoned bytes that read back wrong after their recovery, over the whole run
 * @param metadataDamaged     metadata errors fsck reports at the end
 * @param metadataUnflagged   damaged metadata blocks with no poison record left to flag them, at the end
 * @param latencyMedianNanos  median recovery latency, nearest rank; empty when nothing was recovered
 * @param latencyP99Nanos     99th-percentile recovery latency, nearest rank; empty when nothing was recovered
 * @param failure             null when the run went on to the end; else why it stopped (e.g. ENOSPC)
 * @param unreadableAfterRemount files unreadable after a final unmount and mount; -1: it did not mount
 */
record Summary(String strategy, String privilege, String profile, int events, long extents, long physicalRuns,
               double pmdMappableFraction, long rdmaSges, long cleanBlocksConsumed, long poisonLeft,
               long bytesDestroyed, long bytesLost, long metadataDamaged, long metadataUnflagged, OptionalLong latencyMedianNanos,
               OptionalLong latencyP99Nanos, String failure, long unreadableAfterRemount) {

    Summary {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(privilege, "privilege");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(latencyMedianNanos, "latencyMedianNanos");
        Objects.requireNonNull(latencyP99Nanos, "latencyP99Nanos");
    }

    /** The summary of {@code run}, which must have at least one step (the state before any poison). */
    static Summary of(StrategyRun run) {
        Objects.requireNonNull(run, "run");
        List<StepMetrics> steps = run.steps();
        if (steps == null || steps.isEmpty()) {
            throw new IllegalArgumentException("strategy " + run.strategy() + " has no steps");
        }
        StepMetrics first = steps.get(0);
        StepMetrics last = run.last();
        // The run stops at its first failure, but look for it anywhere so a later step cannot hide it.
        String failure = null;
        for (StepMetrics s : steps) {
            if (s.failure() != null) {
                failure = s.failure();
                break;
            }
        }
        List<Long> sorted = new ArrayList<>(run.latenciesNanos() == null ? List.of() : run.latenciesNanos());
        Collections.sort(sorted);
        return new Summary(run.strategy(), run.privilege(), run.profile() == null ? "" : run.profile(), last.event(), last.extents(), last.physicalRuns(),
                last.pmdMappableFraction(), last.rdmaSges(), first.cleanFreeBlocks() - last.cleanFreeBlocks(),
                last.poisonedBlocks(), last.goodBytesDestroyed(), last.bytesLost(), last.metadataDamaged(), last.metadataUnflagged(),
                nearestRank(sorted, 0.50), nearestRank(sorted, 0.99), failure,
                run.unreadableAfterRemount());
    }

    /** The summaries of every run of {@code result}, in the result's order. */
    static List<Summary> of(StudyResult result) {
        return result.runs().stream().map(Summary::of).toList();
    }

    /** True when the run went on to the end (no ENOSPC or other stop). */
    boolean wentOn() {
        return failure == null;
    }

    /**
     * The nearest-rank {@code p}-quantile of {@code sorted} (ascending): the smallest value with at
     * least {@code p * n} values at or below it, i.e. element {@code ceil(p * n) - 1} (at least the first).
     * It is always an observed value, never an interpolation, so the median of an even count is the
     * lower middle value. Empty for an empty list.
     */
    static OptionalLong nearestRank(List<Long> sorted, double p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("quantile " + p + " is not in (0, 1]");
        }
        if (sorted.isEmpty()) {
            return OptionalLong.empty();
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return OptionalLong.of(sorted.get(Math.max(rank, 1) - 1));
    }
}
