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
                .append(new HumanBytes(result.sizeBytes())).append(", ").append(result.errors())
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
        List<String> stops = result.stops();
        if (!stops.isEmpty()) {
            out.append("\nRuns that stopped:\n\n");
            for (String s : stops) {
                out.append("- ").append(cell(s)).append('\n');
            }
        }
        out.append('\n').append(NOTES);
        return out.toString();
    }

    private static final String NOTES = """
            Physical runs: extents merged when contiguous in the file and on the device. PMD-mappable: \
            share of the file size in 2 MiB-aligned chunks that one 2 MiB page can map. RDMA SGEs: one \
            scatter-gather entry per physical run, runs split at 2 GiB. Clean blocks consumed: clean free \
            blocks before the first event minus after the last. Good data destroyed: bytes that still held \
            the file's data next to the poison (same 4 KiB block) and that the recovery overwrote. Bytes lost: \
            poisoned bytes of the files that read back as anything but their data after the recovery. Metadata \
            damaged (fsck): errors a read-only fsck reports after syncfs, poisoned and garbage blocks alike. \
            Metadata unflagged: metadata blocks hit by poison that no poison record flags any more but that \
            still hold what the poison left, found only by checksums. Unreadable after remount: workload \
            files that no longer stat or read after a final unmount and mount. Latency: nearest-rank median \
            and 99th percentile of the recoveries.

            Method: each strategy runs on a fresh namespace under the mount profile shown, as the file's owner \
            (uid 1000), with CAP_SYS_RAWIO for fiemap-blkzeroout and as root for unmount-clear. Every run \
            meets the same seeded poison plan: 45 % single 512-byte sectors and 25 % clusters of 2-16 \
            adjacent 4 KiB blocks in file data, 20 % sectors in free space and 10 % sectors in metadata \
            outside the journal; a quarter are latent and found by a scrub before recovery. After each event \
            the damaged files are repaired, the workload writes on, and the figures are taken.
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
