package dev.pmemfs.testing;

import java.time.Instant;
import java.time.InstantSource;

/**
 * A settable clock for tests (jimfs's FakeFileTimeSource): time stands still until a test moves it, so
 * timestamps can be asserted exactly.
 */
public final class FakeClock implements InstantSource {
    private volatile Instant now;

    public FakeClock(Instant start) {
        this.now = start;
    }

    /** 2026-01-01T00:00:00Z plus one nanosecond, so nanoseconds are visible in every timestamp. */
    public FakeClock() {
        this(Instant.parse("2026-01-01T00:00:00.000000001Z"));
    }

    @Override
    public Instant instant() {
        return now;
    }

    public void set(Instant t) {
        now = t;
    }

    /** Moves the clock forward by {@code nanos}. */
    public void advance(long nanos) {
        now = now.plusNanos(nanos);
    }

    /** The current time in nanoseconds since the epoch (as timestamps are stored). */
    public long nanos() {
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
