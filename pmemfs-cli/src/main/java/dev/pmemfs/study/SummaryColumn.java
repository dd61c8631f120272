package dev.pmemfs.study;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The columns of the human-readable summary tables (Markdown and HTML), in order: a header, whether
 * the column is numeric (right-aligned), and how a {@link Summary} prints in it. One definition keeps
 * both tables identical.
 */
enum SummaryColumn {
    STRATEGY("Strategy", false, Summary::strategy),
    PROFILE("Mount profile", false, Summary::profile),
    PRIVILEGE("Privilege", false, Summary::privilege),
    EVENTS("Events", true, s -> Integer.toString(s.events())),
    EXTENTS("Extents", true, s -> Long.toString(s.extents())),
    PHYSICAL_RUNS("Physical runs", true, s -> Long.toString(s.physicalRuns())),
    PMD_MAPPABLE("PMD-mappable", true, s -> String.format(Locale.ROOT, "%.1f %%", 100 * s.pmdMappableFraction())),
    RDMA_SGES("RDMA SGEs", true, s -> Long.toString(s.rdmaSges())),
    CLEAN_BLOCKS_CONSUMED("Clean blocks consumed", true, s -> Long.toString(s.cleanBlocksConsumed())),
    POISON_LEFT("Poisoned blocks left", true, s -> Long.toString(s.poisonLeft())),
    BYTES_DESTROYED("Good data destroyed", true, s -> new HumanBytes(s.bytesDestroyed()).toString()),
    BYTES_LOST("Bytes lost", true, s -> new HumanBytes(s.bytesLost()).toString()),
    METADATA_DAMAGED("Metadata damaged (fsck)", true, s -> Long.toString(s.metadataDamaged())),
    METADATA_UNFLAGGED("Metadata unflagged", true, s -> Long.toString(s.metadataUnflagged())),
    LATENCY_MEDIAN("Latency p50", true, s -> latency(s.latencyMedianNanos())),
    LATENCY_P99("Latency p99", true, s -> latency(s.latencyP99Nanos())),
    WENT_ON("Went on", false, s -> s.wentOn() ? "yes" : "no (" + s.failure() + ")"),
    AFTER_REMOUNT("Unreadable after remount", true,
            s -> s.unreadableAfterRemount() < 0 ? "no mount" : Long.toString(s.unreadableAfterRemount()));

    private final String header;
    private final boolean numeric;
    private final Function<Summary, String> text;

    SummaryColumn(String header, boolean numeric, Function<Summary, String> text) {
        this.header = header;
        this.numeric = numeric;
        this.text = text;
    }

    String header() {
        return header;
    }

    boolean numeric() {
        return numeric;
    }

    /** The cell of {@code summary} in this column (plain text; the writer escapes it). */
    String text(Summary summary) {
        return text.apply(summary);
    }

    private static String latency(OptionalLong nanos) {
        return nanos.isPresent() ? new Nanos(nanos.getAsLong()).toString() : "n/a";
    }
}
