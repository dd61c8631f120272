package dev.pmemfs.testing;

import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Our seeded generator for property tests (instead of jqwik, whose licence forbids use by AI
 * agents). Each test run draws a new <em>master seed</em> and prints it once; every case's seed is
 * derived from the master, the property's name and the case's number, so each run tries new cases and
 * any run can be replayed exactly: {@code -Dpmemfs.seed=M} replays the run whose master was M (every
 * property, every case), and {@code -Dpmemfs.case=S} runs only the one case whose seed is S (what a
 * failure message names, together with the master).
 */
public final class Gen {
    /** System property: the master seed to replay. */
    public static final String MASTER_PROPERTY = "pmemfs.seed";
    /** System property: run only the case with this seed. */
    public static final String CASE_PROPERTY = "pmemfs.case";

    private static volatile Long master;

    private final long seed;
    /** Whether the seed came from the master seed (or a pinned case), which {@link #describe} then names. */
    private final boolean derived;
    private final SplittableRandom random;

    /** A generator with a fixed seed (the same cases every run: for tests of the test machinery). */
    public Gen(long seed) {
        this(seed, false);
    }

    private Gen(long seed, boolean derived) {
        this.seed = seed;
        this.derived = derived;
        this.random = new SplittableRandom(seed);
    }

    public long seed() {
        return seed;
    }

    /**
     * This run's master seed: {@code -Dpmemfs.seed} when given, else drawn from {@link SecureRandom} at
     * first use and printed on stdout with the option that replays it.
     */
    public static long masterSeed() {
        Long m = master;
        if (m == null) {
            synchronized (Gen.class) {
                m = master;
                if (m == null) {
                    String given = System.getProperty(MASTER_PROPERTY);
                    m = masterFrom(given);
                    master = m;
                    System.out.println("pmemfs property tests: master seed " + m + (given != null ? " (given)"
                            : " (replay this run with -D" + MASTER_PROPERTY + "=" + m + ")"));
                }
            }
        }
        return m;
    }

    /** The master seed {@code -Dpmemfs.seed} gives, or a new one when it is absent. */
    static long masterFrom(String given) {
        return given != null ? parse(MASTER_PROPERTY, given) : new SecureRandom().nextLong();
    }

    /** The seed of case {@code i} of property {@code name} under master seed {@code master}. */
    public static long caseSeed(long master, String name, int i) {
        // SplittableRandom's mix64 over the three inputs: nearby masters or case numbers give unrelated seeds.
        return mix64(mix64(master ^ mix64(name.hashCode() * 0x9E3779B97F4A7C15L)) + i * 0xBF58476D1CE4E5B9L);
    }

    /**
     * A generator for a test that draws one random case of its own (not through {@link #forAll}): its
     * seed is case 0 of {@code name} under the master seed, so it changes from run to run and replays
     * with the master. Put {@link #describe} in the test's failure messages.
     */
    public static Gen of(String name) {
        String pinned = System.getProperty(CASE_PROPERTY);
        return new Gen(pinned != null ? parse(CASE_PROPERTY, pinned) : caseSeed(masterSeed(), name, 0), true);
    }

    /**
     * "seed S (master M; replay with -Dpmemfs.seed=M, or this case alone with -Dpmemfs.case=S)" for a
     * derived generator, "seed S" for a fixed one.
     */
    public String describe() {
        if (!derived) {
            return "seed " + seed;
        }
        String pinned = System.getProperty(CASE_PROPERTY);
        if (pinned != null) {
            return "seed " + seed + " (pinned with -D" + CASE_PROPERTY + ")";
        }
        long m = masterSeed();
        return "seed " + seed + " (master " + m + "; replay with -D" + MASTER_PROPERTY + "=" + m
                + ", or this case alone with -D" + CASE_PROPERTY + "=" + seed + ")";
    }

    /** True when {@code -Dpmemfs.case} pins one case: a test's assertions over all its cases do not apply. */
    public static boolean onePinnedCase() {
        return System.getProperty(CASE_PROPERTY) != null;
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
     * Runs {@code property} for {@code cases} seeds derived from this run's master seed and {@code name}
     * ({@code -Dpmemfs.case} pins a single case). A failing case is rethrown with its seed, the master
     * and the options that replay either.
     */
    public static void forAll(String name, int cases, Consumer<Gen> property) {
        String pinned = System.getProperty(CASE_PROPERTY);
        if (pinned != null) {
            runCase(name, new Gen(parse(CASE_PROPERTY, pinned), true), property);
            return;
        }
        long m = masterSeed();
        for (int i = 0; i < cases; i++) {
            runCase(name, new Gen(caseSeed(m, name, i), true), property);
        }
    }

    private static void runCase(String name, Gen g, Consumer<Gen> property) {
        try {
            property.accept(g);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(name + " failed for " + g.describe() + ": " + e.getMessage(), e);
        }
    }

    private static long parse(String property, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + property + "=" + value + " is not a 64-bit decimal seed", e);
        }
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
