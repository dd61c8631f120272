package dev.pmemfs.fs;

import dev.pmemfs.errno.ErrnoException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Passes 2 to 4 of fsck (e2fsck's directory structure, connectivity and reference counts): every
 * directory block and entry, parent pointers, link counts, the root directory, and inodes no
 * directory names. A directory block that cannot be read loses its names and is rewritten empty; an
 * entry naming a free, lost or wrong-typed inode is dropped; a lost root is made again; an inode with
 * links that no directory names is reconnected in {@code /lost+found}, as e2fsck does.
 */
final class FsckDirectoryPass {
    private final FsckScan s;
    private final Map<Long, Long> parentOf = new HashMap<>();

    private FsckDirectoryPass(FsckScan s) {
        this.s = s;
    }

    static void run(FsckScan s) {
        new FsckDirectoryPass(s).scan();
    }

    private void scan() {
        long rootIno = s.rootIno();
        Inode root = s.inodes.get(rootIno);
        if (root != null && !root.isDir()) {
            s.error("root inode " + rootIno + " is not a directory; it is cleared", new Repair.ClearInode(rootIno));
            s.inodes.remove(rootIno);
            s.found.set(rootIno, false);
            s.damaged.add(rootIno);
            root = null;
        }
        if (root == null) {
            String why = s.lost.getOrDefault(rootIno, "it is free");
            s.error("root directory (inode " + rootIno + ") is lost (" + why + "); a new empty root is made and "
                    + "what it named is reconnected in /lost+found", new Repair.RecreateRoot());
            s.damaged.add(rootIno);
        }
        List<Inode> dirs = new ArrayList<>();
        for (Inode in : s.inodes.values()) {
            if (in.isDir()) {
                dirs.add(in);
            }
        }
        // Read every directory first, so names (and paths in messages) are known before entries are judged.
        for (Inode d : dirs) {
            d.dir = read(d);
            s.links.merge(d.ino, 2, Integer::sum);
            for (DirEntry e : d.dir.list()) {
                s.names.putIfAbsent(e.ino(), Map.entry(d.ino, e.name()));
            }
        }
        for (Inode d : dirs) {
            entries(d);
        }
        linkCounts(rootIno);
    }

    /** The directory's blocks, one by one: an unreadable block is kept as an empty one. */
    private Directory read(Inode d) {
        Directory dir = new Directory(d);
        long nblocks = d.size / MetaBlock.SIZE;
        for (long i = 0; i < nblocks; i++) {
            int bi = dir.addBlock();
            List<DirEntry> entries;
            try {
                entries = Directory.readBlock(d, s.meta, i);
            } catch (ErrnoException e) {
                s.error("directory inode " + d.ino + " block " + i + ": " + e.getMessage()
                        + "; the names in it are lost and the block is rewritten empty",
                        new Repair.RewriteDirBlock(d.ino, i));
                s.damaged.add(d.ino);
                continue;
            }
            for (DirEntry e : entries) {
                if (dir.lookup(e.name()) != null) {
                    s.error("directory inode " + d.ino + " holds \"" + e.name() + "\" twice; the second is dropped",
                            new Repair.RewriteDirBlock(d.ino, i));
                    continue;
                }
                dir.add(bi, e);
            }
        }
        return dir;
    }

    private void entries(Inode d) {
        Set<String> dropped = new HashSet<>();
        for (DirEntry e : d.dir.list()) {
            Inode t = s.inodes.get(e.ino());
            String where = "directory " + s.path(d.ino) + " entry \"" + e.name() + "\"";
            if (t == null || t.type != e.type()) {
                String what;
                if (s.lost.containsKey(e.ino())) {
                    what = "names inode " + e.ino() + ", which is lost (" + s.lost.get(e.ino()) + ")";
                    s.damaged.add(e.ino());
                } else {
                    what = "points to " + (t == null ? "free inode " : "inode of another type ") + e.ino();
                }
                s.error(where + " " + what + "; the entry is removed", new Repair.DropEntry(d.ino, e.name()));
                dropped.add(e.name());
                continue;
            }
            if (e.type() == FileType.DIRECTORY) {
                if (parentOf.containsKey(e.ino()) || e.ino() == s.rootIno()) {
                    s.error(where + " is a second name of directory " + e.ino() + "; the entry is removed",
                            new Repair.DropEntry(d.ino, e.name()));
                    dropped.add(e.name());
                    continue;
                }
                parentOf.put(e.ino(), d.ino);
                s.links.merge(d.ino, 1, Integer::sum);
            } else {
                s.links.merge(e.ino(), 1, Integer::sum);
                parentOf.putIfAbsent(e.ino(), d.ino);
            }
            // A directory's parent pointer is its ".."; another inode's is a hint (hard links: path()
            // searches when the name it records is gone), so only directories are held to it.
            if (t.isDir() && t.parent != d.ino) {
                s.error("inode " + e.ino() + " (\"" + e.name() + "\") names parent " + t.parent + " but lives in "
                        + d.ino, new Repair.RewriteInode(e.ino()));
                t.parent = d.ino;
            }
        }
        for (String name : dropped) {
            s.plan.add(new Repair.RewriteDirBlock(d.ino, d.dir.remove(name)));
        }
    }

    private void linkCounts(long rootIno) {
        Set<Long> orphans = new HashSet<>(s.orphans != null ? s.orphans : List.of());
        for (Inode in : s.inodes.values()) {
            if (in.ino == rootIno) {
                int want = s.links.getOrDefault(in.ino, 2);
                if (in.nlink != want) {
                    s.error("root directory has link count " + in.nlink + ", directories give " + want,
                            new Repair.RewriteInode(in.ino));
                    in.nlink = want;
                }
                continue;
            }
            boolean named = in.isDir() ? parentOf.containsKey(in.ino) : s.links.containsKey(in.ino);
            if (!named) {
                if (in.nlink == 0) {
                    if (orphans.contains(in.ino)) {
                        continue; // unlinked while open, or being freed: mount finishes the job
                    }
                    s.error("inode " + in.ino + " is allocated but has no links and no name; it is freed",
                            new Repair.FreeInode(in.ino));
                    continue;
                }
                s.error("inode " + in.ino + " (" + (in.isDir() ? "directory" : "file of " + in.size + " bytes")
                        + ") has " + in.nlink + " links but no directory names it; reconnected as /lost+found/#"
                        + in.ino, new Repair.Reconnect(in.ino));
                s.unnamed.add(in.ino);
                s.damaged.add(in.ino);
                continue;
            }
            int want = in.isDir() ? s.links.getOrDefault(in.ino, 2) : s.links.get(in.ino);
            if (in.nlink != want) {
                s.error("inode " + in.ino + " has link count " + in.nlink + ", directories give " + want,
                        new Repair.RewriteInode(in.ino));
                in.nlink = want;
            }
        }
    }
}
