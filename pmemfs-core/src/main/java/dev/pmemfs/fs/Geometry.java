package dev.pmemfs.fs;

/**
 * Where each on-media region lives, in filesystem blocks, computed once by mkfs and stored in the
 * superblock (docs/FORMAT.md "Layout").
 */
record Geometry(long totalBlocks, long journalStart, long journalLen, long bbmStart, long bbmLen,
        long ibmStart, long ibmLen, long itabStart, long itabLen, long rmapStart, long rmapLen,
        long dataStart, long inodeCount) {
    static final long SB_PRIMARY = 0;
    static final long SB_BACKUP = 1;
    static final long ORPHAN_BLOCK = 2;
    /** An all-zero block mapped read-only for read faults on holes (Linux's shared zero page). */
    static final long ZERO_PAGE = 3;
    static final long JOURNAL_START = 4;
    /** Bits of allocation state per bitmap block (payload after the header). */
    static final long BITS_PER_BITMAP_BLOCK = (MetaBlock.SIZE - MetaBlock.HEADER) * 8L;
    static final int INODE_SIZE = 272;
    static final int INODES_PER_BLOCK = (MetaBlock.SIZE - MetaBlock.HEADER) / INODE_SIZE; // 15
    static final int RMAP_ENTRY = 16;
    static final int RMAP_PER_BLOCK = (MetaBlock.SIZE - MetaBlock.HEADER) / RMAP_ENTRY; // 255
    static final long MIN_BLOCKS = 2048;
    /** Block numbers are stored in 32-bit header fields. */
    static final long MAX_BLOCKS = 1L << 32;

    static Geometry compute(long totalBlocks, long inodeCount, long journalBlocks) {
        long j = journalBlocks > 0 ? journalBlocks : Math.clamp(totalBlocks / 256, 256, 8192);
        long bbm = ceil(totalBlocks, BITS_PER_BITMAP_BLOCK);
        long ibm = ceil(inodeCount + 1, BITS_PER_BITMAP_BLOCK);
        long itab = ceil(inodeCount + 1, INODES_PER_BLOCK);
        long rmap = ceil(totalBlocks, RMAP_PER_BLOCK);
        long bbmStart = JOURNAL_START + j;
        long ibmStart = bbmStart + bbm;
        long itabStart = ibmStart + ibm;
        long rmapStart = itabStart + itab;
        long dataStart = rmapStart + rmap;
        return new Geometry(totalBlocks, JOURNAL_START, j, bbmStart, bbm, ibmStart, ibm, itabStart, itab,
                rmapStart, rmap, dataStart, inodeCount);
    }

    /**
     * The default inode count: one inode per 48 KiB (1.4M on a 64 GiB image), but small devices get
     * one per 8 KiB up to 65536, so a test namespace can hold many small files.
     */
    static long defaultInodes(long totalBlocks) {
        return Math.max(Math.min(totalBlocks / 2, 65536), totalBlocks / 12);
    }

    private static long ceil(long a, long b) {
        return (a + b - 1) / b;
    }

    long itabBlock(long ino) {
        return itabStart + ino / INODES_PER_BLOCK;
    }

    int itabSlotOffset(long ino) {
        return MetaBlock.HEADER + (int) (ino % INODES_PER_BLOCK) * INODE_SIZE;
    }

    long rmapBlock(long block) {
        return rmapStart + block / RMAP_PER_BLOCK;
    }

    int rmapEntryOffset(long block) {
        return MetaBlock.HEADER + (int) (block % RMAP_PER_BLOCK) * RMAP_ENTRY;
    }

    /** What static region holds {@code block}, as fsck names it; null for the data area. */
    String staticRegion(long block) {
        if (block == SB_PRIMARY || block == SB_BACKUP) {
            return "superblock";
        } else if (block == ORPHAN_BLOCK) {
            return "orphan list";
        } else if (block == ZERO_PAGE) {
            return "zero page";
        } else if (block < bbmStart) {
            return "journal";
        } else if (block < ibmStart) {
            return "block bitmap";
        } else if (block < itabStart) {
            return "inode bitmap";
        } else if (block < rmapStart) {
            return "inode table";
        } else if (block < dataStart) {
            return "rmap";
        }
        return null;
    }
}
