package dev.pmemfs.study;

import java.util.List;
import java.util.Objects;

/**
 * What a study runs: the workload, the namespace size, the number of poison events, the seed, and the
 * strategy/profile pairings (one run each, in order).
 */
public record StudyConfig(Workload workload, long sizeBytes, int errors, long seed, List<Pairing> pairings) {
    /** Smallest namespace that holds a filesystem with room for a workload. */
    public static final long MIN_SIZE = 16L << 20;
    /** Largest namespace the study creates (an image file of that size goes in the temporary directory). */
    public static final long MAX_SIZE = 8L << 30;
    public static final int MAX_ERRORS = 10_000;

    public StudyConfig {
        Objects.requireNonNull(workload, "workload");
        pairings = List.copyOf(pairings);
        if (sizeBytes < MIN_SIZE || sizeBytes > MAX_SIZE || sizeBytes % (2L << 20) != 0) {
            throw new IllegalArgumentException("size " + sizeBytes + " must be a multiple of 2 MiB between "
                    + new HumanBytes(MIN_SIZE) + " and " + new HumanBytes(MAX_SIZE));
        }
        if (errors < 0 || errors > MAX_ERRORS) {
            throw new IllegalArgumentException("errors " + errors + " must be between 0 and " + MAX_ERRORS);
        }
        if (pairings.isEmpty()) {
            throw new IllegalArgumentException("no strategies to run");
        }
    }
}
