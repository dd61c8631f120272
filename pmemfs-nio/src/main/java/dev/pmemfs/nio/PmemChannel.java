package dev.pmemfs.nio;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Badblock;
import dev.pmemfs.vfs.Syscalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Objects;
import java.util.Set;

/**
 * A FileChannel over one open file description of the file system's process: every read, write,
 * seek, truncate and sync is one vfs system call on its descriptor (so O_APPEND, permissions, EFBIG
 * and the rest are the vfs layer's), with ByteBuffers copied through the call's byte arrays. A read
 * or write that meets poison (EIO) throws {@link MediaErrorException} with the bad range.
 *
 * <p>Closed by {@link #close} or by closing its file system; afterwards every operation throws
 * ClosedChannelException. Interrupts do not close it (nothing here blocks). {@code map} is not
 * offered: a MappedByteBuffer cannot fault on emulated poison; {@link PmemFiles#map} can.
 */
final class PmemChannel extends FileChannel {
    /** Largest copy through one temporary array for direct buffers and transfers. */
    private static final int CHUNK = 1 << 20;

    private final PmemFileSystem fs;
    private final Syscalls sys;
    private final int fd;
    private final PmemPath path;
    private final boolean readable;
    private final boolean writable;
    private final boolean sync;

    private PmemChannel(PmemFileSystem fs, Syscalls sys, int fd, PmemPath path, boolean readable, boolean writable,
                        boolean sync) {
        this.fs = fs;
        this.sys = sys;
        this.fd = fd;
        this.path = path;
        this.readable = readable;
        this.writable = writable;
        this.sync = sync;
    }

    /** open(2) with the flags {@code options} stand for, as the default provider's UnixChannelFactory maps them. */
    static PmemChannel open(PmemPath path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        boolean read = false;
        boolean write = false;
        boolean append = false;
        boolean truncate = false;
        boolean create = false;
        boolean createNew = false;
        boolean sync = false;
        boolean deleteOnClose = false;
        for (OpenOption o : options) {
            Objects.requireNonNull(o, "option");
            if (o instanceof StandardOpenOption so) {
                switch (so) {
                    case READ -> read = true;
                    case WRITE -> write = true;
                    case APPEND -> append = true;
                    case TRUNCATE_EXISTING -> truncate = true;
                    case CREATE -> create = true;
                    case CREATE_NEW -> createNew = true;
                    case DELETE_ON_CLOSE -> deleteOnClose = true;
                    case SYNC, DSYNC -> sync = true;
                    case SPARSE -> { } // every pmemfs file is sparse
                }
            } else if (o != LinkOption.NOFOLLOW_LINKS) {
                throw new UnsupportedOperationException("unsupported open option " + o);
            }
        }
        if (append) {
            write = true;
        }
        if (!read && !write) {
            read = true;
        }
        if (read && append) {
            throw new IllegalArgumentException("READ + APPEND not allowed");
        }
        if (append && truncate) {
            throw new IllegalArgumentException("APPEND + TRUNCATE_EXISTING not allowed");
        }
        int flags = read && write ? Syscalls.O_RDWR : write ? Syscalls.O_WRONLY : Syscalls.O_RDONLY;
        if (write) {
            if (createNew) {
                flags |= Syscalls.O_CREAT | Syscalls.O_EXCL;
            } else if (create) {
                flags |= Syscalls.O_CREAT;
            }
            if (truncate) {
                flags |= Syscalls.O_TRUNC;
            }
            if (append) {
                flags |= Syscalls.O_APPEND;
            }
        }
        int mode = PmemAttributes.modeOf(attrs, 0666) & ~PmemFileSystemProvider.UMASK;
        PmemFileSystem fs = path.getFileSystem();
        Syscalls sys = fs.sys();
        int fd;
        try {
            fd = sys.open(path.vfsPath(), flags, mode);
        } catch (ErrnoException e) {
            throw Errors.of(e, path.toString());
        }
        if (deleteOnClose) {
            // As the default provider on Unix (UnixChannelFactory): unlinked at once, so the name is gone
            // even if the JVM dies; the open descriptor keeps the inode until the channel closes.
            try {
                sys.unlink(path.vfsPath());
            } catch (ErrnoException e) {
                // best effort, as documented for DELETE_ON_CLOSE
            }
        }
        PmemChannel ch = new PmemChannel(fs, sys, fd, path, read, write, sync);
        try {
            fs.register(ch);
        } catch (RuntimeException e) {
            ch.closeQuietly();
            throw e;
        }
        return ch;
    }

    PmemPath path() {
        return path;
    }

    int fd() {
        return fd;
    }

    Syscalls sys() {
        return sys;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    private void ensureReadable() throws ClosedChannelException {
        ensureOpen();
        if (!readable) {
            throw new NonReadableChannelException();
        }
    }

    private void ensureWritable() throws ClosedChannelException {
        ensureOpen();
        if (!writable) {
            throw new NonWritableChannelException();
        }
    }

    /** A failed call in Java terms: closed under us, a media error with its range, or the errno's exception. */
    private IOException failure(ErrnoException e, long pos, long len) {
        if (!isOpen()) {
            AsynchronousCloseException x = new AsynchronousCloseException();
            x.initCause(e);
            return x;
        }
        if (e.errno() == Errno.EIO) {
            return mediaError(e, pos, len);
        }
        return Errors.of(e, path.toString());
    }

    /** The file position after a failed read(2)/write(2) (which leaves it where it was), for the error's range. */
    private long filePosition() {
        try {
            return sys.lseek(fd, 0, Syscalls.SEEK_CUR);
        } catch (ErrnoException e) {
            return 0;
        }
    }

    /** The known bad range the I/O at {@code [pos, pos + len)} met, from the file's badblock list. */
    MediaErrorException mediaError(ErrnoException e, long pos, long len) {
        long off = pos;
        long length = Math.max(len, 1);
        try {
            for (Badblock b : sys.badblocks(fd)) {
                if (b.end() > pos && b.offset() < pos + Math.max(len, 1)) {
                    off = b.offset();
                    length = b.length();
                    break;
                }
            }
        } catch (ErrnoException ignored) {
            // the I/O's own range stands for the bad one
        }
        MediaErrorException x = new MediaErrorException(path.toString(), off, length, e.errno().number(), e.getMessage());
        x.initCause(e);
        return x;
    }

    // ---- reads ----

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureReadable();
        return readInto(dst, -1);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
        ensureReadable();
        return readInto(dst, position);
    }

    /** One read(2) (at the file position when {@code pos} is -1) or pread(2); -1 at end of file. */
    private int readInto(ByteBuffer dst, long pos) throws IOException {
        int want = dst.remaining();
        if (want == 0) {
            return 0;
        }
        long at = pos;
        try {
            int n;
            if (dst.hasArray()) {
                int off = dst.arrayOffset() + dst.position();
                if (pos < 0) {
                    n = sys.read(fd, dst.array(), off, want);
                } else {
                    n = sys.pread(fd, dst.array(), off, want, pos);
                }
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
            } else {
                byte[] tmp = new byte[Math.min(want, CHUNK)];
                if (pos < 0) {
                    n = sys.read(fd, tmp, 0, tmp.length);
                } else {
                    n = sys.pread(fd, tmp, 0, tmp.length, pos);
                }
                if (n > 0) {
                    dst.put(tmp, 0, n);
                }
            }
            return n == 0 ? -1 : n;
        } catch (ErrnoException e) {
            throw failure(e, at >= 0 ? at : filePosition(), want);
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        ensureReadable();
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            if (!dsts[i].hasRemaining()) {
                continue;
            }
            int want = dsts[i].remaining();
            int n = readInto(dsts[i], -1);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (n < want) {
                break;
            }
        }
        return total;
    }

    // ---- writes ----

    @Override
    public int write(ByteBuffer src) throws IOException {
        ensureWritable();
        return writeFrom(src, -1);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
        ensureWritable();
        return writeFrom(src, position);
    }

    private int writeFrom(ByteBuffer src, long pos) throws IOException {
        int want = src.remaining();
        if (want == 0) {
            return 0;
        }
        long at = pos;
        try {
            int n;
            if (src.hasArray()) {
                int off = src.arrayOffset() + src.position();
                if (pos < 0) {
                    n = sys.write(fd, src.array(), off, want);
                } else {
                    n = sys.pwrite(fd, src.array(), off, want, pos);
                }
                src.position(src.position() + n);
            } else {
                byte[] tmp = new byte[Math.min(want, CHUNK)];
                src.slice().get(tmp);
                if (pos < 0) {
                    n = sys.write(fd, tmp, 0, tmp.length);
                } else {
                    n = sys.pwrite(fd, tmp, 0, tmp.length, pos);
                }
                src.position(src.position() + n);
            }
            if (sync) {
                sys.fsync(fd);
            }
            return n;
        } catch (ErrnoException e) {
            throw failure(e, at >= 0 ? at : filePosition(), want);
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        ensureWritable();
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            while (srcs[i].hasRemaining()) {
                int want = srcs[i].remaining();
                int n = writeFrom(srcs[i], -1);
                total += n;
                if (n < want && n == 0) {
                    return total;
                }
            }
        }
        return total;
    }

    // ---- position, size, truncate, force ----

    @Override
    public long position() throws IOException {
        ensureOpen();
        try {
            return sys.lseek(fd, 0, Syscalls.SEEK_CUR);
        } catch (ErrnoException e) {
            throw failure(e, 0, 0);
        }
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        ensureOpen();
        try {
            sys.lseek(fd, newPosition, Syscalls.SEEK_SET);
        } catch (ErrnoException e) {
            throw failure(e, 0, 0);
        }
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        try {
            return sys.fstat(fd).size();
        } catch (ErrnoException e) {
            throw failure(e, 0, 0);
        }
    }

    /** Shrinks the file to {@code size} if it is larger (ftruncate), and the position to {@code size} if past it. */
    @Override
    public FileChannel truncate(long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        ensureWritable();
        try {
            if (size < sys.fstat(fd).size()) {
                sys.ftruncate(fd, size);
            }
            if (sys.lseek(fd, 0, Syscalls.SEEK_CUR) > size) {
                sys.lseek(fd, size, Syscalls.SEEK_SET);
            }
        } catch (ErrnoException e) {
            throw failure(e, size, 0);
        }
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        ensureOpen();
        try {
            sys.fsync(fd);
        } catch (ErrnoException e) {
            throw failure(e, 0, 0);
        }
    }

    // ---- transfers ----

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("negative position or count");
        }
        ensureReadable();
        if (!target.isOpen()) {
            throw new ClosedChannelException();
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(count, 1)));
        long done = 0;
        while (done < count) {
            buf.clear().limit((int) Math.min(buf.capacity(), count - done));
            int n = readInto(buf, position + done);
            if (n <= 0) {
                break;
            }
            buf.flip();
            while (buf.hasRemaining()) {
                int w = target.write(buf);
                if (w == 0) {
                    return done + n - buf.remaining();
                }
            }
            done += n;
        }
        return done;
    }

    /** Copies until {@code count} bytes or until the source reads nothing (end of stream or a non-blocking pause). */
    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("negative position or count");
        }
        ensureWritable();
        if (!src.isOpen()) {
            throw new ClosedChannelException();
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(count, 1)));
        long done = 0;
        while (done < count) {
            buf.clear().limit((int) Math.min(buf.capacity(), count - done));
            int n = src.read(buf);
            if (n <= 0) {
                break;
            }
            buf.flip();
            while (buf.hasRemaining()) {
                writeFrom(buf, position + done + (n - buf.remaining()));
            }
            done += n;
        }
        return done;
    }

    // ---- locks and mapping ----

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return tryLock(position, size, shared);
    }

    /**
     * Locks are held for this JVM (one process in the vfs layer's terms): an overlap with a lock this
     * JVM already holds is OverlappingFileLockException, as the default provider reports it; no other
     * process can hold one, so a lock never waits.
     */
    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        if (position < 0 || size < 0 || position + size < 0) {
            throw new IllegalArgumentException("negative position or size");
        }
        ensureOpen();
        if (shared && !readable) {
            throw new NonReadableChannelException();
        }
        if (!shared && !writable) {
            throw new NonWritableChannelException();
        }
        try {
            return fs.locks().acquire(this, sys.fstat(fd).ino(), position, size, shared);
        } catch (ErrnoException e) {
            throw failure(e, 0, 0);
        }
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw new UnsupportedOperationException("pmemfs cannot offer a MappedByteBuffer (its loads could not fault on "
                + "poison); use PmemFiles.map(path) for a DAX mapping");
    }

    // ---- close ----

    @Override
    protected void implCloseChannel() throws IOException {
        fs.locks().releaseAll(this);
        fs.forget(this);
        try {
            sys.close(fd);
        } catch (ErrnoException e) {
            if (fs.isOpen()) {
                throw Errors.of(e, path.toString());
            }
        }
    }

    /** The file system is closing: the channel closes; its descriptor goes with the process. */
    void closeByFileSystem() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException | RuntimeException e) {
            // the process's descriptors are all closed at unmount anyway
        }
    }

    @Override
    public String toString() {
        return "PmemChannel[" + path + " fd " + fd + "]";
    }
}
