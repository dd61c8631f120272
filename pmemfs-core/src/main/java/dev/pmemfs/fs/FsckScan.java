package dev.pmemfs.fs;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.dax.DaxDevice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the passes of one fsck run share: the devices, the metadata store, what each pass found (the
 * inodes read, the blocks they own, link counts, what was lost and why), the findings and the
 * {@link Repair} plan. The passes fill it in order; the repairer reads it.
 */
final class FsckScan {
    final DaxDevice dax;
    final BlockDevice bdev;
    final boolean repair;
    final FsckFindings findings = new FsckFindings();
    /** The repairs decided on, in the order they were found (applied by type, in a fixed order). */
    final Set<Repair> plan = new LinkedHashSet<>();

    Superblock sb;
    MetaStore meta;
    Geometry g;
    /** The bitmaps as stored; null when a block of them could not be read. */
    Bitmap storedBlocks;
    Bitmap storedInodes;
    /** The orphan list as stored; null when it could not be read. */
    List<Long> orphans;
    /** Blocks owned by the inodes read (the metadata regions included), the block bitmap to be. */
    Bitmap claimed;
    /** Inodes found in use in the table, the inode bitmap to be. */
    Bitmap found;
    /** Every inode read, by number. */
    final Map<Long, Inode> inodes = new TreeMap<>();
    /** Inodes that cannot be read (their block or their fields are bad), with why. */
    final Map<Long, String> lost = new TreeMap<>();
    /** Extent-list damage per inode: which file ranges lost their mapping, in words. */
    final Map<Long, List<String>> lostMaps = new TreeMap<>();
    /** Extent-list blocks each inode was found to own (claimed for it alone). */
    final Map<Long, List<Long>> listBlocks = new HashMap<>();
    /** Inodes whose content, name or attributes a repair changes or removes. */
    final Set<Long> damaged = new TreeSet<>();
    /** Metadata blocks the inodes own in the data area (directory, extent-list, symlink blocks). */
    final Set<Long> metaBlocks = new TreeSet<>();
    /** Owned blocks whose reverse-map entry is missing or wrong. */
    int rmapBad;
    /** Names: inode → (directory, name) of its first entry, for paths in messages. */
    final Map<Long, Map.Entry<Long, String>> names = new HashMap<>();
    /** Links each inode gets from the directories read (2 + subdirectories for a directory). */
    final Map<Long, Integer> links = new HashMap<>();
    /** Inodes no directory names that keep their links: reconnected in /lost+found. */
    final List<Long> unnamed = new ArrayList<>();

    FsckScan(DaxDevice dax, BlockDevice bdev, boolean repair) {
        this.dax = dax;
        this.bdev = bdev;
        this.repair = repair;
    }

    /** Records an error and the repair that fixes it (null: nothing can). */
    void error(String text, Repair fix) {
        findings.error(text, fix);
        if (fix != null) {
            plan.add(fix);
        }
    }

    void note(String text) {
        findings.note(text);
    }

    long rootIno() {
        return sb.rootIno();
    }

    /** "/d/f" from the names the directory pass found, or "inode N" when no full path is known. */
    String path(long ino) {
        if (ino == rootIno()) {
            return "/";
        }
        StringBuilder p = new StringBuilder();
        long cur = ino;
        for (int depth = 0; depth < 4096 && cur != rootIno(); depth++) {
            Map.Entry<Long, String> n = names.get(cur);
            if (n == null) {
                return "inode " + ino;
            }
            p.insert(0, "/" + n.getValue());
            cur = n.getKey();
        }
        return cur == rootIno() ? p.toString() : "inode " + ino;
    }

    /** "inode N (/path)" when the path is known, else "inode N". */
    String describe(long ino) {
        String p = path(ino);
        return p.startsWith("inode ") ? "inode " + ino : "inode " + ino + " (" + p + ")";
    }
}
