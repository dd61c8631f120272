package dev.pmemfs.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryMarkdownTest {
    @Test
    void render_fixture_tableWithOneRowPerStrategy() {
        StudyResult result = StudyFixture.result();
        String md = SummaryMarkdown.render(result, Summary.of(result));
        List<String> rows = md.lines().filter(l -> l.startsWith("|")).toList();
        assertEquals(2 + result.runs().size(), rows.size(), md);
        int columns = SummaryColumn.values().length;
        for (String row : rows) {
            assertEquals(columns + 1, row.split("(?<!\\\\)\\|", -1).length - 1, "cells in " + row);
        }
        assertTrue(rows.get(1).startsWith("| :--- | :--- | :--- | ---: |"), rows.get(1));
        assertTrue(md.contains("Workload `rdma-buffer`, device 256 MiB, 12 poison events, seed 42."), md);
        assertTrue(md.contains("| punch-falloc | linux-5.19 | file write | 7 |"), md);
        assertTrue(md.contains("| no (ENOSPC) |"), md);
        assertTrue(md.contains("Runs that stopped:\n\n- punch-falloc stopped at event 7 with ENOSPC\n"), md);
        assertTrue(md.contains("| 100.0 % |"), md);
        assertTrue(md.contains("| raw device (CAP_SYS_RAWIO) |"), md);
    }

    @Test
    void cell_pipesAndNewlines_cannotBreakTheTable() {
        assertEquals("a\\|b c", SummaryMarkdown.cell("a|b\nc"));
        assertEquals("back\\\\slash", SummaryMarkdown.cell("back\\slash"));
    }

    @Test
    void render_sameInput_sameText() {
        StudyResult result = StudyFixture.result();
        assertEquals(SummaryMarkdown.render(result, Summary.of(result)), SummaryMarkdown.render(result, Summary.of(result)));
    }
}
