package dev.pmemfs.fs;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A directory in core: its blocks of entries and a hash index over all names, built on first use
 * (the whole directory is read once, then every lookup is O(1)), like a dcache that never misses.
 *
 * <pre>
 * directory block (file block i of the directory inode, always a written extent):
 *  header (magic "PDIR") | directory inode u64 | entry count u32 | reserved u32
 *  entries: inode u64 | type u8 (FileType codes 1..7) | name length u8 | name (UTF-8), padded to 8 bytes
 * </pre>
 * Both are declared once ({@link #BLOCK}, {@link #ENTRY}). Every decoded field is checked: a block of
 * another directory, an entry count the block cannot hold, an inode number outside the table, an
 * unknown type, an empty, overlong, non-UTF-8 or reserved name ("." "..", '/', NUL) is corruption.
 * Guarded by the transaction lock.
 */
final class Directory {
    static final int MAX_NAME = 255;
    static final MediaStruct BLOCK = new MediaStruct(MediaStruct.bytes(MetaBlock.HEADER, "header"),
            MediaStruct.U64.withName("dirIno"), MediaStruct.U32.withName("count"), MediaStruct.U32.withName("reserved"));
    static final MediaStruct ENTRY = new MediaStruct(MediaStruct.U64.withName("ino"),
            java.lang.foreign.ValueLayout.JAVA_BYTE.withName("type"), java.lang.foreign.ValueLayout.JAVA_BYTE.withName("nameLen"));
    private static final MediaStruct.Long64 DIR_INO = BLOCK.u64("dirIno");
    private static final MediaStruct.Int32 COUNT = BLOCK.u32("count");
    private static final MediaStruct.Long64 E_INO = ENTRY.u64("ino");
    private static final int E_TYPE = (int) ENTRY.offset("type");
    private static final int E_LEN = (int) ENTRY.offset("nameLen");
    private static final int E_NAME = (int) ENTRY.size();
    private static final int FIRST = (int) BLOCK.size();
    private static final int CAPACITY = MetaBlock.SIZE - FIRST;

    /** One block's entries (insertion order), its used bytes, and its encoded payload when current. */
    static final class Block {
        final LinkedHashMap<String, DirEntry> entries = new LinkedHashMap<>();
        int used;
        /** The block as last encoded, kept current on appends so a create costs one entry's encoding. */
        byte[] img;
    }

    private final Inode inode;
    private final List<Block> blocks = new ArrayList<>();
    private final HashMap<String, Integer> index = new HashMap<>();
    private int subdirs;
    private int spaceHint;

    Directory(Inode inode) {
        this.inode = inode;
    }

    static int entrySize(String name) {
        return (E_NAME + name.getBytes(StandardCharsets.UTF_8).length + 7) & ~7;
    }

    /** Reads every block of the directory (first use only). */
    static Directory load(Inode dir, MetaStore meta) throws ErrnoException {
        Directory d = new Directory(dir);
        long nblocks = dir.size / MetaBlock.SIZE;
        for (long i = 0; i < nblocks; i++) {
            Block blk = new Block();
            for (DirEntry de : readBlock(dir, meta, i)) {
                if (d.index.put(de.name(), (int) i) != null) {
                    throw new FsCorruptedException("readdir", devBlock(dir, i), "directory",
                            "duplicate name \"" + de.name() + "\"");
                }
                blk.entries.put(de.name(), de);
                blk.used += entrySize(de.name());
                if (de.type() == FileType.DIRECTORY) {
                    d.subdirs++;
                }
            }
            d.blocks.add(blk);
        }
        return d;
    }

    /** Device block of directory block {@code i}; -1 when it is not mapped as written. */
    static long devBlock(Inode dir, long i) {
        Extent e = dir.extents.find(i);
        return e == null || e.unwritten() ? -1 : e.devBlock() + (i - e.fileBlock());
    }

    /** The entries of directory block {@code i} in block order, each checked (fsck reads block by block). */
    static List<DirEntry> readBlock(Inode dir, MetaStore meta, long i) throws ErrnoException {
        long dev = devBlock(dir, i);
        if (dev < 0) {
            throw new FsCorruptedException("readdir", -1, "directory", "inode " + dir.ino + " block " + i
                    + " is not mapped");
        }
        byte[] img = meta.get(dev, MetaBlock.MAGIC_DIR, "directory", false);
        var seg = MediaStruct.of(img);
        if (DIR_INO.get(seg, 0) != dir.ino) {
            throw new FsCorruptedException("readdir", dev, "directory", "owned by inode " + DIR_INO.get(seg, 0)
                    + ", expected " + dir.ino);
        }
        long n = COUNT.getUnsigned(seg, 0);
        if (n > CAPACITY / entrySize("x")) {
            throw new FsCorruptedException("readdir", dev, "directory", "entry count " + n
                    + " cannot fit in a block");
        }
        long maxIno = meta.geometry().inodeCount();
        var utf8 = StandardCharsets.UTF_8.newDecoder();
        List<DirEntry> out = new ArrayList<>((int) n);
        int off = FIRST;
        for (int k = 0; k < n; k++) {
            if (off + E_NAME > MetaBlock.SIZE) {
                throw new FsCorruptedException("readdir", dev, "directory", "entries overflow the block");
            }
            long ino = E_INO.get(seg, off);
            FileType type = FileType.ofDirentType(img[off + E_TYPE] & 0xff);
            int len = img[off + E_LEN] & 0xff;
            if (off + E_NAME + len > MetaBlock.SIZE || len == 0 || type == null || ino <= 0 || ino > maxIno) {
                throw new FsCorruptedException("readdir", dev, "directory", "bad entry at byte " + off
                        + ": inode " + ino + ", type " + (img[off + E_TYPE] & 0xff) + ", name length " + len);
            }
            String name;
            try {
                name = utf8.decode(java.nio.ByteBuffer.wrap(img, off + E_NAME, len)).toString();
                checkName("readdir", name);
            } catch (java.nio.charset.CharacterCodingException | ErrnoException bad) {
                throw new FsCorruptedException("readdir", dev, "directory", "entry at byte " + off
                        + " has an invalid name (" + bad.getMessage() + ")");
            }
            for (int p = off + E_NAME + len; p < off + entrySize(name); p++) {
                if (img[p] != 0) {
                    throw new FsCorruptedException("readdir", dev, "directory", "entry at byte " + off
                            + " has non-zero padding");
                }
            }
            out.add(new DirEntry(name, ino, type));
            off += entrySize(name);
        }
        return out;
    }

    DirEntry lookup(String name) {
        Integer bi = index.get(name);
        return bi == null ? null : blocks.get(bi).entries.get(name);
    }

    boolean isEmpty() {
        return index.isEmpty();
    }

    int subdirs() {
        return subdirs;
    }

    int blockCount() {
        return blocks.size();
    }

    /** All entries, sorted by name. */
    List<DirEntry> list() {
        List<DirEntry> out = new ArrayList<>(index.size());
        for (Block b : blocks) {
            out.addAll(b.entries.values());
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    /** The name under which {@code ino} is linked here, or null (unsorted scan, for path()). */
    String nameOf(long ino) {
        for (Block b : blocks) {
            for (DirEntry e : b.entries.values()) {
                if (e.ino() == ino) {
                    return e.name();
                }
            }
        }
        return null;
    }

    /** Index of a block with room for {@code name}, or -1 when a new block is needed. */
    int blockWithRoom(String name) {
        int need = entrySize(name);
        if (spaceHint < blocks.size() && CAPACITY - blocks.get(spaceHint).used >= need) {
            return spaceHint;
        }
        for (int i = blocks.size() - 1; i >= 0; i--) {
            if (CAPACITY - blocks.get(i).used >= need) {
                spaceHint = i;
                return i;
            }
        }
        return -1;
    }

    /** Appends an empty block (the caller has mapped file block {@link #blockCount()}). */
    int addBlock() {
        blocks.add(new Block());
        spaceHint = blocks.size() - 1;
        return blocks.size() - 1;
    }

    /** Makes {@code i} the first block tried for the next insert. */
    void preferBlock(int i) {
        spaceHint = i;
    }

    void add(int blockIndex, DirEntry e) {
        Block b = blocks.get(blockIndex);
        if (b.img != null) {
            encode(b.img, FIRST + b.used, e);
        }
        b.entries.put(e.name(), e);
        b.used += entrySize(e.name());
        index.put(e.name(), blockIndex);
        if (e.type() == FileType.DIRECTORY) {
            subdirs++;
        }
    }

    /** Removes a name; returns the index of the block that changed. */
    int remove(String name) {
        Integer bi = index.remove(name);
        Block b = blocks.get(bi);
        DirEntry e = b.entries.remove(name);
        b.used -= entrySize(name);
        b.img = null; // entries after it move up: re-encode on the next log
        if (e.type() == FileType.DIRECTORY) {
            subdirs--;
        }
        return bi;
    }

    /** Index of the block holding {@code name}. */
    int blockOf(String name) {
        return index.get(name);
    }

    /** Logs directory block {@code i} (device block {@code dev}) into {@code tx}. */
    void logBlock(Transaction tx, int i, long dev) {
        Block blk = blocks.get(i);
        if (blk.img == null) {
            blk.img = new byte[MetaBlock.SIZE];
            int off = FIRST;
            for (DirEntry e : blk.entries.values()) {
                off += encode(blk.img, off, e);
            }
        }
        var seg = MediaStruct.of(blk.img);
        DIR_INO.set(seg, 0, inode.ino);
        COUNT.set(seg, 0, blk.entries.size());
        java.util.Arrays.fill(blk.img, FIRST + blk.used, MetaBlock.SIZE, (byte) 0);
        tx.put(dev, MetaBlock.MAGIC_DIR, blk.img.clone());
    }

    /** Encodes one entry at {@code off}; returns its size. */
    private static int encode(byte[] img, int off, DirEntry e) {
        byte[] nm = e.name().getBytes(StandardCharsets.UTF_8);
        E_INO.set(MediaStruct.of(img), off, e.ino());
        img[off + E_TYPE] = (byte) e.type().direntType();
        img[off + E_LEN] = (byte) nm.length;
        System.arraycopy(nm, 0, img, off + E_NAME, nm.length);
        int size = (E_NAME + nm.length + 7) & ~7;
        java.util.Arrays.fill(img, off + E_NAME + nm.length, off + size, (byte) 0);
        return size;
    }

    /** Checks a name component: non-empty, no '/', not "." or "..", at most 255 bytes. */
    static void checkName(String op, String name) throws ErrnoException {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0 || name.equals(".")
                || name.equals("..")) {
            throw new ErrnoException(Errno.EINVAL, op, "invalid name \"" + name + "\"");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME) {
            throw new ErrnoException(Errno.ENAMETOOLONG, op, "name longer than " + MAX_NAME + " bytes");
        }
    }
}
