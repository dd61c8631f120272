package dev.pmemfs.fs;

import static dev.pmemfs.fs.MediaStruct.U32;
import static dev.pmemfs.fs.MediaStruct.U64;

import java.lang.foreign.MemorySegment;

/**
 * The superblock, kept twice (blocks 0 and 1, as H2 keeps its store header twice): geometry, the
 * filesystem id, the journal tail and the default mount options. Its fields are declared once in
 * {@link #LAYOUT} (docs/FORMAT.md "Superblock" lists the same offsets; {@code FormatDocTest} checks it).
 *
 * <p>Version history: 1 — first format; 2 — symlinks, hard links, device files, FIFOs and sockets
 * (new inode types and fork formats 3 and 4, directory-entry types 3..7). A version-1 image holds only
 * structures version 2 reads unchanged, so mount upgrades it by writing version 2 into both
 * superblocks (which mount does anyway when it records the journal tail); 3 — data parity
 * ({@code mkfs -o data_parity=N}, {@link ParityLayout}): an image with parity needs a reader of
 * version 3 (an older one would write data without keeping parity); one without stays readable by 2.
 * Version 3 also records the metadata replica count ({@code meta_replicas}, offset 164): an image with two
 * copies needs a reader of version 3 as well, because an older one would update only the primaries and
 * leave stale copies that a later read would trust; an image with one copy stays readable by 2.
 *
 * @param dataParity data blocks per parity block (0: no data parity)
 * @param version    the format version the superblock was read with ({@link #VERSION} once written)
 */
record Superblock(Geometry geometry, int fsid, long rootIno, long tailSeq, long tailPos, MountOptions defaults,
        boolean clean, int dataParity, int version) {
    static final int VERSION = 3;
    /** A version-1 reader must not open a version-2 image: it would misread the new inode types. */
    static final int MIN_READ_VERSION = 2;
    /** An image with data parity needs a reader that keeps it. */
    static final int MIN_READ_VERSION_PARITY = 3;
    /** An image with metadata replicas: a reader that does not know them would let the copies diverge. */
    static final int MIN_READ_REPLICAS = 3;
    /** Largest stripe width mkfs accepts (data blocks per parity block). */
    static final int MAX_DATA_PARITY = 64;
    /** The oldest format this code reads (and upgrades). */
    static final int OLDEST_READABLE = 1;

    static final MediaStruct LAYOUT = new MediaStruct(MediaStruct.bytes(MetaBlock.HEADER, "header"),
            U32.withName("version"), U32.withName("minReadVersion"),
            U64.withName("totalBlocks"), U64.withName("journalStart"), U64.withName("journalLen"),
            U64.withName("bbmStart"), U64.withName("bbmLen"), U64.withName("ibmStart"), U64.withName("ibmLen"),
            U64.withName("itabStart"), U64.withName("itabLen"), U64.withName("rmapStart"), U64.withName("rmapLen"),
            U64.withName("dataStart"), U64.withName("inodeCount"), U64.withName("rootIno"),
            U64.withName("tailSeq"), U64.withName("tailPos"), U32.withName("defaultOptions"), U32.withName("clean"),
            U32.withName("dataParity"), U32.withName("metaReplicas"));
    private static final MediaStruct.Int32 F_VERSION = LAYOUT.u32("version");
    private static final MediaStruct.Int32 F_MIN_READ = LAYOUT.u32("minReadVersion");
    private static final MediaStruct.Long64 F_TOTAL = LAYOUT.u64("totalBlocks");
    private static final MediaStruct.Long64 F_JSTART = LAYOUT.u64("journalStart");
    private static final MediaStruct.Long64 F_JLEN = LAYOUT.u64("journalLen");
    private static final MediaStruct.Long64 F_BBM = LAYOUT.u64("bbmStart");
    private static final MediaStruct.Long64 F_BBMLEN = LAYOUT.u64("bbmLen");
    private static final MediaStruct.Long64 F_IBM = LAYOUT.u64("ibmStart");
    private static final MediaStruct.Long64 F_IBMLEN = LAYOUT.u64("ibmLen");
    private static final MediaStruct.Long64 F_ITAB = LAYOUT.u64("itabStart");
    private static final MediaStruct.Long64 F_ITABLEN = LAYOUT.u64("itabLen");
    private static final MediaStruct.Long64 F_RMAP = LAYOUT.u64("rmapStart");
    private static final MediaStruct.Long64 F_RMAPLEN = LAYOUT.u64("rmapLen");
    private static final MediaStruct.Long64 F_DATA = LAYOUT.u64("dataStart");
    private static final MediaStruct.Long64 F_INODES = LAYOUT.u64("inodeCount");
    private static final MediaStruct.Long64 F_ROOT = LAYOUT.u64("rootIno");
    private static final MediaStruct.Long64 F_TAILSEQ = LAYOUT.u64("tailSeq");
    private static final MediaStruct.Long64 F_TAILPOS = LAYOUT.u64("tailPos");
    private static final MediaStruct.Int32 F_OPTIONS = LAYOUT.u32("defaultOptions");
    private static final MediaStruct.Int32 F_CLEAN = LAYOUT.u32("clean");
    private static final MediaStruct.Int32 F_PARITY = LAYOUT.u32("dataParity");
    private static final MediaStruct.Int32 F_REPLICAS = LAYOUT.u32("metaReplicas");

    Superblock(Geometry geometry, int fsid, long rootIno, long tailSeq, long tailPos, MountOptions defaults,
            boolean clean, int dataParity) {
        this(geometry, fsid, rootIno, tailSeq, tailPos, defaults, clean, dataParity, VERSION);
    }

    Superblock withTail(long seq, long pos, boolean clean) {
        return new Superblock(geometry, fsid, rootIno, seq, pos, defaults, clean, dataParity, VERSION);
    }

    byte[] encode(long blockNo) {
        byte[] img = new byte[MetaBlock.SIZE];
        MemorySegment s = MediaStruct.of(img);
        Geometry g = geometry;
        F_VERSION.set(s, 0, VERSION);
        F_MIN_READ.set(s, 0, dataParity > 0 ? MIN_READ_VERSION_PARITY
                : g.replicas() > 1 ? MIN_READ_REPLICAS : MIN_READ_VERSION);
        F_REPLICAS.set(s, 0, g.replicas());
        F_TOTAL.set(s, 0, g.totalBlocks());
        F_JSTART.set(s, 0, g.journalStart());
        F_JLEN.set(s, 0, g.journalLen());
        F_BBM.set(s, 0, g.bbmStart());
        F_BBMLEN.set(s, 0, g.bbmLen());
        F_IBM.set(s, 0, g.ibmStart());
        F_IBMLEN.set(s, 0, g.ibmLen());
        F_ITAB.set(s, 0, g.itabStart());
        F_ITABLEN.set(s, 0, g.itabLen());
        F_RMAP.set(s, 0, g.rmapStart());
        F_RMAPLEN.set(s, 0, g.rmapLen());
        F_DATA.set(s, 0, g.dataStart());
        F_INODES.set(s, 0, g.inodeCount());
        F_ROOT.set(s, 0, rootIno);
        F_TAILSEQ.set(s, 0, tailSeq);
        F_TAILPOS.set(s, 0, tailPos);
        int opts = (defaults.recoveryWrite() ? 1 : 0)
                | (defaults.zeroRange() == MountOptions.ZeroRange.ZEROINIT ? 2 : 0)
                | (defaults.zeroinit() ? 4 : 0)
                // bits 3-4: write_zeroes, 0 absent (what images made before the switch hold), 1 nooffload, 2 zero
                | defaults.writeZeroes().ordinal() << 3;
        F_OPTIONS.set(s, 0, opts);
        F_CLEAN.set(s, 0, clean ? 1 : 0);
        F_PARITY.set(s, 0, dataParity);
        MetaBlock.seal(img, MetaBlock.MAGIC_SUPER, blockNo, fsid);
        return img;
    }

    /** Decodes a superblock copy; the fsid is read from the block itself (there is nothing to compare). */
    static Superblock decode(byte[] img, long blockNo) throws FsCorruptedException {
        MemorySegment s = MediaStruct.of(img);
        int fsid = MetaBlock.fsidOf(img);
        MetaBlock.verify(img, MetaBlock.MAGIC_SUPER, blockNo, fsid, "superblock", false);
        int version = F_VERSION.get(s, 0);
        int minRead = F_MIN_READ.get(s, 0);
        if (minRead > VERSION) {
            throw new FsCorruptedException("mount", blockNo, "superblock", "format version " + version
                    + " needs a reader of version " + minRead + " or later; this pmemfs reads versions "
                    + OLDEST_READABLE + ".." + VERSION + ": use a newer pmemfs");
        }
        if (version < OLDEST_READABLE || minRead < 1 || minRead > version) {
            throw new FsCorruptedException("mount", blockNo, "superblock", "format version " + version
                    + " (oldest reader " + minRead + ") is not a pmemfs format");
        }
        // Images written before version 3 hold 0 here: one copy.
        int replicas = version < 3 && F_REPLICAS.get(s, 0) == 0 ? 1 : F_REPLICAS.get(s, 0);
        if (replicas < 1 || replicas > Geometry.MAX_REPLICAS || (replicas > 1 && minRead < MIN_READ_REPLICAS)) {
            throw new FsCorruptedException("mount", blockNo, "superblock", "impossible field: metadata replicas "
                    + F_REPLICAS.get(s, 0) + " (oldest reader " + minRead + ")");
        }
        Geometry g = new Geometry(F_TOTAL.get(s, 0), F_JSTART.get(s, 0), F_JLEN.get(s, 0), F_BBM.get(s, 0),
                F_BBMLEN.get(s, 0), F_IBM.get(s, 0), F_IBMLEN.get(s, 0), F_ITAB.get(s, 0), F_ITABLEN.get(s, 0),
                F_RMAP.get(s, 0), F_RMAPLEN.get(s, 0), F_DATA.get(s, 0), F_INODES.get(s, 0), replicas);
        if (g.totalBlocks() < Geometry.MIN_BLOCKS || g.totalBlocks() >= Geometry.MAX_BLOCKS || g.inodeCount() < 1
                || g.inodeCount() > g.totalBlocks() * Geometry.INODES_PER_BLOCK || g.journalLen() < 1
                || g.journalLen() > g.totalBlocks()) {
            throw new FsCorruptedException("mount", blockNo, "superblock", "impossible geometry " + g);
        }
        Geometry expected = Geometry.compute(g.totalBlocks(), g.inodeCount(), g.journalLen(), replicas);
        if (!expected.equals(g)) {
            throw new FsCorruptedException("mount", blockNo, "superblock", "inconsistent geometry " + g);
        }
        long root = F_ROOT.get(s, 0);
        long tailPos = F_TAILPOS.get(s, 0);
        int opts = F_OPTIONS.get(s, 0);
        int clean = F_CLEAN.get(s, 0);
        // Versions before 3 never wrote the field (a zero there then).
        int parity = version >= 3 ? F_PARITY.get(s, 0) : 0;
        if (root < 1 || root > g.inodeCount() || tailPos < 0 || tailPos > g.journalLen() || (opts & ~0x1f) != 0
                || (opts >>> 3) >= MountOptions.WriteZeroes.values().length
                || (clean & ~1) != 0 || parity < 0 || parity > MAX_DATA_PARITY
                || (parity > 0 && minRead < MIN_READ_VERSION_PARITY)) {
            throw new FsCorruptedException("mount", blockNo, "superblock", "impossible field: root inode " + root
                    + ", journal tail position " + tailPos + ", options 0x" + Integer.toHexString(opts)
                    + ", clean flag " + clean + ", data parity " + parity + " (oldest reader " + minRead + ")");
        }
        MountOptions defaults = new MountOptions((opts & 1) != 0,
                (opts & 2) != 0 ? MountOptions.ZeroRange.ZEROINIT : MountOptions.ZeroRange.UNWRITTEN, (opts & 4) != 0,
                MountOptions.WriteZeroes.values()[opts >>> 3]);
        return new Superblock(g, fsid, root, F_TAILSEQ.get(s, 0), tailPos, defaults, clean == 1, parity, version);
    }
}
