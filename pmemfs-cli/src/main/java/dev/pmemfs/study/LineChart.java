package dev.pmemfs.study;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * A line chart of one figure against poison events, one line per strategy, drawn as inline SVG:
 * axes with nice ticks and grid lines, a marker per step, and the strategy names at the right end of
 * their lines. Lines that end on the same point share one stacked label, so strategies whose lines
 * coincide are still all named; a run that stopped early ends in a cross with its reason.
 */
final class LineChart {
    static final double WIDTH = 640;
    static final double HEIGHT = 340;
    private static final double LEFT = 66;
    private static final double RIGHT = WIDTH - 176; // end labels up to "zero-range @ rfc-zero-range"
    private static final double TOP = 16;
    private static final double BOTTOM = HEIGHT - 44;
    private static final double LABEL_LINE = 14;
    private static final double LABEL_GAP = 4;
    /** Above this many steps the per-step markers would blur into the line, so only lines are drawn. */
    private static final int MAX_MARKED_POINTS = 60;

    /** One strategy's line: {@code ys[i]} at event {@code xs[i]}; {@code failure} (or null) ends it. */
    record Series(String name, Palette palette, double[] xs, double[] ys, String failure) {
        Series {
            if (xs.length != ys.length || xs.length == 0) {
                throw new IllegalArgumentException(name + ": " + xs.length + " x values, " + ys.length + " y values");
            }
        }
    }

    private LineChart() {}

    /**
     * The chart as an {@code <svg>} element. {@code includeZero} starts the y axis at zero (for counts
     * where the distance from zero matters); otherwise the axis hugs the data so small changes show.
     */
    static String render(String title, String xLabel, String yLabel, List<Series> series, boolean includeZero,
                         DoubleFunction<String> yFormat) {
        double xMax = 1;
        double yLo = Double.POSITIVE_INFINITY;
        double yHi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.xs().length; i++) {
                xMax = Math.max(xMax, s.xs()[i]);
                yLo = Math.min(yLo, s.ys()[i]);
                yHi = Math.max(yHi, s.ys()[i]);
            }
        }
        if (series.isEmpty()) {
            yLo = 0;
            yHi = 1;
        }
        if (includeZero) {
            yLo = Math.min(0, yLo);
        }
        NiceScale x = NiceScale.covering(0, xMax, 11);
        NiceScale y = NiceScale.covering(yLo, yHi, 7);
        // Event numbers are whole: never tick between them.
        if (x.step() < 1) {
            x = new NiceScale(0, Math.max(1, Math.ceil(xMax)), 1);
        }

        Svg svg = new Svg(WIDTH, HEIGHT, title, "chart line-chart");
        drawAxes(svg, x, y, xLabel, yLabel, yFormat);
        svg.group("class=\"lines\"");
        for (Series s : series) {
            drawSeries(svg, s, x, y, yFormat);
        }
        svg.end();
        drawEndLabels(svg, series, x, y);
        return svg.close();
    }

    private static void drawAxes(Svg svg, NiceScale x, NiceScale y, String xLabel, String yLabel,
                                 DoubleFunction<String> yFormat) {
        for (double t : y.ticks()) {
            double py = y.map(t, BOTTOM, TOP);
            svg.line(LEFT, py, RIGHT, py, "class=\"grid\"");
            svg.text(LEFT - 6, py + 4, yFormat.apply(t), "class=\"tick\" text-anchor=\"end\"");
        }
        for (double t : x.ticks()) {
            double px = x.map(t, LEFT, RIGHT);
            svg.line(px, BOTTOM, px, BOTTOM + 4, "class=\"axis\"");
            svg.text(px, BOTTOM + 17, Svg.num(t), "class=\"tick\" text-anchor=\"middle\"");
        }
        svg.line(LEFT, BOTTOM, RIGHT, BOTTOM, "class=\"axis\"");
        svg.line(LEFT, TOP, LEFT, BOTTOM, "class=\"axis\"");
        svg.text((LEFT + RIGHT) / 2, HEIGHT - 8, xLabel, "class=\"axis-label\" text-anchor=\"middle\"");
        svg.text(14, (TOP + BOTTOM) / 2, yLabel, "class=\"axis-label\" text-anchor=\"middle\" transform=\"rotate(-90 14 "
                + Svg.num((TOP + BOTTOM) / 2) + ")\"");
    }

    private static void drawSeries(Svg svg, Series s, NiceScale x, NiceScale y, DoubleFunction<String> yFormat) {
        Palette p = s.palette();
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < s.xs().length; i++) {
            d.append(i == 0 ? 'M' : 'L').append(Svg.num(x.map(s.xs()[i], LEFT, RIGHT))).append(' ')
                    .append(Svg.num(y.map(s.ys()[i], BOTTOM, TOP)));
        }
        String dash = p.dash().isEmpty() ? "" : " stroke-dasharray=\"" + p.dash() + "\"";
        svg.group("class=\"series\" data-strategy=\"" + Svg.escape(s.name()) + "\"");
        svg.path(d.toString(), "fill=\"none\" stroke=\"" + p.colour() + "\" stroke-width=\"2.2\"" + dash
                + " stroke-linejoin=\"round\"", s.name());
        int n = s.xs().length;
        if (n <= MAX_MARKED_POINTS) {
            for (int i = 0; i < n; i++) {
                double px = x.map(s.xs()[i], LEFT, RIGHT);
                double py = y.map(s.ys()[i], BOTTOM, TOP);
                svg.path(p.markerPath(px, py, 3.2), "fill=\"" + p.colour() + "\" stroke=\"#fff\" stroke-width=\"0.8\"",
                        s.name() + ", event " + Svg.num(s.xs()[i]) + ": " + yFormat.apply(s.ys()[i]));
            }
        }
        if (s.failure() != null) {
            double px = x.map(s.xs()[n - 1], LEFT, RIGHT);
            double py = y.map(s.ys()[n - 1], BOTTOM, TOP);
            svg.path("M" + Svg.num(px - 6) + " " + Svg.num(py - 6) + "L" + Svg.num(px + 6) + " " + Svg.num(py + 6)
                    + "M" + Svg.num(px - 6) + " " + Svg.num(py + 6) + "L" + Svg.num(px + 6) + " " + Svg.num(py - 6),
                    "stroke=\"" + p.colour() + "\" stroke-width=\"3\"", s.name() + " stopped: " + s.failure());
            svg.text(px, py - 10, s.failure(), "class=\"failure\" text-anchor=\"middle\" fill=\"" + p.colour() + "\"");
        }
        svg.end();
    }

    /** A stack of names at the right margin for lines ending on the same point. */
    private record Label(double anchorX, double anchorY, List<Series> members) {
        double height() {
            return members.size() * LABEL_LINE;
        }
    }

    private static void drawEndLabels(Svg svg, List<Series> series, NiceScale x, NiceScale y) {
        Map<String, List<Series>> byEnd = new LinkedHashMap<>();
        Map<String, double[]> anchor = new LinkedHashMap<>();
        for (Series s : series) {
            int last = s.xs().length - 1;
            double px = x.map(s.xs()[last], LEFT, RIGHT);
            double py = y.map(s.ys()[last], BOTTOM, TOP);
            String key = Svg.num(px) + "," + Svg.num(py);
            byEnd.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
            anchor.putIfAbsent(key, new double[] {px, py});
        }
        List<Label> labels = new ArrayList<>();
        byEnd.forEach((k, members) -> labels.add(new Label(anchor.get(k)[0], anchor.get(k)[1], members)));
        labels.sort(Comparator.comparingDouble(Label::anchorY));

        // Place each stack centred on its line end, then push stacks apart top-down and pull them back
        // up from the bottom edge, so no two overlap and none leaves the plot.
        double[] tops = new double[labels.size()];
        double floor = 2;
        for (int i = 0; i < labels.size(); i++) {
            Label l = labels.get(i);
            tops[i] = Math.max(l.anchorY() - l.height() / 2, floor);
            floor = tops[i] + l.height() + LABEL_GAP;
        }
        double limit = HEIGHT - 4;
        for (int i = labels.size() - 1; i >= 0; i--) {
            double bottom = tops[i] + labels.get(i).height();
            if (bottom > limit) {
                tops[i] = Math.max(2, tops[i] - (bottom - limit));
            }
            limit = tops[i] - LABEL_GAP;
        }
        for (int i = 0; i < labels.size(); i++) {
            Label l = labels.get(i);
            double textX = RIGHT + 14;
            double mid = tops[i] + l.height() / 2;
            svg.line(l.anchorX() + 4, l.anchorY(), textX - 3, mid, "class=\"leader\"");
            for (int j = 0; j < l.members().size(); j++) {
                Series s = l.members().get(j);
                svg.text(textX, tops[i] + (j + 1) * LABEL_LINE - 3, s.name(),
                        "class=\"end-label\" fill=\"" + s.palette().colour() + "\"");
            }
        }
    }
}
