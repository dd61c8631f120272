package dev.pmemfs.cli.bench;

import java.io.PrintWriter;
import java.util.List;

/**
 * One line of a benchmark table: a measured figure, the baseline it is compared with (measured in the
 * same run), and their ratio. {@code higherIsBetter} says which way the ratio should go.
 */
record BenchRow(String suite, String measure, double value, String unit, String baseline, double ratio,
                boolean higherIsBetter) {

    static void print(PrintWriter out, List<BenchRow> rows) {
        out.printf("%-9s %-50s %12s %-8s %-46s %7s%n", "suite", "measure", "value", "unit", "baseline (same run)", "ratio");
        for (BenchRow r : rows) {
            out.printf("%-9s %-50s %12s %-8s %-46s %7s%n", r.suite, r.measure, figure(r.value), r.unit, r.baseline,
                    Double.isNaN(r.ratio) ? "-" : String.format("%.2f", r.ratio) + (r.higherIsBetter ? "" : "x"));
        }
        out.flush();
    }

    private static String figure(double v) {
        if (v >= 100) {
            return String.format("%,.0f", v);
        }
        return String.format("%.2f", v);
    }
}
