package dev.pmemfs.nio;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The entries of one directory as readdir(2) returned them when the stream was opened (a snapshot:
 * pmemfs's readdir returns the whole directory at once), filtered lazily. As the DirectoryStream
 * contract says: one iterator, and nothing more once closed.
 */
final class PmemDirectoryStream implements DirectoryStream<Path> {
    private final PmemPath dir;
    private final List<String> names;
    private final Filter<? super Path> filter;
    private volatile boolean closed;
    private boolean iterated;

    PmemDirectoryStream(PmemPath dir, List<String> names, Filter<? super Path> filter) {
        this.dir = dir;
        this.names = names;
        this.filter = filter;
    }

    @Override
    public synchronized Iterator<Path> iterator() {
        if (closed) {
            throw new IllegalStateException("directory stream of " + dir + " is closed");
        }
        if (iterated) {
            throw new IllegalStateException("iterator of the directory stream of " + dir + " already obtained");
        }
        iterated = true;
        return new Iterator<>() {
            private int next;
            private Path ahead;

            @Override
            public boolean hasNext() {
                while (ahead == null && !closed && next < names.size()) {
                    Path p = dir.resolve(names.get(next++));
                    try {
                        if (filter.accept(p)) {
                            ahead = p;
                        }
                    } catch (IOException e) {
                        throw new DirectoryIteratorException(e);
                    }
                }
                return ahead != null;
            }

            @Override
            public Path next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Path p = ahead;
                ahead = null;
                return p;
            }
        };
    }

    @Override
    public void close() {
        closed = true;
    }
}
