package dev.pmemfs.study;

import java.util.List;

/**
 * One strategy's whole run on the workload.
 *
 * @param strategy   name as {@code pmemfs recover --strategy} takes it
 * @param privilege  what the strategy needs ("file write", "raw device (CAP_SYS_RAWIO)", "admin")
 * @param steps      metrics before the first event (event 0) and after each event
 * @param before     device map before the first event
 * @param after      device map at the end
 * @param latenciesNanos every recovery's latency, in event order (for the distribution chart)
 */
public record StrategyRun(String strategy, String privilege, List<StepMetrics> steps, DeviceMap before,
                          DeviceMap after, List<Long> latenciesNanos) {
    public StepMetrics last() {
        return steps.get(steps.size() - 1);
    }
}
