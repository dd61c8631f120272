package dev.pmemfs.study;

/**
 * What one strategy's run looks like after one poison event and its recovery.
 *
 * @param event              1-based index of the poison event just handled (0 = before any poison)
 * @param extents            extents of the workload's files (sum over files), as FIEMAP reports them
 * @param physicalRuns       physically and logically contiguous runs (sum over files)
 * @param pmdMappableFraction fraction of file bytes in 2 MiB-aligned chunks one PMD can map (0..1)
 * @param rdmaSges           scatter-gather entries needed to register the files (one per run, capped)
 * @param cleanFreeBlocks    free 4 KiB blocks that hold no poison
 * @param poisonedBlocks     4 KiB device blocks still holding known or latent poison
 * @param goodBytesDestroyed bytes that were readable before a recovery and are not (or are zero) after it,
 *                           summed over every recovery up to and including this step (a running total)
 * @param bytesLost          poisoned bytes of the workload's files that read back as anything but the model's
 *                           data after a recovery (zeros, or what the platform left), a running total like
 *                           {@code goodBytesDestroyed}; blocks still unreadable are not counted
 * @param metadataDamaged    errors fsck reports in the metadata at the end of this step (read-only check of the
 *                           synced filesystem): blocks still poisoned and blocks whose checksum fails alike.
 *                           A current count: it falls when the filesystem rewrites a damaged block
 * @param metadataUnflagged  metadata blocks hit by poison that carry no poison record any more yet still hold
 *                           what the poison left (its fill pattern): damage nothing flags, that only a checksum
 *                           or fsck finds — what clearing errors offline makes of poisoned metadata
 * @param recoveryNanos      wall time the recovery of this event took
 * @param failure            null when the run goes on; else the errno name or reason it stopped (ENOSPC)
 * @param hit                where this step's poison landed in this run ("metadata: inode table, latent",
 *                           "file data: /data/rdma.buf", "9-block cluster: /data/rdma.buf", "free space");
 *                           followed by "; stopped: " and the error when the step failed; null before the first event
 */
public record StepMetrics(
        int event, long extents, long physicalRuns, double pmdMappableFraction, long rdmaSges,
        long cleanFreeBlocks, long poisonedBlocks, long goodBytesDestroyed, long bytesLost, long metadataDamaged, long metadataUnflagged,
        long recoveryNanos, String failure, String hit) {}
