package dev.pmemfs.study;

import java.util.Locale;

/** A duration in nanoseconds, printed for people: three significant digits and a unit (ns, µs, ms, s). */
record Nanos(long value) {
    @Override
    public String toString() {
        if (value < 1_000) {
            return value + " ns";
        }
        if (value < 1_000_000) {
            return scaled(value / 1e3, "µs");
        }
        if (value < 1_000_000_000) {
            return scaled(value / 1e6, "ms");
        }
        return scaled(value / 1e9, "s");
    }

    private static String scaled(double v, String unit) {
        // Three significant digits; the unit switch above keeps v in [1, 1000).
        String digits = v < 10 ? String.format(Locale.ROOT, "%.2f", v)
                : v < 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.0f", v);
        return digits + " " + unit;
    }
}
