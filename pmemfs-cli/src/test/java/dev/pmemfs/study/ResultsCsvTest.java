package dev.pmemfs.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ResultsCsvTest {
    private static Summary summary(String strategy, String privilege, String failure, OptionalLong p50) {
        return new Summary(strategy, privilege, "linux-5.19", 12, 23, 21, 0.859375, 21, 40, 41, 8192, 1024, 1, 1, p50,
                p50.isPresent() ? OptionalLong.of(p50.getAsLong() * 2) : OptionalLong.empty(), failure, 0);
    }

    @Test
    void render_oneStrategy_longFormatRowsInFixedOrder() {
        String csv = ResultsCsv.render(List.of(summary("punch-pwrite", "file write", null, OptionalLong.of(63_000))));
        assertEquals("""
                strategy,profile,metric,value
                punch-pwrite,linux-5.19,privilege,file write
                punch-pwrite,linux-5.19,events,12
                punch-pwrite,linux-5.19,extents,23
                punch-pwrite,linux-5.19,physical_runs,21
                punch-pwrite,linux-5.19,pmd_mappable_fraction,0.859375
                punch-pwrite,linux-5.19,rdma_sges,21
                punch-pwrite,linux-5.19,clean_blocks_consumed,40
                punch-pwrite,linux-5.19,poisoned_blocks_left,41
                punch-pwrite,linux-5.19,good_bytes_destroyed,8192
                punch-pwrite,linux-5.19,bytes_lost,1024
                punch-pwrite,linux-5.19,metadata_errors_fsck,1
                punch-pwrite,linux-5.19,metadata_blocks_unflagged,1
                punch-pwrite,linux-5.19,latency_median_ns,63000
                punch-pwrite,linux-5.19,latency_p99_ns,126000
                punch-pwrite,linux-5.19,went_on,true
                punch-pwrite,linux-5.19,failure,
                punch-pwrite,linux-5.19,files_unreadable_after_remount,0
                """, csv);
    }

    @Test
    void render_failureAndNoLatency_emptyLatencyFieldsAndReason() {
        String csv = ResultsCsv.render(List.of(summary("punch-falloc", "file write", "ENOSPC", OptionalLong.empty())));
        assertTrue(csv.contains("punch-falloc,linux-5.19,latency_median_ns,\n"), csv);
        assertTrue(csv.contains("punch-falloc,linux-5.19,went_on,false\n"), csv);
        assertTrue(csv.contains("punch-falloc,linux-5.19,failure,ENOSPC\n"), csv);
    }

    @Test
    void render_textWithCommaAndQuote_quotedPerRfc4180() {
        String csv = ResultsCsv.render(List.of(summary("odd,\"name\"", "raw device, \"rawio\"", null, OptionalLong.of(1))));
        assertTrue(csv.contains("\"odd,\"\"name\"\"\",linux-5.19,privilege,\"raw device, \"\"rawio\"\"\"\n"), csv);
    }

    @Test
    void render_fixture_rowsPerStrategyTimesMetric() {
        List<Summary> summaries = Summary.of(StudyFixture.result());
        List<String> lines = ResultsCsv.render(summaries).lines().toList();
        assertEquals(ResultsCsv.HEADER, lines.getFirst());
        assertEquals(1 + summaries.size() * 17, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            assertEquals(4, line.split(",", -1).length, line);
        }
        assertEquals(ResultsCsv.render(summaries), ResultsCsv.render(Summary.of(StudyFixture.result())));
    }
}
