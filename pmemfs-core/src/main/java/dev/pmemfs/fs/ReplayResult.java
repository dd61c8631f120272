package dev.pmemfs.fs;

/**
 * What journal replay at mount found: nothing to do, some committed transactions replayed, or a torn
 * (partly written, never committed) record where replay stopped. Positions are journal block indices.
 */
public sealed interface ReplayResult {
    record Clean() implements ReplayResult {}

    /** {@code count} transactions written in place; the log ended cleanly at block {@code end}. */
    record Replayed(int count, long end) implements ReplayResult {}

    /** Replay stopped at journal block {@code at}: a record that was never committed, or unreadable. */
    record Torn(long at, int replayed, String why) implements ReplayResult {}
}
