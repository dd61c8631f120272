package dev.pmemfs.study;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.BlockOwner;
import dev.pmemfs.fs.FileExtent;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.media.ByteRange;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Where a {@link PoisonEvent} lands on one run's device: a file event at the same file offset in every
 * run (wherever that run's strategy has put the block), a free-space or metadata event at a block the
 * event's seed picks among the blocks that qualify. Then injects it, as {@code ndctl inject-error} does.
 */
final class Placement {
    private static final int BLOCK = FileModel.BLOCK;
    private static final int SECTOR = 512;
    private static final int TRIES = 1 << 16;
    /**
     * Fixed-region blocks no metadata event hits: the journal (its dead blocks are never read) and the
     * shared zero page (not metadata fsck checks).
     */
    private static final Set<String> NOT_TARGETS = Set.of("journal", "zero page");

    private Placement() {}

    /**
     * Injects {@code e} on the testbed; returns the namespace byte range poisoned, or null when the run has
     * no place of that kind (no free block left, say).
     */
    static ByteRange inject(Testbed t, WorkloadRun w, PoisonEvent e) throws ErrnoException {
        Long dev = switch (e.kind()) {
            case FILE_SECTOR, FILE_CLUSTER -> fileBlock(t, w, e.pick());
            case FREE -> freeBlock(t, e.pick());
            case METADATA -> metadataBlock(t, e.pick());
        };
        if (dev == null) {
            return null;
        }
        // The device's end (statfs counts only the data area's blocks, and file data may lie past that count).
        long total = t.pmem().dax().nrPages() * BLOCK;
        ByteRange r = e.kind() == PoisonEvent.Kind.FILE_CLUSTER
                ? new ByteRange(dev, Math.min((long) e.blocks() * BLOCK, total - dev))
                : new ByteRange(dev + (long) e.sector() * SECTOR, SECTOR);
        ByteRange onNamespace = new ByteRange(t.ns.dataOffset() + r.offset(), r.length());
        t.ns.injectError(onNamespace.offset(), onNamespace.length(), e.known());
        return onNamespace;
    }

    /** Device offset of the file block at the pick's byte position among all files (path order), or null. */
    private static Long fileBlock(Testbed t, WorkloadRun w, long pick) throws ErrnoException {
        long total = 0;
        for (FileModel m : w.files().values()) {
            total += m.blocks();
        }
        if (total == 0) {
            return null;
        }
        long at = Math.floorMod(pick, total);
        for (Map.Entry<String, FileModel> f : w.files().entrySet()) {
            long n = f.getValue().blocks();
            if (at >= n) {
                at -= n;
                continue;
            }
            long ino = t.root().stat(f.getKey()).ino();
            long off = at * BLOCK;
            List<FileExtent> xs = t.fs().extents(ino, off, BLOCK);
            for (FileExtent x : xs) {
                if (off >= x.logical() && off < x.logical() + x.length()) {
                    return x.physical() + (off - x.logical());
                }
            }
            return null; // a hole: nothing on the media to poison
        }
        return null;
    }

    private static Long freeBlock(Testbed t, long pick) throws ErrnoException {
        FileSystem fs = t.fs();
        long first = metadataEnd(fs);
        long total = fs.statfs().totalBlocks();
        SplittableRandom r = new SplittableRandom(pick);
        for (int i = 0; i < TRIES && total > first; i++) {
            long b = first + r.nextLong(total - first);
            if (ownerOrNull(fs, b) instanceof BlockOwner.Free) {
                return b * BLOCK;
            }
        }
        return null;
    }

    /** A block of a fixed metadata region (superblocks, bitmaps, inode table, rmap, ...) but the journal and zero page. */
    private static Long metadataBlock(Testbed t, long pick) throws ErrnoException {
        FileSystem fs = t.fs();
        long end = metadataEnd(fs);
        SplittableRandom r = new SplittableRandom(pick);
        for (int i = 0; i < TRIES && end > 0; i++) {
            long b = r.nextLong(end);
            if (ownerOrNull(fs, b) instanceof BlockOwner.Metadata m && !NOT_TARGETS.contains(m.structure())) {
                return b * BLOCK;
            }
        }
        return null;
    }

    /**
     * The owner of block {@code b}, or null when the filesystem cannot say (the rmap or inode-table block
     * that would tell is damaged): such a block is no candidate. Poison does not ask the rmap where to
     * land, so the study's aim must not fail where the filesystem's bookkeeping does.
     */
    private static BlockOwner ownerOrNull(FileSystem fs, long b) {
        try {
            return fs.owner(b * BLOCK);
        } catch (ErrnoException e) {
            return null;
        }
    }

    /**
     * The first block after the fixed metadata regions at the start of the device: the first block that
     * is not metadata, or is metadata that lives among the data (a directory, an extent list).
     */
    static long metadataEnd(FileSystem fs) throws ErrnoException {
        long total = fs.statfs().totalBlocks();
        long b = 0;
        while (b < total && fs.owner(b * BLOCK) instanceof BlockOwner.Metadata m
                && !m.structure().startsWith("directory") && !m.structure().startsWith("extent list")) {
            b++;
        }
        return b;
    }
}
