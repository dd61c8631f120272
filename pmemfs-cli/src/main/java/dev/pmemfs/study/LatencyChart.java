package dev.pmemfs.study;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The distribution of recovery latency per strategy as horizontal box plots on a log time axis (the
 * strategies differ by orders of magnitude: an in-place clear takes microseconds, an unmount-and-clear
 * takes the time of a remount): the box spans the quartiles, the thick bar is the median, whiskers reach
 * the fastest and slowest recovery, a diamond marks the 99th percentile and each dot is one recovery.
 * Quantiles are nearest-rank, as in the summary table.
 */
final class LatencyChart {
    static final double WIDTH = 1000;
    private static final double LEFT = 215; // room for "zero-range @ rfc-zero-range"
    private static final double RIGHT = WIDTH - 190;
    private static final double TOP = 14;
    private static final double ROW = 38;
    private static final double AXIS_SPACE = 48;
    private static final String[] UNITS = {"ns", "µs", "ms", "s"};
    private static final int MAX_DOTS = 400;

    /** One strategy's latencies (any order) and how it is drawn. */
    record Row(String name, Palette palette, List<Long> nanos) {}

    private LatencyChart() {}

    static String render(String title, List<Row> rows) {
        long lo = Long.MAX_VALUE;
        long hi = 1;
        for (Row r : rows) {
            for (long v : r.nanos()) {
                lo = Math.min(lo, Math.max(1, v));
                hi = Math.max(hi, Math.max(1, v));
            }
        }
        if (lo == Long.MAX_VALUE) {
            lo = 1_000;
            hi = 1_000_000;
        }
        int loDecade = (int) Math.floor(Math.log10(lo));
        int hiDecade = Math.max(loDecade + 1, (int) Math.ceil(Math.log10(hi)));
        double plotBottom = TOP + rows.size() * ROW;
        double height = plotBottom + AXIS_SPACE;
        Svg svg = new Svg(WIDTH, height, title, "chart latency-chart");

        for (int d = loDecade; d <= hiDecade; d++) {
            double px = xOf(Math.pow(10, d), loDecade, hiDecade);
            svg.line(px, TOP, px, plotBottom, "class=\"grid\"");
            svg.line(px, plotBottom, px, plotBottom + 5, "class=\"axis\"");
            svg.text(px, plotBottom + 19, decadeLabel(d), "class=\"tick\" text-anchor=\"middle\"");
            for (int m = 2; d < hiDecade && m <= 9; m++) {
                double mx = xOf(m * Math.pow(10, d), loDecade, hiDecade);
                svg.line(mx, TOP, mx, plotBottom, "class=\"grid minor\"");
            }
        }
        svg.line(LEFT, plotBottom, RIGHT, plotBottom, "class=\"axis\"");
        svg.text((LEFT + RIGHT) / 2, height - 8, "recovery latency per poison event (log scale)",
                "class=\"axis-label\" text-anchor=\"middle\"");

        for (int i = 0; i < rows.size(); i++) {
            drawRow(svg, rows.get(i), TOP + i * ROW + ROW / 2, loDecade, hiDecade);
        }
        return svg.close();
    }

    private static void drawRow(Svg svg, Row row, double cy, int loDecade, int hiDecade) {
        String colour = row.palette().colour();
        svg.group("class=\"series\" data-strategy=\"" + Svg.escape(row.name()) + "\"");
        svg.text(LEFT - 10, cy + 4, row.name(), "class=\"row-label\" text-anchor=\"end\"");
        List<Long> sorted = new ArrayList<>(row.nanos());
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            svg.text(LEFT + 8, cy + 4, "no recoveries", "class=\"note\"");
            svg.end();
            return;
        }
        long min = sorted.getFirst();
        long max = sorted.getLast();
        long q1 = Summary.nearestRank(sorted, 0.25).orElseThrow();
        long median = Summary.nearestRank(sorted, 0.50).orElseThrow();
        long q3 = Summary.nearestRank(sorted, 0.75).orElseThrow();
        long p99 = Summary.nearestRank(sorted, 0.99).orElseThrow();
        double half = 10;
        svg.line(xOf(min, loDecade, hiDecade), cy, xOf(max, loDecade, hiDecade), cy,
                "stroke=\"" + colour + "\" stroke-width=\"1.5\"");
        for (long v : new long[] {min, max}) {
            double px = xOf(v, loDecade, hiDecade);
            svg.line(px, cy - half / 2, px, cy + half / 2, "stroke=\"" + colour + "\" stroke-width=\"1.5\"");
        }
        double x1 = xOf(q1, loDecade, hiDecade);
        double x3 = xOf(q3, loDecade, hiDecade);
        svg.rect(x1, cy - half, Math.max(x3 - x1, 1.5), 2 * half,
                "fill=\"" + colour + "\" fill-opacity=\"0.22\" stroke=\"" + colour + "\" stroke-width=\"1.5\" rx=\"2\"",
                row.name() + ": quartiles " + new Nanos(q1) + " to " + new Nanos(q3));
        // Past MAX_DOTS recoveries, draw evenly spaced ranks of the sorted latencies: the same shape
        // without a page of tens of thousands of circles.
        int dots = Math.min(sorted.size(), MAX_DOTS);
        for (int i = 0; i < dots; i++) {
            long v = dots == sorted.size() ? row.nanos().get(i)
                    : sorted.get((int) ((long) i * (sorted.size() - 1) / (dots - 1)));
            // A fixed spread instead of random jitter: the same input draws the same picture.
            double dy = ((i * 7L) % 9 - 4) * 1.9;
            svg.circle(xOf(v, loDecade, hiDecade), cy + dy, 2.1, "fill=\"" + colour + "\" fill-opacity=\"0.55\"", null);
        }
        double mx = xOf(median, loDecade, hiDecade);
        svg.line(mx, cy - half - 2, mx, cy + half + 2, "stroke=\"#222\" stroke-width=\"2.6\"");
        double px = xOf(p99, loDecade, hiDecade);
        svg.path("M" + Svg.num(px) + " " + Svg.num(cy - half - 7) + "l5 5l-5 5l-5 -5Z",
                "fill=\"#222\"", row.name() + ": p99 " + new Nanos(p99));
        svg.text(RIGHT + 14, cy + 4, "p50 " + new Nanos(median) + "  ·  p99 " + new Nanos(p99),
                "class=\"row-note\"");
        svg.end();
    }

    private static double xOf(double nanos, int loDecade, int hiDecade) {
        double l = Math.log10(Math.max(1, nanos));
        return LEFT + (l - loDecade) / (hiDecade - loDecade) * (RIGHT - LEFT);
    }

    /** "1 ns", "10 µs", "100 ms", "1 s", "100 s". */
    static String decadeLabel(int decade) {
        int unit = Math.min(decade / 3, UNITS.length - 1);
        long value = 1;
        for (int i = 0; i < decade - 3 * unit; i++) {
            value *= 10;
        }
        return value + " " + UNITS[unit];
    }
}
