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
        assertEquals(result.runs().size(), count(html, "<tbody>") * 0 + count(html, "<th scope=\"row\">"));
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
        assertFalse(html.contains("http://") && html.replace("http://www.w3.org/2000/svg", "").contains("http://"));
        assertFalse(html.contains("https://"));
        assertFalse(html.contains("@import"));
    }

    @Test
    void render_hostileNames_escapedEverywhere() {
        StudyResult fixture = StudyFixture.result();
        StrategyRun first = fixture.runs().getFirst();
        StrategyRun evil = new StrategyRun("<img onerror=x>", "<b>root</b>", first.steps(), first.before(),
                first.after(), first.latenciesNanos());
        StudyResult result = new StudyResult("<script>alert(1)</script>", fixture.sizeBytes(), fixture.errors(),
                fixture.seed(), List.of(evil, fixture.runs().get(1)));
        String html = report(result);
        assertFalse(html.contains("<img"), "strategy name not escaped");
        assertFalse(html.contains("<script"), "workload not escaped");
        assertFalse(html.contains("<b>root"), "privilege not escaped");
        assertTrue(html.contains("&lt;img onerror=x&gt;"));
    }

    @Test
    void render_sameResult_sameBytes() {
        assertEquals(report(StudyFixture.result()), report(StudyFixture.result()));
    }

    @Test
    void integer_groupsDigitsWithThinSpaces() {
        assertEquals("31\u2009744", HtmlReport.integer(31_744));
        assertEquals("12", HtmlReport.integer(12.4));
    }
}
