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
 * on the way (including that one), "." and ".." resolved against the walk itself. Symlinks met on the
 * way are followed (an absolute target restarts at the root, a relative one continues in the
 * directory holding the link); the last component is followed only by {@link #resolved}. More than
 * {@link #MAXSYMLINKS} links in one walk is ELOOP.
 *
 * @param ancestors inode numbers from the root to {@code dirIno} inclusive
 * @param links symlinks followed so far
 */
record PathWalk(String path, long dirIno, InodeAttr dirAttr, String name, Last last, boolean trailingSlash,
                List<Long> ancestors, int links) {
    /** MAXSYMLINKS, include/linux/namei.h. */
    static final int MAXSYMLINKS = 40;
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
        requirePathLength(path, op);
        List<Long> root = new ArrayList<>(List.of(fs.rootIno()));
        return walkFrom(fs, cred, path, path, root, 0, op);
    }

    /** {@link #walk} and then {@link #resolved}: the last component followed when it is a symlink. */
    static PathWalk walkFollow(FileSystem fs, Credentials cred, String path, String op) throws ErrnoException {
        return walk(fs, cred, path, op).resolved(fs, cred, op);
    }

    private static void requirePathLength(String path, String op) throws ErrnoException {
        if (path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= PATH_MAX) {
            throw new ErrnoException(Errno.ENAMETOOLONG, op, "path of " + path.length() + " bytes");
        }
    }

    /** Walks {@code rel} starting at {@code chain} (absolute paths restart at the root). */
    private static PathWalk walkFrom(FileSystem fs, Credentials cred, String shown, String rel, List<Long> chain,
            int links, String op) throws ErrnoException {
        if (rel.startsWith("/")) {
            chain = new ArrayList<>(List.of(fs.rootIno()));
        }
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>(split(rel));
        boolean trailingSlash = rel.endsWith("/") && !parts.isEmpty();
        InodeAttr dir = fs.getattr(chain.getLast());
        while (parts.size() > 1) {
            String c = parts.poll();
            requireSearchable(cred, dir, shown, op);
            if (c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (chain.size() > 1) {
                    chain.removeLast();
                }
            } else {
                requireNameLength(c, op);
                long child = fs.lookup(chain.getLast(), c);
                InodeAttr attr = fs.getattr(child);
                if (attr.type() == FileType.SYMLINK) {
                    links = countLink(links, shown, op);
                    String target = fs.readlink(child);
                    fs.accessed(child);
                    if (target.startsWith("/")) {
                        chain = new ArrayList<>(List.of(fs.rootIno()));
                    }
                    List<String> more = split(target);
                    for (int i = more.size() - 1; i >= 0; i--) {
                        parts.addFirst(more.get(i));
                    }
                    dir = fs.getattr(chain.getLast());
                    continue;
                }
                chain.add(child);
            }
            dir = fs.getattr(chain.getLast());
        }
        if (parts.isEmpty()) {
            return new PathWalk(shown, chain.getLast(), dir, "/", chain.size() == 1 ? Last.ROOT : Last.DOT,
                    false, List.copyOf(chain), links);
        }
        requireSearchable(cred, dir, shown, op);
        String name = parts.poll();
        Last last = switch (name) {
            case "." -> Last.DOT;
            case ".." -> Last.DOTDOT;
            default -> Last.NORM;
        };
        if (last == Last.NORM) {
            requireNameLength(name, op);
        }
        return new PathWalk(shown, chain.getLast(), dir, name, last, trailingSlash, List.copyOf(chain), links);
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        return parts;
    }

    private static int countLink(int links, String path, String op) throws ErrnoException {
        if (links + 1 > MAXSYMLINKS) {
            throw new ErrnoException(Errno.ELOOP, op, path + ": more than " + MAXSYMLINKS + " symbolic links");
        }
        return links + 1;
    }

    /** Whether the last component exists and is a symlink. */
    boolean lastIsSymlink(FileSystem fs) throws ErrnoException {
        OptionalLong ino = lookup(fs);
        return ino.isPresent() && last == Last.NORM && fs.getattr(ino.getAsLong()).type() == FileType.SYMLINK;
    }

    /**
     * The walk with its last component followed while it is a symlink (trailing_symlink): the target is
     * walked from the directory holding the link. A dangling link leaves a walk whose last component
     * does not exist (O_CREAT creates the target there, as Linux does).
     */
    PathWalk resolved(FileSystem fs, Credentials cred, String op) throws ErrnoException {
        PathWalk w = this;
        while (w.lastIsSymlink(fs)) {
            long link = w.lookup(fs).getAsLong();
            int n = countLink(w.links, path, op);
            String target = fs.readlink(link);
            fs.accessed(link);
            PathWalk next = walkFrom(fs, cred, path, target, new ArrayList<>(w.ancestors), n, op);
            w = w.trailingSlash && !next.trailingSlash ? next.withTrailingSlash() : next;
        }
        return w;
    }

    private PathWalk withTrailingSlash() {
        return new PathWalk(path, dirIno, dirAttr, name, last, true, ancestors, links);
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
