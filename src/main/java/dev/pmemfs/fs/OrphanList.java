package dev.pmemfs.fs;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Inodes with no links whose blocks are not yet freed (open when unlinked, or too large to free in
 * one transaction): XFS's unlinked list. Mount frees them.
 *
 * <pre>
 * orphan block (block 2): header (magic "PORL") + 16 u32 count, 20 u32 reserved, 24.. u64 inode numbers
 * </pre>
 */
final class OrphanList {
    static final int CAPACITY = (MetaBlock.SIZE - 24) / 8;

    private OrphanList() {}

    static List<Long> read(MetaStore meta) throws ErrnoException {
        byte[] img = meta.get(Geometry.ORPHAN_BLOCK, MetaBlock.MAGIC_ORPHAN, "orphan list", false);
        ByteBuffer b = MetaBlock.le(img);
        int n = b.getInt(16);
        if (n < 0 || n > CAPACITY) {
            throw new FsCorruptedException("mount", Geometry.ORPHAN_BLOCK, "orphan list", "count " + n);
        }
        List<Long> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(b.getLong(24 + 8 * i));
        }
        return out;
    }

    static byte[] image(List<Long> inos) {
        byte[] img = new byte[MetaBlock.SIZE];
        ByteBuffer b = MetaBlock.le(img);
        b.putInt(16, inos.size());
        for (int i = 0; i < inos.size(); i++) {
            b.putLong(24 + 8 * i, inos.get(i));
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
        byte[] img = tx.edit(Geometry.ORPHAN_BLOCK, MetaBlock.MAGIC_ORPHAN, "orphan list", false);
        ByteBuffer b = MetaBlock.le(img);
        int n = b.getInt(16);
        List<Long> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(b.getLong(24 + 8 * i));
        }
        return out;
    }
}
