package dev.pmemfs.fs;

/**
 * Where each on-media region lives, in filesystem blocks, computed once by mkfs and stored in the
 * superblock (docs/FORMAT.md "Layout").
 *
 * <p>With {@code replicas == 2} (mkfs {@code -o meta_replicas=2}) a mirror region follows the rmap: a
 * second copy of the orphan list, then of the bitmaps, inode table and rmap in their own order, so the
 * mirror of a static metadata block is found by arithmetic ({@link #replicaOf}). Metadata blocks the
 * filesystem allocates in the data area (directory, extent-list and symlink blocks) live in the lower
 * half of it and their copy is the block half the data area further on (their <em>twin</em>), again
 * found by arithmetic, so no pointer to a copy is ever stored (NOVA-Fortis keeps its replica at a fixed
 * distance too). With one copy the layout is the one pmemfs has always had.
 */
record Geometry(long totalBlocks, long journalStart, long journalLen, long bbmStart, long bbmLen,
        long ibmStart, long ibmLen, long itabStart, long itabLen, long rmapStart, long rmapLen,
        long dataStart, long inodeCount, int replicas) {
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

    /** Most copies of each metadata block a filesystem may keep. */
    static final int MAX_REPLICAS = 2;

    Geometry(long totalBlocks, long journalStart, long journalLen, long bbmStart, long bbmLen, long ibmStart,
            long ibmLen, long itabStart, long itabLen, long rmapStart, long rmapLen, long dataStart, long inodeCount) {
        this(totalBlocks, journalStart, journalLen, bbmStart, bbmLen, ibmStart, ibmLen, itabStart, itabLen, rmapStart,
                rmapLen, dataStart, inodeCount, 1);
    }

    static Geometry compute(long totalBlocks, long inodeCount, long journalBlocks) {
        return compute(totalBlocks, inodeCount, journalBlocks, 1);
    }

    static Geometry compute(long totalBlocks, long inodeCount, long journalBlocks, int replicas) {
        long j = journalBlocks > 0 ? journalBlocks : Math.clamp(totalBlocks / 256, 256, 8192);
        long bbm = ceil(totalBlocks, BITS_PER_BITMAP_BLOCK);
        long ibm = ceil(inodeCount + 1, BITS_PER_BITMAP_BLOCK);
        long itab = ceil(inodeCount + 1, INODES_PER_BLOCK);
        long rmap = ceil(totalBlocks, RMAP_PER_BLOCK);
        long bbmStart = JOURNAL_START + j;
        long ibmStart = bbmStart + bbm;
        long itabStart = ibmStart + ibm;
        long rmapStart = itabStart + itab;
        long mirror = replicas > 1 ? 1 + (rmapStart + rmap - bbmStart) : 0;
        long dataStart = rmapStart + rmap + mirror;
        return new Geometry(totalBlocks, JOURNAL_START, j, bbmStart, bbm, ibmStart, ibm, itabStart, itab,
                rmapStart, rmap, dataStart, inodeCount, replicas);
    }

    /** First block of the mirror region (the orphan list's copy); {@link #dataStart} when there is none. */
    long mirrorStart() {
        return rmapStart + rmapLen;
    }

    /** Blocks of the mirror region: 0 with one copy. */
    long mirrorLen() {
        return dataStart - mirrorStart();
    }

    /**
     * With two copies, the length of each half of the metadata pool that opens the data area: one
     * block in 64 of the data area, at least 256 (1 MiB), so dynamic metadata and its copies never
     * interleave with file data (a large file stays one run). 0 with one copy.
     */
    long twinDistance() {
        return replicas > 1 ? Math.max(256, (totalBlocks - dataStart) / 64) : 0;
    }

    /** Whether {@code block} may hold an allocated metadata block (directory, extent list, symlink). */
    boolean metadataHome(long block) {
        return block >= dataStart && (replicas < 2 || block < dataStart + twinDistance());
    }

    /** Where file data may start: after the metadata pool (with two copies), else the data area's start. */
    long fileDataStart() {
        return dataStart + 2 * twinDistance();
    }

    /**
     * Where the second copy of metadata block {@code block} lives, or -1 when it has none (one copy; the
     * superblocks, which are two copies of their own; the zero page and the journal). A block of the
     * data area is taken to be an allocated metadata block: callers ask only for those.
     */
    long replicaOf(long block) {
        if (replicas < 2) {
            return -1;
        }
        if (block == ORPHAN_BLOCK) {
            return mirrorStart();
        }
        if (block >= bbmStart && block < mirrorStart()) {
            return mirrorStart() + 1 + (block - bbmStart);
        }
        if (block >= dataStart && block < dataStart + twinDistance()) {
            return block + twinDistance();
        }
        return -1;
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

    /**
     * The primary block whose copy is {@code block}, {@code block} itself when it is a replicated
     * primary, or -1 when it is neither.
     */
    long primaryOf(long block) {
        if (replicas < 2) {
            return -1;
        }
        if (block == mirrorStart()) {
            return ORPHAN_BLOCK;
        }
        if (block > mirrorStart() && block < dataStart) {
            return bbmStart + (block - mirrorStart() - 1);
        }
        if (block >= dataStart + twinDistance() && block < fileDataStart()) {
            return block - twinDistance();
        }
        return replicaOf(block) >= 0 ? block : -1;
    }

    /** The structure a replicated primary block belongs to, as messages name it. */
    String structureOf(long primary) {
        String r = staticRegion(primary);
        return r != null ? r : "metadata";
    }

    /**
     * The magic a replicated primary block must carry: its region's, or for a block of the data area the
     * one its image names when that is a structure allocated there (0, which never verifies, otherwise).
     */
    int magicOf(long primary, byte[] img) {
        if (primary == ORPHAN_BLOCK) {
            return MetaBlock.MAGIC_ORPHAN;
        } else if (primary >= bbmStart && primary < ibmStart) {
            return MetaBlock.MAGIC_BBITMAP;
        } else if (primary >= ibmStart && primary < itabStart) {
            return MetaBlock.MAGIC_IBITMAP;
        } else if (primary >= itabStart && primary < rmapStart) {
            return MetaBlock.MAGIC_INODES;
        } else if (primary >= rmapStart && primary < mirrorStart()) {
            return MetaBlock.MAGIC_RMAP;
        }
        int m = MetaBlock.magicOf(img);
        return m == MetaBlock.MAGIC_DIR || m == MetaBlock.MAGIC_EXTENTS || m == MetaBlock.MAGIC_EXTINDEX
                || m == MetaBlock.MAGIC_SYMLINK ? m : 0;
    }

    /** Whether a block of this region may read as empty (inode table and rmap: initialised lazily). */
    boolean lazy(long primary) {
        return primary >= itabStart && primary < mirrorStart();
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
        } else if (block < mirrorStart()) {
            return "rmap";
        } else if (block < dataStart) {
            return "metadata replica";
        }
        return null;
    }
}
