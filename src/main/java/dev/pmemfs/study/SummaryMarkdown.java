package dev.pmemfs.study;

import java.util.List;

/**
 * {@code summary.md}: the study's parameters and a GitHub-flavoured Markdown table with one row per
 * strategy and the headline figures of {@link SummaryColumn}, numbers right-aligned.
 */
final class SummaryMarkdown {
    private SummaryMarkdown() {}

    static String render(StudyResult result, List<Summary> summaries) {
        StringBuilder out = new StringBuilder();
        out.append("# pmemfs poison-recovery study\n\n");
        out.append("Workload `").append(code(result.workload())).append("`, device ")
                .append(new ByteSize(result.sizeBytes())).append(", ").append(result.errors())
                .append(" poison events, seed ").append(result.seed()).append(".\n\n");
        SummaryColumn[] columns = SummaryColumn.values();
        out.append('|');
        for (SummaryColumn c : columns) {
            out.append(' ').append(cell(c.header())).append(" |");
        }
        out.append("\n|");
        for (SummaryColumn c : columns) {
            out.append(c.numeric() ? " ---: |" : " :--- |");
        }
        out.append('\n');
        for (Summary s : summaries) {
            out.append('|');
            for (SummaryColumn c : columns) {
                out.append(' ').append(cell(c.text(s))).append(" |");
            }
            out.append('\n');
        }
        out.append('\n').append(NOTES);
        return out.toString();
    }

    private static final String NOTES = """
            Physical runs: extents merged when contiguous in the file and on the device. PMD-mappable: \
            share of the file size in 2 MiB-aligned chunks that one 2 MiB page can map. RDMA SGEs: one \
            scatter-gather entry per physical run, runs split at 2 GiB. Clean blocks consumed: clean free \
            blocks before the first event minus after the last. Latency: nearest-rank median and 99th \
            percentile of the recoveries.
            """;

    /** A table cell: pipes escaped, line breaks flattened, so one value can never break the table. */
    static String cell(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    /** Text inside a code span: backticks cannot be escaped there, so they become quotes. */
    private static String code(String text) {
        return cell(text).replace('`', '\'');
    }
}
