package dev.pmemfs.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    private static String report(StudyResult result) {
        return HtmlReport.render(result, Summary.of(result));
    }

    private static int count(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }

    @Test
    void render_fixture_tableChartsAndMapsForEveryStrategy() {
        StudyResult result = StudyFixture.result();
        String html = report(result);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertEquals(1, count(html, "<table"));
        assertEquals(result.runs().size(), count(html, "<th scope=\"row\">"), "one table row per strategy");
        assertEquals(4, count(html, "class=\"chart line-chart\""));
        assertEquals(1, count(html, "class=\"chart latency-chart\""));
        assertEquals(2 * result.runs().size(), count(html, "class=\"chart device-map\""));
        for (StrategyRun run : result.runs()) {
            assertEquals(4 + 1, count(html, "<g class=\"series\" data-strategy=\"" + run.strategy() + "\""),
                    run.strategy() + ": one series per line chart and one latency row");
            assertTrue(html.contains("<figure class=\"device wide\" data-strategy=\"" + run.strategy() + "\""));
        }
        assertTrue(html.contains("<dd>rdma-buffer</dd>"));
        assertTrue(html.contains("<dd>256 MiB</dd>"));
        assertTrue(html.contains("<dd>42</dd>"));
    }

    @Test
    void render_selfContained_noScriptsOrExternalResources() {
        String html = report(StudyFixture.result());
        assertFalse(html.contains("<script"));
        assertFalse(html.contains("<link"));
        assertFalse(html.contains("src="));
        assertFalse(html.replace("http://www.w3.org/2000/svg", "").contains("http://"), "only the SVG namespace URI");
        assertFalse(html.contains("https://"));
        assertFalse(html.contains("@import"));
    }

    @Test
    void render_hostileNames_escapedEverywhere() {
        StudyResult fixture = StudyFixture.result();
        StrategyRun first = fixture.runs().getFirst();
        StrategyRun evil = new StrategyRun("<img onerror=x>", "<b>root</b>", "linux-5.19", first.steps(), first.before(),
                first.after(), first.latenciesNanos(), 0);
        StudyResult result = new StudyResult("<script>alert(1)</script>", fixture.sizeBytes(), fixture.errors(),
                fixture.seed(), List.of(evil, fixture.runs().get(1)));
        String html = report(result);
        assertFalse(html.contains("<img"), "strategy name not escaped");
        assertFalse(html.contains("<script"), "workload not escaped");
        assertFalse(html.contains("<b>root"), "privilege not escaped");
        assertTrue(html.contains("&lt;img onerror=x&gt;"));
    }

    @Test
    void render_noStrategies_stillAPage() {
        String html = report(new StudyResult("rdma-buffer", 1L << 30, 0, 1, List.of()));
        assertTrue(html.contains("<table"));
        assertTrue(html.endsWith("</html>\n"));
    }

    @Test
    void render_sameResult_sameBytes() {
        assertEquals(report(StudyFixture.result()), report(StudyFixture.result()));
    }

    /** Seven strategies, 500 events, a 4 GiB device split into 20 000 file runs: the page stays small. */
    @Test
    void render_largeStudy_staysCompact() {
        int events = 500;
        List<StrategyRun> runs = new java.util.ArrayList<>();
        java.util.List<DeviceMap.Run> fragments = new java.util.ArrayList<>();
        for (long i = 0; i < 20_000; i++) {
            fragments.add(new DeviceMap.Run(i * 50, 40, DeviceMap.Owner.FILE, "/db/file" + (i % 300)));
        }
        DeviceMap map = new DeviceMap(1L << 20, fragments, List.of(new DeviceMap.BlockRun(45, 1_000)));
        for (int s = 0; s < 7; s++) {
            List<StepMetrics> steps = new java.util.ArrayList<>();
            List<Long> latencies = new java.util.ArrayList<>();
            for (int e = 0; e <= events; e++) {
                steps.add(new StepMetrics(e, 300 + e * s, 300 + e * s, 0.5, 300 + e * s, 100_000 - e * s, e, 0, 0, 0, 0,
                        1_000L * (e + 1), null, null));
                latencies.add(1_000L * (e + 1) * (s + 1));
            }
            runs.add(new StrategyRun("strategy-" + s, "file write", "linux-5.19", steps, map, map, latencies.subList(1, latencies.size()), 0));
        }
        StudyResult result = new StudyResult("many-small-files", 4L << 30, events, 7, runs);
        long start = System.nanoTime();
        String html = report(result);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(html.length() < 4_000_000, html.length() + " characters");
        assertTrue(millis < 10_000, millis + " ms");
        assertFalse(html.contains("<title>strategy-0, event 1:"), "no per-point markers past the marker limit");
        assertTrue(html.contains("<title>strategy-0</title>"), "but the line itself");
    }

    @Test
    void integer_groupsDigitsWithThinSpaces() {
        assertEquals("31\u2009744", HtmlReport.integer(31_744));
        assertEquals("12", HtmlReport.integer(12.4));
    }
}
