package dev.pmemfs.testing.fileops;

import dev.pmemfs.testing.Gen;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Draws random {@link FileOp}s the way fsx does, from our seeded {@link Gen}: offsets mostly
 * block-aligned with some unaligned, lengths up to {@code maxOpLength}, the file kept under
 * {@code maxFileSize}, collapse/insert mostly valid (aligned, inside EOF) and the rest deliberately
 * invalid, plus a few negative offsets and zero lengths, so errno answers are compared too.
 */
public final class OpGenerator {
    /**
     * fallocate modes that Linux 6.12+ rejects with EOPNOTSUPP once offset and length pass (reference
     * §4.2): punch without KEEP_SIZE, NO_HIDE_STALE, collapse/insert/WRITE_ZEROES with KEEP_SIZE, two
     * modes at once, unknown bits, and WRITE_ZEROES itself (neither pmem nor this loop device offers
     * unmapping write-zeroes). FALLOC_FL_ZEROINIT_RANGE (0x100) is left out: it is pmemfs's own mode.
     */
    public static final Set<Integer> REJECTED_MODES = Set.of(0x02, 0x04, 0x05, 0x07, 0x09, 0x12, 0x13, 0x18, 0x21,
            0x28, 0x42, 0x50, 0x80, 0x81, 0x82, 0x200, 0x400, 0x800);
    private static final List<Integer> RAW_MODES = Stream.concat(REJECTED_MODES.stream().sorted(),
            Stream.of(0x40, 0x41, 0x40, 0x41)).toList();

    private final int blockSize;
    private final long maxFileSize;
    private final int maxOpLength;
    private final Set<Class<? extends FileOp>> excluded;

    public OpGenerator(int blockSize, long maxFileSize, int maxOpLength) {
        this(blockSize, maxFileSize, maxOpLength, Set.of());
    }

    private OpGenerator(int blockSize, long maxFileSize, int maxOpLength, Set<Class<? extends FileOp>> excluded) {
        if (Integer.bitCount(blockSize) != 1 || maxOpLength < blockSize || maxFileSize < 4L * maxOpLength) {
            throw new IllegalArgumentException("bad generator bounds: block " + blockSize + ", file " + maxFileSize
                    + ", op " + maxOpLength);
        }
        this.blockSize = blockSize;
        this.maxFileSize = maxFileSize;
        this.maxOpLength = maxOpLength;
        this.excluded = Set.copyOf(excluded);
        if (this.excluded.size() >= FileOp.class.getPermittedSubclasses().length) {
            throw new IllegalArgumentException("every op excluded: " + excluded);
        }
    }

    /**
     * The same generator without the given kinds of op (drawn again when one comes up): for surveys
     * that look past a known divergence. Sequences differ from the full generator's for the same seed.
     */
    public OpGenerator excluding(Set<Class<? extends FileOp>> kinds) {
        Set<Class<? extends FileOp>> all = new HashSet<>(excluded);
        all.addAll(kinds);
        return new OpGenerator(blockSize, maxFileSize, maxOpLength, all);
    }

    /** The default shape: 4 KiB blocks, files up to 4 MiB, operations up to 1 MiB. */
    public static OpGenerator standard() {
        return new OpGenerator(4096, 4L << 20, 1 << 20);
    }

    /** The next operation for a file currently {@code size} bytes long. */
    public FileOp next(Gen g, long size) {
        while (true) {
            FileOp op = draw(g, size);
            if (!excluded.contains(op.getClass())) {
                return op;
            }
        }
    }

    private FileOp draw(Gen g, long size) {
        int pick = g.intBetween(0, 99);
        if (pick < 22) {
            long len = length(g);
            long off = offset(g, size);
            return new FileOp.Pwrite(g.chance(0.02) ? -blockSize : fit(off, len), (int) (g.chance(0.02) ? 0 : len),
                    g.intBetween(0, 255));
        }
        if (pick < 31) {
            return new FileOp.Pread(g.chance(0.02) ? -1 : offset(g, size), (int) length(g));
        }
        if (pick < 37) {
            return new FileOp.Truncate(g.chance(0.02) ? -1 : g.chance(0.03) ? 0 : Math.min(maxFileSize, offset(g, size)));
        }
        if (pick < 47) {
            boolean keep = g.chance(0.5);
            long off = offset(g, size);
            long len = rangeLength(g, off, size);
            return new FileOp.Falloc(keep ? off : fit(off, len), invalidLength(g, len), keep);
        }
        if (pick < 57) {
            long off = g.chance(0.02) ? -blockSize : offset(g, size);
            return new FileOp.Fpunch(off, invalidLength(g, rangeLength(g, off, size)));
        }
        if (pick < 67) {
            boolean keep = g.chance(0.5);
            long off = offset(g, size);
            long len = rangeLength(g, off, size);
            return new FileOp.Fzero(keep ? off : fit(off, len), invalidLength(g, len), keep);
        }
        if (pick < 74) {
            return collapse(g, size);
        }
        if (pick < 81) {
            return insert(g, size);
        }
        if (pick < 84) {
            long len = length(g);
            int mode = g.pick(RAW_MODES);
            long off = g.chance(0.1) ? -blockSize : offset(g, size);
            // UNSHARE without KEEP_SIZE grows the file like mode 0, so keep it inside the size limit.
            return new FileOp.Fmode(mode, mode == 0x40 ? fit(Math.max(0, off), len) : off, invalidLength(g, len));
        }
        long off = g.chance(0.8) ? offset(g, size) : g.oneOf(-1L, size, size + 1, size - 1);
        return pick < 92 ? new FileOp.SeekData(off) : new FileOp.SeekHole(off);
    }

    private FileOp collapse(Gen g, long size) {
        long lastBlock = (size - 1) / blockSize; // off + len <= lastBlock blocks keeps off + len < size
        if (size > blockSize && lastBlock >= 1 && g.chance(0.75)) {
            long offBlocks = g.between(0, lastBlock - 1);
            long lenBlocks = g.between(1, Math.min(lastBlock - offBlocks, maxOpLength / blockSize));
            return new FileOp.Fcollapse(offBlocks * blockSize, lenBlocks * blockSize);
        }
        // Invalid on purpose, mostly: unaligned, reaching EOF, or past it.
        return new FileOp.Fcollapse(offset(g, size), g.chance(0.5) ? length(g) : Math.max(blockSize, size));
    }

    private FileOp insert(Gen g, long size) {
        long room = (maxFileSize - size) / blockSize;
        if (size > 0 && room >= 1 && g.chance(0.75)) {
            long offBlocks = g.between(0, (size - 1) / blockSize);
            long lenBlocks = g.between(1, Math.min(room, Math.min(64, maxOpLength / blockSize)));
            return new FileOp.Finsert(offBlocks * blockSize, lenBlocks * blockSize);
        }
        // Invalid on purpose: unaligned, or at/after EOF (kept small so a valid one stays in bounds).
        long off = g.chance(0.5) ? (size + blockSize - 1) / blockSize * blockSize : offset(g, size);
        long len = g.chance(0.5) ? g.between(1, blockSize - 1) : blockSize;
        return new FileOp.Finsert(off, size + len > maxFileSize ? blockSize + 1 : len);
    }

    /** Mostly block-aligned, within the file or a little past its end. */
    private long offset(Gen g, long size) {
        long limit = Math.min(maxFileSize, Math.max(size, 64L * 1024) + 256L * 1024);
        if (g.chance(0.1) && size > 0) {
            return Math.min(limit, Math.max(0, size + g.between(-2L * blockSize, 2L * blockSize)));
        }
        if (g.chance(0.9)) {
            return g.between(0, limit / blockSize) * blockSize;
        }
        return g.between(0, limit);
    }

    /** Mostly whole blocks (a few to 1 MiB), sometimes a byte count that is not. */
    private long length(Gen g) {
        int pick = g.intBetween(0, 99);
        if (pick < 60) {
            return g.between(1, 16) * blockSize;
        }
        if (pick < 85) {
            return g.between(17, maxOpLength / blockSize) * blockSize;
        }
        if (pick < 95) {
            return g.between(1, 3L * blockSize);
        }
        return g.between(1, maxOpLength);
    }

    /** Like {@link #length}, but one time in eight exactly up to EOF (the edge where EOF blocks are partial). */
    private long rangeLength(Gen g, long off, long size) {
        long toEof = size - off;
        return toEof > 0 && toEof <= maxOpLength && g.chance(0.125) ? toEof : length(g);
    }

    /** Occasionally zero or negative, which fallocate rejects with EINVAL. */
    private long invalidLength(Gen g, long len) {
        return g.chance(0.03) ? g.oneOf(0L, -1L, (long) -blockSize) : len;
    }

    /** Moves {@code off} down so {@code [off, off + len)} ends inside the size limit. */
    private long fit(long off, long len) {
        if (off + len <= maxFileSize) {
            return off;
        }
        long moved = maxFileSize - len;
        return off % blockSize == 0 ? moved / blockSize * blockSize : moved;
    }
}
