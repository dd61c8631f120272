package dev.pmemfs.recovery;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.BlockOwner;
import dev.pmemfs.fs.FileSystem;
import java.util.ArrayList;
import java.util.List;

/**
 * Which files a media error hit: the owners the filesystem's reverse map gives for the blocks of the
 * device's known bad ranges, merged into runs with one owner. File hits are fs-block aligned,
 * as libpmem2's {@code pmem2_badblock_next} reports them.
 */
public final class Damage {
    private static final int BLOCK = FileSystem.BLOCK_SIZE;

    private Damage() {}

    /** One run of bad blocks with one owner; {@code deviceOffset} is relative to the data area. */
    public sealed interface Hit {
        long deviceOffset();

        long length();
    }

    /** Blocks of a file: its path, inode and the file range they hold. */
    public record FileHit(long deviceOffset, long length, String path, long ino, FileRange range, boolean unwritten)
            implements Hit {}

    /** Blocks of a metadata structure, named as fsck names it. */
    public record MetadataHit(long deviceOffset, long length, String structure) implements Hit {}

    /** Free blocks: poison waiting for the allocator (which zeroes, and so clears, what it hands out). */
    public record FreeHit(long deviceOffset, long length) implements Hit {}

    /** Every known bad block of the device, by owner, in device order. */
    public static List<Hit> find(FileSystem fs) throws ErrnoException {
        List<Hit> hits = new ArrayList<>();
        for (BlockOwner owner : fs.badblockOwners()) {
            add(hits, hitOf(fs, owner));
        }
        return hits;
    }

    /** The bad ranges of one file among {@code hits} (fs-block aligned file offsets), merged, in file order. */
    public static List<FileRange> rangesOf(List<Hit> hits, long ino) {
        List<FileRange> out = new ArrayList<>();
        for (Hit h : hits) {
            if (h instanceof FileHit f && f.ino() == ino) {
                out.add(f.range());
            }
        }
        out.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        return mergeAdjacent(out);
    }

    private static Hit hitOf(FileSystem fs, BlockOwner owner) throws ErrnoException {
        long dev = owner.deviceOffset() / BLOCK * BLOCK;
        return switch (owner) {
            case BlockOwner.FileData f -> new FileHit(dev, BLOCK, pathOrInode(fs, f.ino()), f.ino(),
                    new FileRange(f.fileOffset() / BLOCK * BLOCK, BLOCK), f.unwritten());
            case BlockOwner.Metadata m -> new MetadataHit(dev, BLOCK, m.structure());
            case BlockOwner.Free free -> new FreeHit(dev, BLOCK);
        };
    }

    private static String pathOrInode(FileSystem fs, long ino) {
        try {
            return fs.path(ino);
        } catch (ErrnoException e) {
            return "<inode " + ino + ", unlinked>"; // open but unlinked: it has no name left
        }
    }

    /** Appends {@code h}, extending the last hit when it continues it (same owner, next block). */
    private static void add(List<Hit> hits, Hit h) {
        if (!hits.isEmpty()) {
            Hit last = hits.get(hits.size() - 1);
            Hit merged = merge(last, h);
            if (merged != null) {
                hits.set(hits.size() - 1, merged);
                return;
            }
        }
        hits.add(h);
    }

    private static Hit merge(Hit a, Hit b) {
        if (a.deviceOffset() + a.length() != b.deviceOffset()) {
            return null;
        }
        long len = a.length() + b.length();
        return switch (a) {
            case FileHit fa when b instanceof FileHit fb && fa.ino() == fb.ino()
                    && fa.range().end() == fb.range().offset() && fa.unwritten() == fb.unwritten() ->
                    new FileHit(fa.deviceOffset(), len, fa.path(), fa.ino(),
                            new FileRange(fa.range().offset(), fa.range().length() + fb.range().length()), fa.unwritten());
            case MetadataHit ma when b instanceof MetadataHit mb && ma.structure().equals(mb.structure()) ->
                    new MetadataHit(ma.deviceOffset(), len, ma.structure());
            case FreeHit fa when b instanceof FreeHit -> new FreeHit(fa.deviceOffset(), len);
            default -> null;
        };
    }

    private static List<FileRange> mergeAdjacent(List<FileRange> sorted) {
        List<FileRange> out = new ArrayList<>();
        for (FileRange r : sorted) {
            if (!out.isEmpty() && out.get(out.size() - 1).end() >= r.offset()) {
                FileRange last = out.remove(out.size() - 1);
                out.add(new FileRange(last.offset(), Math.max(last.end(), r.end()) - last.offset()));
            } else {
                out.add(r);
            }
        }
        return out;
    }
}
