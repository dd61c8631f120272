package dev.pmemfs.study;

import java.util.ArrayList;
import java.util.List;

/**
 * A linear axis range with "nice" tick steps (1, 2 or 5 times a power of ten) that covers the data,
 * as chart libraries choose them.
 *
 * @param min  lowest value on the axis (a multiple of step)
 * @param max  highest value on the axis (a multiple of step)
 * @param step distance between ticks
 */
record NiceScale(double min, double max, double step) {
    /** A scale covering {@code [lo, hi]} with about {@code maxTicks} ticks or fewer; a flat range is widened. */
    static NiceScale covering(double lo, double hi, int maxTicks) {
        if (lo > hi || Double.isNaN(lo) || Double.isNaN(hi) || maxTicks < 2) {
            throw new IllegalArgumentException("bad range [" + lo + ", " + hi + "] or tick count " + maxTicks);
        }
        if (lo == hi) {
            // A constant series still gets an axis around it: from zero, or one unit either side.
            hi = lo + Math.max(1, Math.abs(lo) * 0.1);
            lo = lo >= 0 && lo <= 1 ? 0 : lo - Math.max(1, Math.abs(lo) * 0.1);
        }
        double step = niceStep((hi - lo) / (maxTicks - 1));
        double min = Math.floor(lo / step) * step;
        double max = Math.ceil(hi / step) * step;
        return new NiceScale(min, max, step);
    }

    private static double niceStep(double rough) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double fraction = rough / magnitude;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    /** The tick values from min to max. */
    List<Double> ticks() {
        List<Double> ticks = new ArrayList<>();
        long n = Math.round((max - min) / step);
        for (long i = 0; i <= n; i++) {
            ticks.add(min + i * step);
        }
        return ticks;
    }

    /** Maps {@code v} in [min, max] to [from, to] (from may exceed to, as for a y axis). */
    double map(double v, double from, double to) {
        return from + (v - min) / (max - min) * (to - from);
    }
}
