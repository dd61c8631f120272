package dev.pmemfs.fs;

import static dev.pmemfs.fs.MediaStruct.U32;
import static dev.pmemfs.fs.MediaStruct.U64;

import dev.pmemfs.errno.ErrnoException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * The block holding a symlink target too long for the inode (193..1023 bytes; XFS's remote symlink
 * block, xfs_symlink_remote.c): file block 0 of the symlink, journaled and checksummed like a
 * directory block.
 *
 * <pre>
 * header (magic "PSYM") | owner inode u64 | target length u32 | reserved u32 | target bytes
 * </pre>
 */
final class SymlinkBlock {
    static final MediaStruct LAYOUT = new MediaStruct(MediaStruct.bytes(MetaBlock.HEADER, "header"),
            U64.withName("owner"), U32.withName("length"), U32.withName("reserved"));
    private static final MediaStruct.Long64 OWNER = LAYOUT.u64("owner");
    private static final MediaStruct.Int32 LENGTH = LAYOUT.u32("length");
    private static final int FIRST = (int) LAYOUT.size();

    private SymlinkBlock() {}

    static byte[] encode(long ino, String target) {
        byte[] img = new byte[MetaBlock.SIZE];
        byte[] t = target.getBytes(StandardCharsets.UTF_8);
        MemorySegment s = MediaStruct.of(img);
        OWNER.set(s, 0, ino);
        LENGTH.set(s, 0, t.length);
        System.arraycopy(t, 0, img, FIRST, t.length);
        return img;
    }

    /** Reads the target of symlink {@code in} from its block, checking owner and length against the inode. */
    static String read(MetaStore meta, Inode in) throws ErrnoException {
        Extent x = in.extents.find(0);
        if (x == null) {
            throw new FsCorruptedException("readlink", meta.geometry().itabBlock(in.ino), "inode table",
                    "symlink " + in.ino + " of " + in.size + " bytes has no target block");
        }
        byte[] img = meta.get(x.devBlock(), MetaBlock.MAGIC_SYMLINK, "symlink", false);
        MemorySegment s = MediaStruct.of(img);
        long len = LENGTH.getUnsigned(s, 0);
        if (OWNER.get(s, 0) != in.ino || len != in.size || len > InodeCodec.SYMLINK_MAX) {
            throw new FsCorruptedException("readlink", x.devBlock(), "symlink", "owner " + OWNER.get(s, 0)
                    + " length " + len + ", expected inode " + in.ino + " and " + in.size + " bytes");
        }
        byte[] t = java.util.Arrays.copyOfRange(img, FIRST, FIRST + (int) len);
        return InodeCodec.checkTarget(t, in.ino, x.devBlock(), "symlink");
    }
}
