package dev.pmemfs.study;

import java.util.List;

/**
 * One strategy's whole run on the workload.
 *
 * @param strategy   name as {@code pmemfs recover --strategy} takes it
 * @param privilege  what the strategy needs ("file write", "raw device (CAP_SYS_RAWIO)", "admin")
 * @param profile    the mount profile (kernel behaviour) the filesystem ran under, e.g. "linux-5.19"; one
 *                   strategy may run under several profiles (zero-range: Linux's and the RFC's)
 * @param steps      metrics before the first event (event 0) and after each event
 * @param before     device map before the first event
 * @param after      device map at the end
 * @param latenciesNanos every recovery's latency, in event order (for the distribution chart)
 * @param unreadableAfterRemount workload files that no longer stat or read after a clean unmount and mount at
 *                   the end of the run (the state an administrator meets at the next boot); -1 when the
 *                   filesystem does not mount
 */
public record StrategyRun(String strategy, String privilege, String profile, List<StepMetrics> steps, DeviceMap before,
                          DeviceMap after, List<Long> latenciesNanos, long unreadableAfterRemount) {
    /**
     * How charts name the run among {@code all}: the strategy name, with the profile added
     * ("zero-range @ rfc-zero-range") when another run of {@code all} has the same strategy name.
     */
    public String label(List<StrategyRun> all) {
        long same = all.stream().filter(r -> r.strategy().equals(strategy)).count();
        return same > 1 && profile != null && !profile.isEmpty() ? strategy + " @ " + profile : strategy;
    }

    public StepMetrics last() {
        return steps.get(steps.size() - 1);
    }
}
