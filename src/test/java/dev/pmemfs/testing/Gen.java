package dev.pmemfs.testing;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Our seeded generator for property tests (instead of jqwik, whose licence forbids use by AI
 * agents). A run is reproducible from its seed, and every failure message names the seed:
 * re-run one case with {@code -Dpmemfs.seed=N}.
 */
public final class Gen {
    private final long seed;
    private final SplittableRandom random;

    public Gen(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    public long seed() {
        return seed;
    }

    /** Uniform in {@code [lo, hi]}. */
    public long between(long lo, long hi) {
        if (lo > hi) {
            throw new IllegalArgumentException(lo + " > " + hi);
        }
        return hi == Long.MAX_VALUE && lo == Long.MIN_VALUE ? random.nextLong() : lo + random.nextLong(hi - lo + 1);
    }

    public int intBetween(int lo, int hi) {
        return (int) between(lo, hi);
    }

    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    public <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    @SafeVarargs
    public final <T> T oneOf(T... items) {
        return items[random.nextInt(items.length)];
    }

    public byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }

    /**
     * Runs {@code property} for {@code cases} seeds derived from a base seed (the system property
     * {@code pmemfs.seed} pins a single case). A failing case is rethrown with its seed in the message.
     */
    public static void forAll(String name, int cases, Consumer<Gen> property) {
        String pinned = System.getProperty("pmemfs.seed");
        if (pinned != null) {
            runCase(name, Long.parseLong(pinned), property);
            return;
        }
        long base = name.hashCode() * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < cases; i++) {
            runCase(name, base + i, property);
        }
    }

    private static void runCase(String name, long seed, Consumer<Gen> property) {
        try {
            property.accept(new Gen(seed));
        } catch (AssertionError | RuntimeException e) {
            AssertionError failure = new AssertionError(
                    name + " failed for seed " + seed + " (re-run with -Dpmemfs.seed=" + seed + "): " + e.getMessage(), e);
            throw failure;
        }
    }
}
