package dev.pmemfs.fs;

import java.util.zip.CRC32C;

/**
 * The 16-byte header every metadata block starts with, and its CRC32C (see docs/FORMAT.md):
 * {@code u32 magic, u32 crc32c, u32 block number, u32 fsid}. The checksum covers the whole block with
 * the crc field taken as zero; the block number catches misdirected writes and the fsid catches blocks
 * left over from an earlier mkfs.
 */
final class MetaBlock {
    static final int SIZE = FileSystem.BLOCK_SIZE;
    static final MediaStruct LAYOUT = new MediaStruct(MediaStruct.U32.withName("magic"),
            MediaStruct.U32.withName("crc32c"), MediaStruct.U32.withName("blockNo"), MediaStruct.U32.withName("fsid"));
    static final int HEADER = (int) LAYOUT.size();
    static final int OFF_MAGIC = (int) LAYOUT.offset("magic");
    static final int OFF_CRC = (int) LAYOUT.offset("crc32c");
    static final int OFF_BLOCKNO = (int) LAYOUT.offset("blockNo");
    static final int OFF_FSID = (int) LAYOUT.offset("fsid");
    private static final MediaStruct.Int32 MAGIC = LAYOUT.u32("magic");
    private static final MediaStruct.Int32 CRC = LAYOUT.u32("crc32c");
    private static final MediaStruct.Int32 BLOCKNO = LAYOUT.u32("blockNo");
    private static final MediaStruct.Int32 FSID = LAYOUT.u32("fsid");

    static final int MAGIC_SUPER = 0x50534231; // "PSB1"
    static final int MAGIC_ORPHAN = 0x504f524c; // "PORL"
    static final int MAGIC_JOURNAL = 0x504a524e; // "PJRN"
    static final int MAGIC_BBITMAP = 0x50424d50; // "PBMP"
    static final int MAGIC_IBITMAP = 0x50494d50; // "PIMP"
    static final int MAGIC_INODES = 0x50494e4f; // "PINO"
    static final int MAGIC_RMAP = 0x50524d50; // "PRMP"
    static final int MAGIC_EXTENTS = 0x50455854; // "PEXT"
    static final int MAGIC_DIR = 0x50444952; // "PDIR"
    static final int MAGIC_EXTINDEX = 0x50455849; // "PEXI"
    static final int MAGIC_SYMLINK = 0x5053594d; // "PSYM"

    private MetaBlock() {}

    static int magicOf(byte[] img) {
        return MAGIC.get(MediaStruct.of(img), 0);
    }

    static int crcOf(byte[] img) {
        return CRC.get(MediaStruct.of(img), 0);
    }

    /** The block number the header names (u32). */
    static long blockNoOf(byte[] img) {
        return BLOCKNO.getUnsigned(MediaStruct.of(img), 0);
    }

    /** Whether {@code magic} is one of the metadata magics above. */
    static boolean knownMagic(int magic) {
        return switch (magic) {
            case MAGIC_SUPER, MAGIC_ORPHAN, MAGIC_JOURNAL, MAGIC_BBITMAP, MAGIC_IBITMAP, MAGIC_INODES, MAGIC_RMAP,
                    MAGIC_EXTENTS, MAGIC_DIR, MAGIC_EXTINDEX, MAGIC_SYMLINK -> true;
            default -> false;
        };
    }

    static int crc(byte[] img) {
        CRC32C c = new CRC32C();
        c.update(img, 0, OFF_CRC);
        c.update(new byte[4]);
        c.update(img, OFF_CRC + 4, img.length - OFF_CRC - 4);
        return (int) c.getValue();
    }

    /** Writes the header (magic, block number, fsid) and the checksum over the finished block. */
    static void seal(byte[] img, int magic, long blockNo, int fsid) {
        var s = MediaStruct.of(img);
        MAGIC.set(s, 0, magic);
        BLOCKNO.set(s, 0, (int) blockNo);
        FSID.set(s, 0, fsid);
        CRC.set(s, 0, crc(img));
    }

    /** The fsid a block's header names. */
    static int fsidOf(byte[] img) {
        return FSID.get(MediaStruct.of(img), 0);
    }

    static boolean allZero(byte[] img) {
        for (byte x : img) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks magic, block number, fsid and checksum.
     *
     * @param staleIsEmpty for lazily initialised structures (inode table, rmap): a block never written
     *     by this filesystem (all zero, or sealed under another fsid) reads as empty
     * @return true when the block holds data of this filesystem, false when it is empty (only when
     *     {@code staleIsEmpty})
     */
    static boolean verify(byte[] img, int magic, long blockNo, int fsid, String structure, boolean staleIsEmpty)
            throws FsCorruptedException {
        int foundFsid = fsidOf(img);
        if (staleIsEmpty && (allZero(img) || (foundFsid != fsid && magicOf(img) == magic
                && crcOf(img) == crc(img)))) {
            return false;
        }
        if (magicOf(img) != magic) {
            throw new FsCorruptedException("read_meta", blockNo, structure, String.format(
                    "bad magic: expected 0x%08x, found 0x%08x", magic, magicOf(img)));
        }
        int stored = crcOf(img);
        int computed = crc(img);
        if (stored != computed) {
            throw new FsCorruptedException("read_meta", blockNo, structure, String.format(
                    "bad checksum: stored crc32c 0x%08x, computed 0x%08x", stored, computed));
        }
        if (blockNoOf(img) != (blockNo & 0xffffffffL)) {
            throw new FsCorruptedException("read_meta", blockNo, structure,
                    "misdirected block: header names block " + blockNoOf(img));
        }
        if (foundFsid != fsid) {
            throw new FsCorruptedException("read_meta", blockNo, structure, String.format(
                    "belongs to another filesystem: fsid 0x%08x, expected 0x%08x", foundFsid, fsid));
        }
        return true;
    }
}
