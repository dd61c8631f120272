package dev.pmemfs.vfs;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A process's file-descriptor table ({@code struct files_struct}): the lowest free descriptor is
 * handed out, as POSIX requires; at most {@link #NR_OPEN} descriptors (RLIMIT_NOFILE's usual soft
 * limit), EMFILE beyond.
 */
final class FdTable {
    static final int NR_OPEN = 1024;

    /* guarded by this */
    private final TreeMap<Integer, OpenFile> fds = new TreeMap<>();

    /** Installs {@code file} at the lowest free descriptor. */
    synchronized int install(OpenFile file) throws ErrnoException {
        int fd = lowestFree();
        fds.put(fd, file);
        return fd;
    }

    /** EMFILE when no descriptor is free; checked before the path walk, as get_unused_fd_flags is. */
    synchronized void requireFree() throws ErrnoException {
        lowestFree();
    }

    synchronized OpenFile get(int fd, String op) throws ErrnoException {
        OpenFile f = fds.get(fd);
        if (f == null) {
            throw new ErrnoException(Errno.EBADF, op, "fd " + fd + " is not open");
        }
        return f;
    }

    /** The open file behind {@code fd}, EBADF unless it was opened for reading. */
    OpenFile readable(int fd, String op) throws ErrnoException {
        OpenFile f = get(fd, op);
        if (!f.readable()) {
            throw new ErrnoException(Errno.EBADF, op, "fd " + fd + " is not open for reading");
        }
        return f;
    }

    /** The open file behind {@code fd}, EBADF unless it was opened for writing. */
    OpenFile writable(int fd, String op) throws ErrnoException {
        OpenFile f = get(fd, op);
        if (!f.writable()) {
            throw new ErrnoException(Errno.EBADF, op, "fd " + fd + " is not open for writing");
        }
        return f;
    }

    synchronized OpenFile remove(int fd, String op) throws ErrnoException {
        OpenFile f = fds.remove(fd);
        if (f == null) {
            throw new ErrnoException(Errno.EBADF, op, "fd " + fd + " is not open");
        }
        return f;
    }

    /** Empties the table and returns what was open. */
    synchronized List<OpenFile> clear() {
        List<OpenFile> all = new ArrayList<>(fds.values());
        fds.clear();
        return all;
    }

    private int lowestFree() throws ErrnoException {
        int fd = 0;
        for (int used : fds.keySet()) {
            if (used != fd) {
                break;
            }
            fd++;
        }
        if (fd >= NR_OPEN) {
            throw new ErrnoException(Errno.EMFILE, "open", NR_OPEN + " descriptors open");
        }
        return fd;
    }
}
