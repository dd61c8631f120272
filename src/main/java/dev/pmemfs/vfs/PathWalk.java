package dev.pmemfs.vfs;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.fs.FileType;
import dev.pmemfs.fs.InodeAttr;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The result of walking a path up to its last component, as {@code link_path_walk} leaves it
 * (fs/namei.c): the directory holding the last component, searched with MAY_EXEC on every directory
 * on the way (including that one), "." and ".." resolved against the walk itself (pmemfs has no
 * symlinks, so the walk is the only parent chain needed).
 *
 * @param ancestors inode numbers from the root to {@code dirIno} inclusive
 */
record PathWalk(String path, long dirIno, InodeAttr dirAttr, String name, Last last, boolean trailingSlash,
                List<Long> ancestors) {
    /** {@code PATH_MAX} including the terminating NUL. */
    static final int PATH_MAX = 4096;
    /** {@code NAME_MAX}. */
    static final int NAME_MAX = 255;

    /** The kind of the last component ({@code LAST_NORM}, {@code LAST_ROOT}, {@code LAST_DOT}, {@code LAST_DOTDOT}). */
    enum Last { NORM, ROOT, DOT, DOTDOT }

    /**
     * Walks {@code path} (absolute; a relative path starts at the root, pmemfs processes have no cwd).
     * ENOENT for an empty path or a missing directory, ENOTDIR when a non-directory is walked through,
     * EACCES without search permission, ENAMETOOLONG beyond PATH_MAX or NAME_MAX.
     */
    static PathWalk walk(FileSystem fs, Credentials cred, String path, String op) throws ErrnoException {
        if (path.isEmpty()) {
            throw new ErrnoException(Errno.ENOENT, op, "empty path");
        }
        if (path.length() >= PATH_MAX) {
            throw new ErrnoException(Errno.ENAMETOOLONG, op, "path of " + path.length() + " bytes");
        }
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        boolean trailingSlash = path.endsWith("/") && !parts.isEmpty();
        List<Long> chain = new ArrayList<>();
        chain.add(fs.rootIno());
        InodeAttr dir = fs.getattr(fs.rootIno());
        for (int i = 0; i < parts.size() - 1; i++) {
            String c = parts.get(i);
            requireSearchable(cred, dir, path, op);
            if (c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (chain.size() > 1) {
                    chain.removeLast();
                }
            } else {
                requireNameLength(c, op);
                chain.add(fs.lookup(chain.getLast(), c));
            }
            dir = fs.getattr(chain.getLast());
        }
        if (parts.isEmpty()) {
            return new PathWalk(path, fs.rootIno(), dir, "/", Last.ROOT, false, List.copyOf(chain));
        }
        requireSearchable(cred, dir, path, op);
        String name = parts.getLast();
        Last last = switch (name) {
            case "." -> Last.DOT;
            case ".." -> Last.DOTDOT;
            default -> Last.NORM;
        };
        if (last == Last.NORM) {
            requireNameLength(name, op);
        }
        return new PathWalk(path, chain.getLast(), dir, name, last, trailingSlash, List.copyOf(chain));
    }

    /** The inode the last component names, or empty when it does not exist. */
    OptionalLong lookup(FileSystem fs) throws ErrnoException {
        return switch (last) {
            case ROOT, DOT -> OptionalLong.of(dirIno);
            case DOTDOT -> OptionalLong.of(ancestors.size() > 1 ? ancestors.get(ancestors.size() - 2) : dirIno);
            case NORM -> {
                try {
                    yield OptionalLong.of(fs.lookup(dirIno, name));
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.ENOENT) {
                        throw e;
                    }
                    yield OptionalLong.empty();
                }
            }
        };
    }

    /** The inode the last component names; ENOENT when missing. */
    long require(FileSystem fs, String op) throws ErrnoException {
        OptionalLong ino = lookup(fs);
        if (ino.isEmpty()) {
            throw new ErrnoException(Errno.ENOENT, op, path);
        }
        return ino.getAsLong();
    }

    /** Whether {@code ino} is the directory holding the last component or one of its ancestors. */
    boolean passesThrough(long ino) {
        return ancestors.contains(ino);
    }

    private static void requireSearchable(Credentials cred, InodeAttr dir, String path, String op)
            throws ErrnoException {
        if (dir.type() != FileType.DIRECTORY) {
            throw new ErrnoException(Errno.ENOTDIR, op, path + ": a component is not a directory");
        }
        if (!InodePermission.generic(cred, dir, InodePermission.MAY_EXEC)) {
            throw new ErrnoException(Errno.EACCES, op, path + ": no search permission on directory inode "
                    + dir.ino());
        }
    }

    private static void requireNameLength(String name, String op) throws ErrnoException {
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NAME_MAX) {
            throw new ErrnoException(Errno.ENAMETOOLONG, op, "component of " + name.length() + " characters");
        }
    }
}
