package dev.pmemfs.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ResultsCsvTest {
    private static Summary summary(String strategy, String privilege, String failure, OptionalLong p50) {
        return new Summary(strategy, privilege, 12, 23, 21, 0.859375, 21, 40, 41, 8192, 1, p50,
                p50.isPresent() ? OptionalLong.of(p50.getAsLong() * 2) : OptionalLong.empty(), failure);
    }

    @Test
    void render_oneStrategy_longFormatRowsInFixedOrder() {
        String csv = ResultsCsv.render(List.of(summary("punch-pwrite", "file write", null, OptionalLong.of(63_000))));
        assertEquals("""
                strategy,metric,value
                punch-pwrite,privilege,file write
                punch-pwrite,events,12
                punch-pwrite,extents,23
                punch-pwrite,physical_runs,21
                punch-pwrite,pmd_mappable_fraction,0.859375
                punch-pwrite,rdma_sges,21
                punch-pwrite,clean_blocks_consumed,40
                punch-pwrite,poisoned_blocks_left,41
                punch-pwrite,good_bytes_destroyed,8192
                punch-pwrite,metadata_blocks_damaged,1
                punch-pwrite,latency_median_ns,63000
                punch-pwrite,latency_p99_ns,126000
                punch-pwrite,went_on,true
                punch-pwrite,failure,
                """, csv);
    }

    @Test
    void render_failureAndNoLatency_emptyLatencyFieldsAndReason() {
        String csv = ResultsCsv.render(List.of(summary("punch-falloc", "file write", "ENOSPC", OptionalLong.empty())));
        assertTrue(csv.contains("punch-falloc,latency_median_ns,\n"), csv);
        assertTrue(csv.contains("punch-falloc,went_on,false\n"), csv);
        assertTrue(csv.contains("punch-falloc,failure,ENOSPC\n"), csv);
    }

    @Test
    void render_textWithCommaAndQuote_quotedPerRfc4180() {
        String csv = ResultsCsv.render(List.of(summary("odd,\"name\"", "raw device, \"rawio\"", null, OptionalLong.of(1))));
        assertTrue(csv.contains("\"odd,\"\"name\"\"\",privilege,\"raw device, \"\"rawio\"\"\"\n"), csv);
    }

    @Test
    void render_fixture_rowsPerStrategyTimesMetric() {
        List<Summary> summaries = Summary.of(StudyFixture.result());
        List<String> lines = ResultsCsv.render(summaries).lines().toList();
        assertEquals(ResultsCsv.HEADER, lines.getFirst());
        assertEquals(1 + summaries.size() * 14, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            assertEquals(3, line.split(",", -1).length, line);
        }
        assertEquals(ResultsCsv.render(summaries), ResultsCsv.render(Summary.of(StudyFixture.result())));
    }
}
