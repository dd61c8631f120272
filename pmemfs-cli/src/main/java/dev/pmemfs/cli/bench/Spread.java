package dev.pmemfs.cli.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * A figure measured several times: the smallest, the median (nearest rank, the upper one of an even
 * count) and the largest of the repetitions, and how many there were. Benchmarks print every figure
 * with its spread, so a reader sees how much a shared machine moved it.
 */
record Spread(double min, double median, double max, int n) {
    Spread {
        if (n < 1 || !(min <= median && median <= max)) {
            throw new IllegalArgumentException("not a spread: " + min + " / " + median + " / " + max + " of " + n);
        }
    }

    /** The spread of {@code samples} (at least one). */
    static Spread of(double... samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] s = samples.clone();
        Arrays.sort(s);
        return new Spread(s[0], s[s.length / 2], s[s.length - 1], s.length);
    }

    /** The spread of {@code a[i] / b[i]}: each repetition against the baseline measured beside it. */
    static Spread ratios(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(a.length + " samples against " + b.length);
        }
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return of(r);
    }

    /** Every sample through {@code f}, which must be increasing (a unit change, a scale). */
    Spread map(DoubleUnaryOperator f) {
        return new Spread(f.applyAsDouble(min), f.applyAsDouble(median), f.applyAsDouble(max), n);
    }

    /** "median [min, max]", each number as {@code format} prints it, or the lone value when n = 1. */
    String text(String format) {
        String m = String.format(Locale.ROOT, format, median);
        if (n == 1) {
            return m;
        }
        return m + " [" + String.format(Locale.ROOT, format, min) + ", " + String.format(Locale.ROOT, format, max) + "]";
    }
}
