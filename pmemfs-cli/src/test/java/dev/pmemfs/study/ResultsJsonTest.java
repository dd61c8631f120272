package dev.pmemfs.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResultsJsonTest {
    @Test
    void render_fixture_readsBackEqual() throws Exception {
        StudyResult result = StudyFixture.result();
        String json = ResultsJson.render(result);
        assertEquals(result, ResultsJson.parse(json));
    }

    @Test
    void render_fixture_stableAndInRecordOrder() {
        String json = ResultsJson.render(StudyFixture.result());
        assertEquals(json, ResultsJson.render(StudyFixture.result()));
        assertTrue(json.indexOf("\"workload\"") < json.indexOf("\"seed\""), json.substring(0, 200));
        assertTrue(json.contains("\"strategy\" : \"recovery-write\""));
        assertTrue(json.contains("\"failure\" : \"ENOSPC\""));
        assertTrue(json.contains("\"owner\" : \"METADATA\""));
        assertTrue(json.endsWith("}\n"));
    }
}
