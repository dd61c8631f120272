package dev.pmemfs.study;

import java.util.List;

/**
 * Everything a study run produced: its parameters and each strategy's run. The same seed gives the
 * same numbers, latencies aside.
 */
public record StudyResult(String workload, long sizeBytes, int errors, long seed, List<StrategyRun> runs) {}
