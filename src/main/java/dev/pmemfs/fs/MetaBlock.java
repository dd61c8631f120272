package dev.pmemfs.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The 16-byte header every metadata block starts with, and its CRC32C (see docs/FORMAT.md):
 * {@code u32 magic, u32 crc32c, u32 block number, u32 fsid}. The checksum covers the whole block with
 * the crc field taken as zero; the block number catches misdirected writes and the fsid catches blocks
 * left over from an earlier mkfs.
 */
final class MetaBlock {
    static final int SIZE = FileSystem.BLOCK_SIZE;
    static final int HEADER = 16;
    static final int OFF_MAGIC = 0;
    static final int OFF_CRC = 4;
    static final int OFF_BLOCKNO = 8;
    static final int OFF_FSID = 12;

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

    static ByteBuffer le(byte[] img) {
        return ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
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
        ByteBuffer b = le(img);
        b.putInt(OFF_MAGIC, magic);
        b.putInt(OFF_BLOCKNO, (int) blockNo);
        b.putInt(OFF_FSID, fsid);
        b.putInt(OFF_CRC, crc(img));
    }

    /** The fsid a block's header names. */
    static int fsidOf(byte[] img) {
        return le(img).getInt(OFF_FSID);
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
        ByteBuffer b = le(img);
        int foundFsid = b.getInt(OFF_FSID);
        if (staleIsEmpty && (allZero(img) || (foundFsid != fsid && b.getInt(OFF_MAGIC) == magic
                && b.getInt(OFF_CRC) == crc(img)))) {
            return false;
        }
        if (b.getInt(OFF_MAGIC) != magic) {
            throw new FsCorruptedException("read_meta", blockNo, structure, String.format(
                    "bad magic: expected 0x%08x, found 0x%08x", magic, b.getInt(OFF_MAGIC)));
        }
        int stored = b.getInt(OFF_CRC);
        int computed = crc(img);
        if (stored != computed) {
            throw new FsCorruptedException("read_meta", blockNo, structure, String.format(
                    "bad checksum: stored crc32c 0x%08x, computed 0x%08x", stored, computed));
        }
        if ((b.getInt(OFF_BLOCKNO) & 0xffffffffL) != (blockNo & 0xffffffffL)) {
            throw new FsCorruptedException("read_meta", blockNo, structure,
                    "misdirected block: header names block " + (b.getInt(OFF_BLOCKNO) & 0xffffffffL));
        }
        if (foundFsid != fsid) {
            throw new FsCorruptedException("read_meta", blockNo, structure, String.format(
                    "belongs to another filesystem: fsid 0x%08x, expected 0x%08x", foundFsid, fsid));
        }
        return true;
    }
}
