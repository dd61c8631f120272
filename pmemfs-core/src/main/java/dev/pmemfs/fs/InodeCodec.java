package dev.pmemfs.fs;

import static dev.pmemfs.fs.MediaStruct.U16;
import static dev.pmemfs.fs.MediaStruct.U32;
import static dev.pmemfs.fs.MediaStruct.U64;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The on-media inode (a 272-byte slot of an inode-table block) and the extent record, declared once
 * and used by both directions, and the validation of every decoded field (xfs_dinode_verify's job):
 * a value a correct filesystem never writes is corruption (EUCLEAN), never trusted. Cross-structure
 * agreement (block counts against extents, link counts against directories) is fsck's, which can
 * repair it; what is checked here is what no repair could make sense of or what would make the
 * code misbehave (a negative count, a size past the largest file, an extent outside the device).
 *
 * <pre>
 * inode: mode u32 | uid u32 | gid u32 | nlink u32 | size u64 | blocks u64 | flags u32 | generation u32
 *        | atime u64 | mtime u64 | ctime u64 | parent u64 | format u16 | pointers u16 | count u32 | fork[192]
 * fork by format: 0 up to 8 extents | 1 up to 24 leaf block numbers | 2 up to 24 index block numbers
 *                 | 3 u64 device number (rdev) | 4 inline symlink target (count bytes)
 * extent: file block u64 | device block u64 | count u32 | flags u32 (bit 0 unwritten)
 * </pre>
 */
final class InodeCodec {
    static final MediaStruct INODE = new MediaStruct(
            U32.withName("mode"), U32.withName("uid"), U32.withName("gid"), U32.withName("nlink"),
            U64.withName("size"), U64.withName("blocks"), U32.withName("flags"), U32.withName("generation"),
            U64.withName("atime"), U64.withName("mtime"), U64.withName("ctime"), U64.withName("parent"),
            U16.withName("format"), U16.withName("pointers"), U32.withName("count"),
            MediaStruct.bytes(192, "fork"));
    static final MediaStruct EXTENT = new MediaStruct(
            U64.withName("fileBlock"), U64.withName("devBlock"), U32.withName("count"), U32.withName("flags"));

    private static final MediaStruct.Int32 MODE = INODE.u32("mode");
    private static final MediaStruct.Int32 UID = INODE.u32("uid");
    private static final MediaStruct.Int32 GID = INODE.u32("gid");
    private static final MediaStruct.Int32 NLINK = INODE.u32("nlink");
    private static final MediaStruct.Long64 SIZE = INODE.u64("size");
    private static final MediaStruct.Long64 BLOCKS = INODE.u64("blocks");
    private static final MediaStruct.Int32 FLAGS = INODE.u32("flags");
    private static final MediaStruct.Int32 GENERATION = INODE.u32("generation");
    private static final MediaStruct.Long64 ATIME = INODE.u64("atime");
    private static final MediaStruct.Long64 MTIME = INODE.u64("mtime");
    private static final MediaStruct.Long64 CTIME = INODE.u64("ctime");
    private static final MediaStruct.Long64 PARENT = INODE.u64("parent");
    private static final MediaStruct.Short16 FORMAT = INODE.u16("format");
    private static final MediaStruct.Short16 POINTERS = INODE.u16("pointers");
    private static final MediaStruct.Int32 COUNT = INODE.u32("count");
    static final long FORK = INODE.offset("fork");
    static final int FORK_SIZE = 192;

    private static final MediaStruct.Long64 X_FILE = EXTENT.u64("fileBlock");
    private static final MediaStruct.Long64 X_DEV = EXTENT.u64("devBlock");
    private static final MediaStruct.Int32 X_COUNT = EXTENT.u32("count");
    private static final MediaStruct.Int32 X_FLAGS = EXTENT.u32("flags");
    static final int EXTENT_SIZE = (int) EXTENT.size();

    /** Fork formats. */
    static final int FMT_EXTENTS = 0;
    static final int FMT_LEAVES = 1;
    static final int FMT_INDEX = 2;
    static final int FMT_DEV = 3;
    static final int FMT_LOCAL = 4;

    static final int INLINE_EXTENTS = FORK_SIZE / EXTENT_SIZE;
    /** Pointers the inode holds (to leaves in format 1, to index blocks in format 2). */
    static final int INODE_POINTERS = FORK_SIZE / 8;
    /** Longest symlink target kept in the inode; longer ones (up to {@link #SYMLINK_MAX}) get a block. */
    static final int INLINE_TARGET = FORK_SIZE;
    /** Longest symlink target: XFS refuses XFS_SYMLINK_MAXLEN (1024) bytes or more with ENAMETOOLONG. */
    static final int SYMLINK_MAX = 1023;
    /** Extents a file may have; leaves stay at least half full in practice, so the index never fills. */
    static final int MAX_EXTENTS = 500_000;
    /** XFS_MAXLINK. */
    static final int MAX_LINK = Integer.MAX_VALUE;
    static final int KNOWN_FLAGS = InodeAttr.FS_IMMUTABLE_FL | InodeAttr.FS_APPEND_FL;

    static {
        if (INODE.size() != Geometry.INODE_SIZE || EXTENT_SIZE != 24) {
            throw new AssertionError("inode layout is " + INODE.size() + " bytes, geometry says "
                    + Geometry.INODE_SIZE);
        }
    }

    /** An inode as decoded from its slot: the in-core inode and the fork pointers still to be read. */
    record Slot(Inode inode, int format, long[] pointers, int extentCount) {}

    private final Geometry g;
    private final long maxBytes;

    InodeCodec(Geometry g, long maxBytes) {
        this.g = g;
        this.maxBytes = maxBytes;
    }

    /**
     * Decodes the inode at byte {@code off} of inode-table image {@code img}; null for a free slot. Inline
     * extents, the device number and an inline symlink target are decoded; leaf and index pointers are
     * returned for {@link ExtentListBlocks} to read. EUCLEAN naming the field for any impossible value.
     */
    Slot decode(byte[] img, int off, long ino) throws FsCorruptedException {
        MemorySegment s = MediaStruct.of(img);
        int mode = MODE.get(s, off);
        if (mode == 0) {
            return null;
        }
        Inode in = new Inode(ino);
        in.type = FileType.ofMode(mode);
        if (in.type == null) {
            throw bad(ino, "unknown file type 0" + Integer.toOctalString(mode & FileType.S_IFMT));
        }
        if ((mode & ~(FileType.S_IFMT | 07777)) != 0) {
            throw bad(ino, "mode 0" + Integer.toOctalString(mode) + " has bits outside S_IFMT and 07777");
        }
        in.mode = mode & 07777;
        in.uid = UID.get(s, off);
        in.gid = GID.get(s, off);
        in.nlink = NLINK.get(s, off);
        if (in.nlink < 0 || (in.isDir() && in.nlink == 1)) {
            throw bad(ino, "link count " + NLINK.getUnsigned(s, off) + " for a " + in.type);
        }
        in.size = SIZE.get(s, off);
        if (in.size < 0 || in.size > maxBytes) {
            throw bad(ino, "size " + in.size + " is outside 0.." + maxBytes + " (the largest file)");
        }
        in.blocks = BLOCKS.get(s, off);
        if (in.blocks < 0 || in.blocks > g.totalBlocks()) {
            throw bad(ino, "owns " + in.blocks + " blocks, the device has " + g.totalBlocks());
        }
        in.flags = FLAGS.get(s, off);
        if ((in.flags & ~KNOWN_FLAGS) != 0) {
            throw bad(ino, String.format("unknown flags 0x%x", in.flags & ~KNOWN_FLAGS));
        }
        in.generation = GENERATION.get(s, off);
        in.atimeNs = ATIME.get(s, off);
        in.mtimeNs = MTIME.get(s, off);
        in.ctimeNs = CTIME.get(s, off);
        in.parent = PARENT.get(s, off);
        if (in.parent <= 0 || in.parent > g.inodeCount()) {
            throw bad(ino, "parent inode " + in.parent + " is outside 1.." + g.inodeCount());
        }
        int format = FORMAT.get(s, off);
        int pointers = POINTERS.get(s, off);
        long count = COUNT.getUnsigned(s, off);
        long fork = off + FORK;
        boolean special = in.type.special();
        switch (format) {
            case FMT_EXTENTS -> {
                if (special || count > INLINE_EXTENTS || pointers != 0) {
                    throw badFork(ino, in, format, pointers, count);
                }
                List<Extent> list = new ArrayList<>((int) count);
                for (int i = 0; i < count; i++) {
                    list.add(decodeExtent(s, fork + (long) EXTENT_SIZE * i, ino, g.itabBlock(ino), "inode table"));
                }
                checkOrder(list, ino, g.itabBlock(ino), "inode table");
                in.extents = new ExtentMap(list);
                if (in.type == FileType.SYMLINK && (count != 1 || list.getFirst().fileBlock() != 0
                        || list.getFirst().count() != 1 || in.size <= INLINE_TARGET || in.size > SYMLINK_MAX)) {
                    throw bad(ino, "symlink of " + in.size + " bytes with " + count + " extents");
                }
                return new Slot(in, format, new long[0], (int) count);
            }
            case FMT_LEAVES, FMT_INDEX -> {
                if (special || in.type == FileType.SYMLINK || pointers == 0 || pointers > INODE_POINTERS
                        || count <= INLINE_EXTENTS || count > MAX_EXTENTS) {
                    throw badFork(ino, in, format, pointers, count);
                }
                long[] ptrs = new long[pointers];
                for (int k = 0; k < pointers; k++) {
                    ptrs[k] = checkedBlock(s.get(U64, fork + 8L * k), ino, "extent-list block");
                }
                return new Slot(in, format, ptrs, (int) count);
            }
            case FMT_DEV -> {
                if (!special || pointers != 0 || count != 0 || in.size != 0) {
                    throw badFork(ino, in, format, pointers, count);
                }
                in.rdev = s.get(U64, fork);
                return new Slot(in, format, new long[0], 0);
            }
            case FMT_LOCAL -> {
                if (in.type != FileType.SYMLINK || pointers != 0 || count == 0 || count > INLINE_TARGET
                        || count != in.size) {
                    throw badFork(ino, in, format, pointers, count);
                }
                byte[] target = new byte[(int) count];
                MemorySegment.copy(s, fork, MemorySegment.ofArray(target), 0, count);
                in.target = checkTarget(target, ino, g.itabBlock(ino), "inode table");
                return new Slot(in, format, new long[0], 0);
            }
            default -> throw badFork(ino, in, format, pointers, count);
        }
    }

    /** Encodes {@code in} into its slot; {@code pointers} for formats 1 and 2, {@code extents} for format 0. */
    static void encode(byte[] img, int off, Inode in, int format, long[] pointers, List<Extent> extents) {
        MemorySegment s = MediaStruct.of(img);
        s.asSlice(off, INODE.size()).fill((byte) 0);
        MODE.set(s, off, in.type.ifmt() | (in.mode & 07777));
        UID.set(s, off, in.uid);
        GID.set(s, off, in.gid);
        NLINK.set(s, off, in.nlink);
        SIZE.set(s, off, in.size);
        BLOCKS.set(s, off, in.blocks);
        FLAGS.set(s, off, in.flags);
        GENERATION.set(s, off, in.generation);
        ATIME.set(s, off, in.atimeNs);
        MTIME.set(s, off, in.mtimeNs);
        CTIME.set(s, off, in.ctimeNs);
        PARENT.set(s, off, in.parent);
        FORMAT.set(s, off, format);
        long fork = off + FORK;
        switch (format) {
            case FMT_EXTENTS -> {
                COUNT.set(s, off, extents.size());
                for (int i = 0; i < extents.size(); i++) {
                    encodeExtent(s, fork + (long) EXTENT_SIZE * i, extents.get(i));
                }
            }
            case FMT_LEAVES, FMT_INDEX -> {
                POINTERS.set(s, off, pointers.length);
                COUNT.set(s, off, extents.size());
                for (int k = 0; k < pointers.length; k++) {
                    s.set(U64, fork + 8L * k, pointers[k]);
                }
            }
            case FMT_DEV -> s.set(U64, fork, in.rdev);
            case FMT_LOCAL -> {
                byte[] t = in.target.getBytes(StandardCharsets.UTF_8);
                COUNT.set(s, off, t.length);
                MemorySegment.copy(MemorySegment.ofArray(t), 0, s, fork, t.length);
            }
            default -> throw new IllegalArgumentException("fork format " + format);
        }
    }

    /** Decodes and checks one extent record at {@code base} of a block. */
    Extent decodeExtent(MemorySegment s, long base, long ino, long block, String structure)
            throws FsCorruptedException {
        long fb = X_FILE.get(s, base);
        long dev = X_DEV.get(s, base);
        long count = X_COUNT.getUnsigned(s, base);
        int flags = X_FLAGS.get(s, base);
        long maxFileBlocks = Math.ceilDiv(maxBytes, FileSystem.BLOCK_SIZE);
        if (fb < 0 || count == 0 || count > Extent.MAX_COUNT || fb > maxFileBlocks - count || dev < g.dataStart()
                || dev > g.totalBlocks() - count || (flags & ~1) != 0) {
            throw new FsCorruptedException("iget", block, structure, "inode " + ino + " has an invalid extent "
                    + fb + "+" + count + "@" + dev + String.format(" flags 0x%x", flags) + " (data area "
                    + g.dataStart() + ".." + g.totalBlocks() + ")");
        }
        return new Extent(fb, dev, count, (flags & 1) != 0);
    }

    static void encodeExtent(MemorySegment s, long base, Extent e) {
        X_FILE.set(s, base, e.fileBlock());
        X_DEV.set(s, base, e.devBlock());
        X_COUNT.set(s, base, (int) e.count());
        X_FLAGS.set(s, base, e.unwritten() ? 1 : 0);
    }

    /** Extents must be in file order and must not overlap (each starts at or after the previous end). */
    static void checkOrder(List<Extent> list, long ino, long block, String structure) throws FsCorruptedException {
        for (int i = 1; i < list.size(); i++) {
            if (list.get(i).fileBlock() < list.get(i - 1).end()) {
                throw new FsCorruptedException("iget", block, structure, "inode " + ino + " extents "
                        + list.get(i - 1) + " and " + list.get(i) + " are out of order or overlap");
            }
        }
    }

    /** A block number that must lie in the data area. */
    long checkedBlock(long ptr, long ino, String what) throws FsCorruptedException {
        if (ptr < g.dataStart() || ptr >= g.totalBlocks()) {
            throw bad(ino, what + " " + ptr + " is outside the data area " + g.dataStart() + ".." + g.totalBlocks());
        }
        return ptr;
    }

    /** A symlink target: 1..1023 bytes of valid UTF-8 without NUL. */
    static String checkTarget(byte[] t, long ino, long block, String structure) throws FsCorruptedException {
        var dec = StandardCharsets.UTF_8.newDecoder();
        String s;
        try {
            s = dec.decode(java.nio.ByteBuffer.wrap(t)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new FsCorruptedException("iget", block, structure, "symlink " + ino + " target is not UTF-8");
        }
        if (t.length == 0 || t.length > SYMLINK_MAX || s.indexOf('\0') >= 0) {
            throw new FsCorruptedException("iget", block, structure, "symlink " + ino + " has a target of "
                    + t.length + " bytes or with a NUL");
        }
        return s;
    }

    private FsCorruptedException bad(long ino, String why) {
        return new FsCorruptedException("iget", g.itabBlock(ino), "inode table", "inode " + ino + " " + why);
    }

    private FsCorruptedException badFork(long ino, Inode in, int format, int pointers, long count) {
        return bad(ino, "(" + in.type + ", size " + in.size + ") has fork format " + format + " with " + pointers
                + " pointers and count " + count);
    }
}
