package dev.pmemfs.fs;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The path of an inode, walked up its parent pointers (as xfs_scrub's parent pointers and the
 * notify_failure report name a file): what poison reports and {@code recover} print. A file's parent
 * pointer is a hint kept on link and rename; when the name it recorded is gone while other links
 * remain, a directory that names the file is searched for.
 */
final class ParentPaths {
    private final Volume vol;
    private final Namei namei;

    ParentPaths(Volume vol, Namei namei) {
        this.vol = vol;
        this.namei = namei;
    }

    /** "/a/b" from parent pointers; ENOENT when unlinked. */
    String pathLocked(long ino) throws ErrnoException {
        StringBuilder sb = new StringBuilder();
        long cur = ino;
        int depth = 0;
        while (cur != vol.rootIno) {
            Inode in = vol.inodes.get(cur);
            if (in.nlink == 0) {
                throw new ErrnoException(Errno.ENOENT, "path", "inode " + ino + " is unlinked");
            }
            String name = nameIn(in.parent, cur);
            if (name == null && !in.isDir()) {
                // A file's parent pointer is a hint: the name it recorded may be gone while other links
                // remain. Find a directory that names it (rare: only after unlinking a hard link).
                long found = searchParent(cur);
                if (found > 0) {
                    in.parent = found;
                    name = nameIn(found, cur);
                }
            }
            if (name == null || ++depth > 4096) {
                throw new FsCorruptedException("path", vol.g.itabBlock(cur), "inode table",
                        "inode " + cur + " is not in its parent directory " + in.parent);
            }
            sb.insert(0, "/" + name);
            cur = in.parent;
        }
        return sb.isEmpty() ? "/" : sb.toString();
    }

    private String nameIn(long dirIno, long ino) throws ErrnoException {
        if (!vol.inodes.allocated(dirIno)) {
            return null;
        }
        Inode parent = vol.inodes.get(dirIno);
        return parent.isDir() ? namei.dir(parent, "path").nameOf(ino) : null;
    }

    /** A directory naming {@code ino}, searched breadth-first from the root; -1 when none does. */
    private long searchParent(long ino) throws ErrnoException {
        ArrayDeque<Long> queue = new ArrayDeque<>(List.of(vol.rootIno));
        Set<Long> seen = new HashSet<>();
        while (!queue.isEmpty()) {
            long d = queue.poll();
            if (!seen.add(d)) {
                continue;
            }
            for (DirEntry e : namei.dir(vol.inodes.get(d), "path").list()) {
                if (e.ino() == ino) {
                    return d;
                }
                if (e.type() == FileType.DIRECTORY) {
                    queue.add(e.ino());
                }
            }
        }
        return -1;
    }
}
