package dev.pmemfs.study;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a study run produced: its parameters and each strategy's run. The same seed gives the
 * same numbers, latencies aside.
 */
public record StudyResult(String workload, long sizeBytes, int errors, long seed, List<StrategyRun> runs) {
    /**
     * One line per run that stopped early: its label, the event and where that event's poison landed
     * with the error that stopped it ("unmount-clear: stopped at event 40: free space; stopped: ...").
     */
    public List<String> stops() {
        List<String> out = new ArrayList<>();
        for (StrategyRun r : runs) {
            StepMetrics last = r.steps().isEmpty() ? null : r.last();
            if (last != null && last.failure() != null) {
                out.add(r.label(runs) + " stopped at event " + last.event() + " with " + last.failure()
                        + (last.hit() == null ? "" : ": " + last.hit()));
            }
        }
        return out;
    }
}
