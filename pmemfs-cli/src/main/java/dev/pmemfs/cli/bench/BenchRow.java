package dev.pmemfs.cli.bench;

import java.io.PrintWriter;
import java.util.List;

/**
 * One line of a benchmark table: a measured figure and its spread over the repetitions, the baseline
 * it is compared with (measured in the same run, beside each repetition), and the spread of their
 * per-repetition ratio. {@code higherIsBetter} says which way the ratio should go.
 */
record BenchRow(String suite, String measure, Spread value, String unit, String baseline, Spread ratio,
                boolean higherIsBetter) {

    static void print(PrintWriter out, List<BenchRow> rows) {
        out.println("figures: median [min, max] over the repetitions; ratio: each repetition against the baseline"
                + " measured beside it (x: lower is better)");
        String format = "%-9s %-50s %-32s %-8s %-46s %s%n";
        out.printf(format, "suite", "measure", "value", "unit", "baseline (same run)", "ratio");
        for (BenchRow r : rows) {
            out.printf(format, r.suite, r.measure, r.value.text(figureFormat(r.value.median())), r.unit, r.baseline,
                    r.ratio == null ? "-" : r.ratio.text("%.2f") + (r.higherIsBetter ? "" : "x"));
        }
        out.flush();
    }

    /** Thousands grouped for large figures, two decimals for small ones. */
    static String figureFormat(double v) {
        return Math.abs(v) >= 100 ? "%,.0f" : "%.2f";
    }
}
