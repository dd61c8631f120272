package dev.pmemfs.vfs;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;

/**
 * The pipe behind an opened FIFO inode (fs/pipe.c, {@code fifo_open}, {@code pipe_read},
 * {@code pipe_write}): one per inode while it is open, shared by every process of the mount; its bytes
 * live in memory only and go when the last opener closes, as a FIFO's do. Opening for reading or
 * writing alone waits for the other side (O_NONBLOCK: a reader opens at once, a writer without readers
 * gets ENXIO); O_RDWR never waits. Reading an empty pipe with no writer is end of file; writing with no
 * reader is EPIPE (SIGPIPE's errno); O_NONBLOCK turns every wait into EAGAIN.
 */
final class Fifo {
    /** PIPE_DEF_BUFFERS pages. */
    static final int PIPE_SIZE = 16 * 4096;

    private final byte[] buf = new byte[PIPE_SIZE];
    private int head;
    private int len;
    private int readers;
    private int writers;
    /** Opens so far of each side, to wake a partner even if the opener closed again (wait_for_partner). */
    private long readerOpens;
    private long writerOpens;

    synchronized void open(boolean read, boolean write, boolean nonblock) throws ErrnoException {
        if (read && write) {
            readers++;
            writers++;
            readerOpens++;
            writerOpens++;
            notifyAll();
            return;
        }
        if (read) {
            readers++;
            readerOpens++;
            notifyAll();
            long seen = writerOpens;
            while (!nonblock && writers == 0 && writerOpens == seen) {
                await("open");
            }
            return;
        }
        if (nonblock && readers == 0) {
            throw new ErrnoException(Errno.ENXIO, "open", "FIFO opened O_WRONLY|O_NONBLOCK has no reader");
        }
        writers++;
        writerOpens++;
        notifyAll();
        long seen = readerOpens;
        while (readers == 0 && readerOpens == seen) {
            await("open");
        }
    }

    synchronized void close(boolean read, boolean write) {
        if (read) {
            readers--;
        }
        if (write) {
            writers--;
        }
        if (readers == 0 && writers == 0) {
            head = 0;
            len = 0;
        }
        notifyAll();
    }

    synchronized int read(byte[] b, int off, int n, boolean nonblock) throws ErrnoException {
        if (n == 0) {
            return 0;
        }
        while (len == 0) {
            if (writers == 0) {
                return 0;
            }
            if (nonblock) {
                throw new ErrnoException(Errno.EAGAIN, "read", "FIFO is empty");
            }
            await("read");
        }
        int got = Math.min(n, len);
        for (int i = 0; i < got; i++) {
            b[off + i] = buf[(head + i) % PIPE_SIZE];
        }
        head = (head + got) % PIPE_SIZE;
        len -= got;
        notifyAll();
        return got;
    }

    synchronized int write(byte[] b, int off, int n, boolean nonblock) throws ErrnoException {
        int done = 0;
        while (done < n) {
            if (readers == 0) {
                if (done > 0) {
                    return done;
                }
                throw new ErrnoException(Errno.EPIPE, "write", "FIFO has no reader");
            }
            if (len == PIPE_SIZE) {
                if (nonblock) {
                    if (done > 0) {
                        return done;
                    }
                    throw new ErrnoException(Errno.EAGAIN, "write", "FIFO is full");
                }
                await("write");
                continue;
            }
            int room = Math.min(n - done, PIPE_SIZE - len);
            for (int i = 0; i < room; i++) {
                buf[(head + len + i) % PIPE_SIZE] = b[off + done + i];
            }
            len += room;
            done += room;
            notifyAll();
        }
        return done;
    }

    private void await(String op) throws ErrnoException {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErrnoException(Errno.EINTR, op, "interrupted while waiting on a FIFO");
        }
    }
}
