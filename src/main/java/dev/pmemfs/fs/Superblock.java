package dev.pmemfs.fs;

import java.nio.ByteBuffer;

/**
 * The superblock, kept twice (blocks 0 and 1, as H2 keeps its store header twice): geometry, the
 * filesystem id, the journal tail and the default mount options.
 *
 * <pre>
 * offset size field
 *  0     16   metadata header (magic "PSB1", crc32c, block number, fsid)
 *  16    4    format version written (1)
 *  20    4    oldest version that can read this image (1)
 *  24    8    total blocks            32  8  journal start   40 8 journal length
 *  48    8    block bitmap start      56  8  block bitmap length
 *  64    8    inode bitmap start      72  8  inode bitmap length
 *  80    8    inode table start       88  8  inode table length
 *  96    8    rmap start             104  8  rmap length
 *  112   8    data start             120  8  inode count
 *  128   8    root inode number
 *  136   8    journal tail sequence  144  8  journal tail position (block within the journal)
 *  152   4    default mount options (bit 0 recovery_write, bit 1 zero_range=zeroinit, bit 2 zeroinit)
 *  156   4    clean unmount flag (1 when the journal was checkpointed and the fs closed)
 * </pre>
 * Version history: 1 — first format.
 */
record Superblock(Geometry geometry, int fsid, long rootIno, long tailSeq, long tailPos, MountOptions defaults,
        boolean clean) {
    static final int VERSION = 1;
    static final int MIN_READ_VERSION = 1;

    Superblock withTail(long seq, long pos, boolean clean) {
        return new Superblock(geometry, fsid, rootIno, seq, pos, defaults, clean);
    }

    byte[] encode(long blockNo) {
        byte[] img = new byte[MetaBlock.SIZE];
        ByteBuffer b = MetaBlock.le(img);
        Geometry g = geometry;
        b.putInt(16, VERSION).putInt(20, MIN_READ_VERSION);
        b.putLong(24, g.totalBlocks()).putLong(32, g.journalStart()).putLong(40, g.journalLen());
        b.putLong(48, g.bbmStart()).putLong(56, g.bbmLen()).putLong(64, g.ibmStart()).putLong(72, g.ibmLen());
        b.putLong(80, g.itabStart()).putLong(88, g.itabLen()).putLong(96, g.rmapStart()).putLong(104, g.rmapLen());
        b.putLong(112, g.dataStart()).putLong(120, g.inodeCount()).putLong(128, rootIno);
        b.putLong(136, tailSeq).putLong(144, tailPos);
        int opts = (defaults.recoveryWrite() ? 1 : 0)
                | (defaults.zeroRange() == MountOptions.ZeroRange.ZEROINIT ? 2 : 0)
                | (defaults.zeroinit() ? 4 : 0);
        b.putInt(152, opts).putInt(156, clean ? 1 : 0);
        MetaBlock.seal(img, MetaBlock.MAGIC_SUPER, blockNo, fsid);
        return img;
    }

    /** Decodes a superblock copy; the fsid is read from the block itself (there is nothing to compare). */
    static Superblock decode(byte[] img, long blockNo) throws FsCorruptedException {
        ByteBuffer b = MetaBlock.le(img);
        int fsid = b.getInt(MetaBlock.OFF_FSID);
        MetaBlock.verify(img, MetaBlock.MAGIC_SUPER, blockNo, fsid, "superblock", false);
        int version = b.getInt(16);
        int minRead = b.getInt(20);
        if (minRead > VERSION) {
            throw new FsCorruptedException("mount", blockNo, "superblock", "format version " + version
                    + " needs a reader of version " + minRead + " or later; this is version " + VERSION);
        }
        Geometry g = new Geometry(b.getLong(24), b.getLong(32), b.getLong(40), b.getLong(48), b.getLong(56),
                b.getLong(64), b.getLong(72), b.getLong(80), b.getLong(88), b.getLong(96), b.getLong(104),
                b.getLong(112), b.getLong(120));
        Geometry expected = Geometry.compute(g.totalBlocks(), g.inodeCount(), g.journalLen());
        if (!expected.equals(g)) {
            throw new FsCorruptedException("mount", blockNo, "superblock", "inconsistent geometry " + g);
        }
        int opts = b.getInt(152);
        MountOptions defaults = new MountOptions((opts & 1) != 0,
                (opts & 2) != 0 ? MountOptions.ZeroRange.ZEROINIT : MountOptions.ZeroRange.UNWRITTEN, (opts & 4) != 0);
        return new Superblock(g, fsid, b.getLong(128), b.getLong(136), b.getLong(144), defaults, b.getInt(156) == 1);
    }
}
