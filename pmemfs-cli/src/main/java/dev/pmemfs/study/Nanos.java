package dev.pmemfs.study;

import java.util.Locale;

/** A duration in nanoseconds, printed for people: three significant digits and a unit (ns, µs, ms, s). */
record Nanos(long value) {
    @Override
    public String toString() {
        if (value < 1_000) {
            return value + " ns";
        }
        // Switch units where the rounded figure would reach 1000 (999 999 ns is "1.00 ms", not "1000 µs").
        if (value < 999_500) {
            return scaled(value / 1e3, "µs");
        }
        if (value < 999_500_000) {
            return scaled(value / 1e6, "ms");
        }
        return scaled(value / 1e9, "s");
    }

    private static String scaled(double v, String unit) {
        String format = v < 9.995 ? "%.2f %s" : v < 99.95 ? "%.1f %s" : "%.0f %s";
        return String.format(Locale.ROOT, format, v, unit);
    }
}
