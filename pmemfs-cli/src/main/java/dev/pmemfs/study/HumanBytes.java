package dev.pmemfs.study;

import java.util.Locale;

/** A byte count printed for people in binary units: {@code 0 B}, {@code 512 B}, {@code 4 KiB}, {@code 1.5 MiB}. */
record HumanBytes(long value) {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    @Override
    public String toString() {
        long abs = Math.abs(value);
        int unit = 0;
        while (unit < UNITS.length - 1 && abs >= 1L << (10 * (unit + 1))) {
            unit++;
        }
        if (unit == 0) {
            return value + " B";
        }
        double v = (double) value / (1L << (10 * unit));
        if (Math.abs(v) >= 1023.5 && unit < UNITS.length - 1) {
            unit++; // would print as "1024 KiB"
            v /= 1024;
        }
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f %s", v, UNITS[unit]);
        }
        return String.format(Locale.ROOT, Math.abs(v) < 9.995 ? "%.2f %s" : Math.abs(v) < 99.95 ? "%.1f %s" : "%.0f %s",
                v, UNITS[unit]);
    }
}
