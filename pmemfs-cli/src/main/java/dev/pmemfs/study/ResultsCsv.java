package dev.pmemfs.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * {@code results.csv}: one row per strategy × summary metric, in long format
 * ({@code strategy,profile,metric,value}; the profile tells apart one strategy run under two kernels), which is what the "one row per strategy × metric summary"
 * asks for and what plotting and spreadsheet tools pivot most easily. Rows come in the study's
 * strategy order, metrics in a fixed order; numbers are plain (no units, no grouping, Locale.ROOT,
 * fractions with six decimals; -1 files unreadable after remount: it did not mount), an absent value (no latency; no failure) is an empty field, and text is
 * quoted as RFC 4180 says.
 */
final class ResultsCsv {
    static final String HEADER = "strategy,profile,metric,value";

    private ResultsCsv() {}

    /** The whole file, header first, lines ending in {@code \n}. */
    static String render(List<Summary> summaries) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (Summary s : summaries) {
            for (String[] row : rows(s)) {
                out.append(field(s.strategy())).append(',').append(field(s.profile())).append(',').append(field(row[0])).append(',')
                        .append(field(row[1])).append('\n');
            }
        }
        return out.toString();
    }

    private static List<String[]> rows(Summary s) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"privilege", s.privilege()});
        rows.add(new String[] {"events", Integer.toString(s.events())});
        rows.add(new String[] {"extents", Long.toString(s.extents())});
        rows.add(new String[] {"physical_runs", Long.toString(s.physicalRuns())});
        rows.add(new String[] {"pmd_mappable_fraction", String.format(Locale.ROOT, "%.6f", s.pmdMappableFraction())});
        rows.add(new String[] {"rdma_sges", Long.toString(s.rdmaSges())});
        rows.add(new String[] {"clean_blocks_consumed", Long.toString(s.cleanBlocksConsumed())});
        rows.add(new String[] {"poisoned_blocks_left", Long.toString(s.poisonLeft())});
        rows.add(new String[] {"good_bytes_destroyed", Long.toString(s.bytesDestroyed())});
        rows.add(new String[] {"bytes_lost", Long.toString(s.bytesLost())});
        rows.add(new String[] {"metadata_errors_fsck", Long.toString(s.metadataDamaged())});
        rows.add(new String[] {"metadata_blocks_unflagged", Long.toString(s.metadataUnflagged())});
        rows.add(new String[] {"latency_median_ns", number(s.latencyMedianNanos())});
        rows.add(new String[] {"latency_p99_ns", number(s.latencyP99Nanos())});
        rows.add(new String[] {"went_on", Boolean.toString(s.wentOn())});
        rows.add(new String[] {"failure", s.failure() == null ? "" : s.failure()});
        rows.add(new String[] {"files_unreadable_after_remount", Long.toString(s.unreadableAfterRemount())});
        return rows;
    }

    private static String number(OptionalLong v) {
        return v.isPresent() ? Long.toString(v.getAsLong()) : "";
    }

    /** RFC 4180: quote a field holding a comma, quote or line break, doubling inner quotes. */
    static String field(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
