package dev.pmemfs.nio;

import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte-range locks the channels of one file system hold, by inode: the JVM-wide lock table the
 * default provider keeps (sun.nio.ch.FileLockTable), which makes an overlapping request from this
 * JVM an OverlappingFileLockException.
 */
final class FileLocks {
    /* guarded by this */
    private final List<Held> held = new ArrayList<>();

    private record Held(long ino, Lock lock) {}

    synchronized FileLock acquire(PmemChannel ch, long ino, long position, long size, boolean shared) {
        for (Held h : held) {
            if (h.ino == ino && h.lock.overlaps(position, size)) {
                throw new OverlappingFileLockException();
            }
        }
        Lock l = new Lock(ch, position, size, shared, this);
        held.add(new Held(ino, l));
        return l;
    }

    synchronized void release(Lock l) {
        held.removeIf(h -> h.lock == l);
    }

    synchronized void releaseAll(PmemChannel ch) {
        for (Held h : held) {
            if (h.lock.channel() == ch) {
                h.lock.invalidate();
            }
        }
        held.removeIf(h -> h.lock.channel() == ch);
    }

    /** One lock; valid until released or its channel closes. */
    static final class Lock extends FileLock {
        private final FileLocks table;
        private volatile boolean valid = true;

        Lock(PmemChannel ch, long position, long size, boolean shared, FileLocks table) {
            super(ch, position, size, shared);
            this.table = table;
        }

        @Override
        public boolean isValid() {
            return valid && channel().isOpen();
        }

        void invalidate() {
            valid = false;
        }

        @Override
        public void release() throws java.io.IOException {
            if (!channel().isOpen()) {
                throw new java.nio.channels.ClosedChannelException();
            }
            if (valid) {
                valid = false;
                table.release(this);
            }
        }
    }
}
