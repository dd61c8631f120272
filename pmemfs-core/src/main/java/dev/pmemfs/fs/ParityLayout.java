package dev.pmemfs.fs;

/**
 * Where data parity lives (docs/FORMAT.md "Data parity"): the data area {@code [dataStart, dataEnd)} is cut
 * into stripes of {@code n} consecutive blocks (the last one may be shorter); stripe <i>s</i> has one
 * parity block, the XOR of its blocks' media content (RAID-4, md's raid4 layout with a dedicated parity
 * device, here a dedicated region). The parity region sits after the filesystem's last block, so every
 * other structure keeps its place: first the intent bitmap (one bit per stripe: "parity may not match,
 * recompute it"), then the parity blocks in stripe order.
 *
 * @param n           data blocks per stripe
 * @param dataStart   first block of the data area (the geometry's)
 * @param dataEnd     the filesystem's total blocks: the data area ends here
 * @param intentStart first block of the intent bitmap ({@code dataEnd})
 * @param intentLen   blocks of the intent bitmap
 * @param parityStart first parity block
 * @param stripes     number of stripes (and of parity blocks)
 */
record ParityLayout(int n, long dataStart, long dataEnd, long intentStart, long intentLen, long parityStart,
        long stripes) {
    /** Stripes whose intent bit one intent block holds (raw bits, no header). */
    static final long BITS_PER_INTENT_BLOCK = FileSystem.BLOCK_SIZE * 8L;

    static ParityLayout of(Geometry g, int n) {
        long stripes = Math.ceilDiv(g.totalBlocks() - g.dataStart(), n);
        long intentLen = Math.ceilDiv(stripes, BITS_PER_INTENT_BLOCK);
        return new ParityLayout(n, g.dataStart(), g.totalBlocks(), g.totalBlocks(), intentLen,
                g.totalBlocks() + intentLen, stripes);
    }

    /**
     * The largest filesystem (total blocks) whose data area and parity region fit in {@code pages}, for
     * the geometry {@code compute} gives each candidate size.
     */
    static long fsBlocks(long pages, int n, java.util.function.LongFunction<Geometry> compute) {
        // The end of the parity region grows with t: the largest t that fits, by bisection.
        long lo = 0;
        long hi = pages + 1;
        while (hi - lo > 1) {
            long mid = (lo + hi) >>> 1;
            // Below the smallest filesystem the answer is refused anyway; treat it as fitting.
            if (mid < Geometry.MIN_BLOCKS || of(compute.apply(mid), n).end() <= pages) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** One past the last block of the parity region. */
    long end() {
        return parityStart + stripes;
    }

    /** Blocks the parity region takes (intent bitmap and parity). */
    long regionBlocks() {
        return intentLen + stripes;
    }

    boolean covers(long block) {
        return block >= dataStart && block < dataEnd;
    }

    long stripeOf(long block) {
        return (block - dataStart) / n;
    }

    long firstBlock(long stripe) {
        return dataStart + stripe * n;
    }

    /** One past the last data block of {@code stripe}. */
    long endBlock(long stripe) {
        return Math.min(dataEnd, firstBlock(stripe) + n);
    }

    long parityBlock(long stripe) {
        return parityStart + stripe;
    }

    /** What part of the parity region {@code block} is, as fsck and badblocks name it; null outside it. */
    String region(long block) {
        if (block >= intentStart && block < parityStart) {
            return "parity intent bitmap";
        } else if (block >= parityStart && block < end()) {
            return "data parity";
        }
        return null;
    }
}
