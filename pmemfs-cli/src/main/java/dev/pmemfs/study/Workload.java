package dev.pmemfs.study;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The applications the study runs recovery under. Each is deterministic from the seed, writes between
 * poison events, and keeps a model of what its files should hold. Sizes scale with the filesystem's
 * free space at the start, so every device size gives the same shape.
 */
public enum Workload {
    /** One large buffer, preallocated and written whole (3/4 of free space), then rewritten in place. */
    RDMA_BUFFER("rdma-buffer", "one preallocated, fully written buffer of 3/4 of free space; 64 KiB rewrites in place"),
    /** A database file under random 4–64 KiB overwrites and appends between events. */
    DATABASE("database", "a 1/4-of-free-space file under random 4-64 KiB overwrites and appends (grows to 1/2)"),
    /** Many small files created, overwritten and deleted between events. */
    SMALL_FILES("small-files", "thousands of 4-64 KiB files (2/5 of free space) created, overwritten and deleted");

    private final String text;
    private final String description;

    Workload(String text, String description) {
        this.text = text;
        this.description = description;
    }

    /** The name {@code --workload} takes. */
    public String text() {
        return text;
    }

    public String description() {
        return description;
    }

    public static Optional<Workload> byName(String name) {
        return Arrays.stream(values()).filter(w -> w.text.equals(name)).findFirst();
    }

    /** "rdma-buffer|database|small-files" for messages. */
    public static String names() {
        return Arrays.stream(values()).map(Workload::text).collect(Collectors.joining("|"));
    }

    /** A fresh run of this workload for a filesystem with {@code freeBytes} free, seeded. */
    WorkloadRun start(long freeBytes, long seed) {
        return switch (this) {
            case RDMA_BUFFER -> new WorkloadRun.RdmaBuffer(freeBytes, seed);
            case DATABASE -> new WorkloadRun.Database(freeBytes, seed);
            case SMALL_FILES -> new WorkloadRun.SmallFiles(freeBytes, seed);
        };
    }
}
