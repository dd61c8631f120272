package dev.pmemfs.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Gen;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The small pieces the charts are made of: escaping, coordinates, scales, palette, log ticks. */
class ChartPartsTest {
    @Test
    void escape_markupCharacters_escaped() {
        assertEquals("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;", Svg.escape("<script>alert(\"x\")</script> & '"));
    }

    @Test
    void num_coordinates_oneDecimalNoTrailingZero() {
        assertEquals("12", Svg.num(12.0));
        assertEquals("12.3", Svg.num(12.34));
        assertEquals("-0.5", Svg.num(-0.5));
        assertEquals("0", Svg.num(0.04));
    }

    @Test
    void svg_textAndTooltip_escaped() {
        String svg = new Svg(10, 10, "a<b", "c").text(1, 2, "x&y", null).rect(0, 0, 1, 1, null, "<t>").close();
        assertTrue(svg.contains("aria-label=\"a&lt;b\""), svg);
        assertTrue(svg.contains(">x&amp;y</text>"), svg);
        assertTrue(svg.contains("<title>&lt;t&gt;</title>"), svg);
        assertTrue(svg.endsWith("</svg>\n"));
    }

    @Test
    void niceScale_range_coversDataWithRoundSteps() {
        NiceScale s = NiceScale.covering(0, 23, 7);
        assertEquals(new NiceScale(0, 25, 5), s);
        assertEquals(List.of(0.0, 5.0, 10.0, 15.0, 20.0, 25.0), s.ticks());
        NiceScale clean = NiceScale.covering(31_704, 31_744, 7);
        assertEquals(new NiceScale(31_700, 31_750, 10), clean);
        assertEquals(300.0, s.map(0, 300, 20));
        assertEquals(20.0, s.map(25, 300, 20));
    }

    @Test
    void niceScale_flatRange_widened() {
        NiceScale s = NiceScale.covering(1, 1, 7);
        assertTrue(s.min() <= 1 && s.max() > 1, s.toString());
        NiceScale zero = NiceScale.covering(0, 0, 7);
        assertTrue(zero.max() > zero.min(), zero.toString());
        assertThrows(IllegalArgumentException.class, () -> NiceScale.covering(2, 1, 7));
    }

    @Test
    void palette_sevenStrategies_distinctColoursDashesAndMarkers() {
        Set<String> colours = new HashSet<>();
        Set<String> styles = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            Palette p = new Palette(i);
            colours.add(p.colour());
            styles.add(p.dash() + "/" + p.marker());
            assertTrue(p.markerPath(10, 10, 3).endsWith("Z"));
        }
        assertEquals(7, colours.size());
        assertEquals(7, styles.size());
        assertNotEquals(new Palette(0).dash(), new Palette(1).dash());
    }

    @Test
    void decadeLabel_powersOfTen_humanUnits() {
        assertEquals("1 ns", LatencyChart.decadeLabel(0));
        assertEquals("100 ns", LatencyChart.decadeLabel(2));
        assertEquals("1 µs", LatencyChart.decadeLabel(3));
        assertEquals("10 ms", LatencyChart.decadeLabel(7));
        assertEquals("1 s", LatencyChart.decadeLabel(9));
        assertEquals("100 s", LatencyChart.decadeLabel(11));
    }

    @Test
    void lineChart_coincidingLines_shareOneStackedLabelNamingAll() {
        double[] xs = {0, 1, 2};
        List<LineChart.Series> series = List.of(
                new LineChart.Series("zeroinit", new Palette(0), xs, new double[] {1, 1, 1}, null),
                new LineChart.Series("recovery-write", new Palette(1), xs, new double[] {1, 1, 1}, null),
                new LineChart.Series("punch-pwrite", new Palette(2), xs, new double[] {1, 3, 5}, "ENOSPC"));
        String svg = LineChart.render("t", "x", "y", series, true, HtmlReport::integer);
        assertEquals(2, svg.split("class=\"leader\"", -1).length - 1, "one leader per distinct end point");
        for (String name : List.of("zeroinit", "recovery-write", "punch-pwrite")) {
            assertTrue(svg.contains(">" + name + "</text>"), name);
            assertTrue(svg.contains("data-strategy=\"" + name + "\""), name);
        }
        assertTrue(svg.contains(">ENOSPC</text>"));
    }

    /** However the lines end, their names never overlap and stay inside the chart. */
    @Test
    void lineChart_randomEnds_endLabelsApartAndInside() {
        Pattern label = Pattern.compile("<text x=\"[-0-9.]+\" y=\"([-0-9.]+)\" class=\"end-label\"");
        Gen.forAll("line-chart-end-labels", 200, g -> {
            int n = g.intBetween(1, 7);
            List<LineChart.Series> series = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int points = g.intBetween(1, 14);
                double[] xs = new double[points];
                double[] ys = new double[points];
                for (int j = 0; j < points; j++) {
                    xs[j] = j;
                    ys[j] = g.chance(0.4) ? g.oneOf(0.0, 1.0, 100.0) : g.between(0, 100);
                }
                series.add(new LineChart.Series("s" + i, new Palette(i), xs, ys, g.chance(0.2) ? "ENOSPC" : null));
            }
            String svg = LineChart.render("t", "x", "y", series, g.chance(0.5), HtmlReport::integer);
            List<Double> ys = new ArrayList<>();
            Matcher m = label.matcher(svg);
            while (m.find()) {
                ys.add(Double.parseDouble(m.group(1)));
            }
            assertEquals(n, ys.size(), "one name per series");
            Collections.sort(ys);
            for (int i = 0; i < ys.size(); i++) {
                assertTrue(ys.get(i) >= 10 && ys.get(i) <= LineChart.HEIGHT, "label at y " + ys.get(i));
                if (i > 0) {
                    assertTrue(ys.get(i) - ys.get(i - 1) >= 13.9, "labels overlap: " + ys);
                }
            }
        });
    }

    @Test
    void lineChart_mismatchedSeries_throws() {
        assertThrows(IllegalArgumentException.class,
                () -> new LineChart.Series("a", new Palette(0), new double[] {0, 1}, new double[] {1}, null));
    }

    @Test
    void latencyChart_manyRecoveries_dotsCapped() {
        List<Long> nanos = java.util.stream.LongStream.range(0, 5_000).map(i -> 1_000 + i * 37).boxed().toList();
        String svg = LatencyChart.render("t", List.of(new LatencyChart.Row("zeroinit", new Palette(0), nanos)));
        assertEquals(400, svg.split("<circle", -1).length - 1);
        assertTrue(svg.contains("p50 " + new Nanos(Summary.nearestRank(nanos, 0.5).getAsLong())), svg);
    }

    @Test
    void latencyChart_noLatencies_saysSo() {
        String svg = LatencyChart.render("t", List.of(new LatencyChart.Row("zeroinit", new Palette(0), List.of())));
        assertTrue(svg.contains("no recoveries"), svg);
    }
}
