package dev.pmemfs.fs;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.ArrayList;
import java.util.List;

/**
 * Inodes with no links whose blocks are not yet freed (open when unlinked, or too large to free in
 * one transaction): XFS's unlinked list. Mount frees them.
 *
 * <pre>
 * orphan block (block 2): header (magic "PORL") | count u32 | reserved u32 | u64 inode numbers
 * </pre>
 * Reading validates the count and every inode number (1..inode count, no duplicates): EUCLEAN otherwise.
 */
final class OrphanList {
    static final MediaStruct LAYOUT = new MediaStruct(MediaStruct.bytes(MetaBlock.HEADER, "header"),
            MediaStruct.U32.withName("count"), MediaStruct.U32.withName("reserved"));
    private static final MediaStruct.Int32 COUNT = LAYOUT.u32("count");
    private static final int FIRST = (int) LAYOUT.size();
    static final int CAPACITY = (MetaBlock.SIZE - FIRST) / 8;

    private OrphanList() {}

    static List<Long> read(MetaStore meta) throws ErrnoException {
        byte[] img = meta.get(Geometry.ORPHAN_BLOCK, MetaBlock.MAGIC_ORPHAN, "orphan list", false);
        List<Long> out = entries(img);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (long ino : out) {
            if (ino < 1 || ino > meta.geometry().inodeCount() || !seen.add(ino)) {
                throw new FsCorruptedException("mount", Geometry.ORPHAN_BLOCK, "orphan list", "entry " + ino
                        + " is " + (seen.contains(ino) && ino >= 1 && ino <= meta.geometry().inodeCount()
                        ? "listed twice" : "not an inode number (1.." + meta.geometry().inodeCount() + ")"));
            }
        }
        return out;
    }

    static byte[] image(List<Long> inos) {
        byte[] img = new byte[MetaBlock.SIZE];
        var s = MediaStruct.of(img);
        COUNT.set(s, 0, inos.size());
        for (int i = 0; i < inos.size(); i++) {
            s.set(MediaStruct.U64, FIRST + 8L * i, inos.get(i));
        }
        return img;
    }

    static void add(Transaction tx, MetaStore meta, long ino) throws ErrnoException {
        List<Long> inos = new ArrayList<>(currentIn(tx, meta));
        if (inos.contains(ino)) {
            return;
        }
        if (inos.size() >= CAPACITY) {
            throw new ErrnoException(Errno.ENOSPC, "iunlink", "orphan list full (" + CAPACITY
                    + " unlinked inodes still open or being freed)");
        }
        inos.add(ino);
        tx.put(Geometry.ORPHAN_BLOCK, MetaBlock.MAGIC_ORPHAN, image(inos));
    }

    static void remove(Transaction tx, MetaStore meta, long ino) throws ErrnoException {
        List<Long> inos = new ArrayList<>(currentIn(tx, meta));
        if (inos.remove(ino)) {
            tx.put(Geometry.ORPHAN_BLOCK, MetaBlock.MAGIC_ORPHAN, image(inos));
        }
    }

    private static List<Long> currentIn(Transaction tx, MetaStore meta) throws ErrnoException {
        return entries(tx.edit(Geometry.ORPHAN_BLOCK, MetaBlock.MAGIC_ORPHAN, "orphan list", false));
    }

    /** The entries of an orphan-list image; EUCLEAN for a count the block cannot hold. */
    private static List<Long> entries(byte[] img) throws FsCorruptedException {
        var s = MediaStruct.of(img);
        long n = COUNT.getUnsigned(s, 0);
        if (n > CAPACITY) {
            throw new FsCorruptedException("iunlink", Geometry.ORPHAN_BLOCK, "orphan list", "count " + n
                    + " exceeds the " + CAPACITY + " entries the block holds");
        }
        List<Long> out = new ArrayList<>((int) n);
        for (int i = 0; i < n; i++) {
            out.add(s.get(MediaStruct.U64, FIRST + 8L * i));
        }
        return out;
    }
}
