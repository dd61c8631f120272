package dev.pmemfs.mount;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fuse.FuseSession;
import dev.pmemfs.vfs.Vfs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * A mounted filesystem served through FUSE: the session on the mount point, the requests served by
 * {@link PmemFuseFs} over the given {@link Vfs}. {@link #serve()} runs the request loop on the calling
 * thread until the mount goes away (umount, fusermount3 -u, {@link #requestUnmount()}); the caller then
 * closes this and then the Vfs (which flushes the journal).
 */
public final class FuseMount implements AutoCloseable {
    private final Path mountPoint;
    private final FuseSession session;
    private final PmemFuseFs ops;
    private final ReentrantReadWriteLock lock;
    private volatile int minor = -1;

    private FuseMount(Path mountPoint, FuseSession session, PmemFuseFs ops, ReentrantReadWriteLock lock) {
        this.mountPoint = mountPoint;
        this.session = session;
        this.ops = ops;
        this.lock = lock;
    }

    /** Why a FUSE mount cannot be made on this machine, or empty. */
    public static Optional<String> unavailable() {
        return FuseSession.unavailable();
    }

    /**
     * Mounts {@code vfs} on {@code mountPoint}. {@code source} is what mount(8) and df show as the
     * device ("pmemfs:namespace0.0"); {@code allowOther} lets every user in (the kernel still checks
     * permissions: default_permissions).
     */
    public static FuseMount mount(Vfs vfs, Path mountPoint, String source, boolean allowOther, Consumer<String> log)
            throws ErrnoException {
        ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        PmemFuseFs ops = new PmemFuseFs(vfs, lock);
        List<String> options = new ArrayList<>(List.of("default_permissions", "fsname=" + source, "subtype=pmemfs"));
        if (allowOther) {
            options.add("allow_other");
        }
        FuseSession s = FuseSession.create(ops, options, log);
        try {
            s.mount(mountPoint);
        } catch (ErrnoException | RuntimeException e) {
            s.close();
            throw e;
        }
        FuseMount m = new FuseMount(mountPoint.toAbsolutePath().normalize(), s, ops, lock);
        try {
            MountTable.pmemfsAt(m.mountPoint).ifPresent(e -> m.minor = e.minor());
        } catch (IOException e) {
            // without the connection number, requestUnmount cannot abort a busy mount; it still detaches it
        }
        return m;
    }

    public Path mountPoint() {
        return mountPoint;
    }

    /**
     * The exclusive side of the lock every request holds while it runs in the stack; take it to work on
     * the same namespace from another thread (the control socket): no request runs meanwhile.
     */
    public Lock lock() {
        return lock.writeLock();
    }

    /**
     * Threads {@link #serve()} uses by default: one. Measured on the 2-core development machine (fio,
     * O_DIRECT 4 KiB random reads), one thread served about 36,000 reads/s to one fio job and 23,000 to
     * four, four threads about 10,000 and 11,500: the hand-over between threads costs more than the
     * overlap gains there. {@code pmemfs mount --threads N} chooses more.
     */
    public static final int DEFAULT_THREADS = 1;

    /** Serves requests on {@link #DEFAULT_THREADS} threads until the filesystem is unmounted. */
    public int serve() {
        return serve(DEFAULT_THREADS);
    }

    /**
     * Serves requests until the filesystem is unmounted, on one thread (fuse_session_loop, the calling
     * thread) or on {@code threads} Java threads each running that loop; the loop's result (0 or -errno).
     */
    public int serve(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads);
        }
        return threads == 1 ? session.loop() : session.loopMultiThreaded(threads);
    }

    /**
     * From another thread (SIGTERM): detach the mount and end the connection, so {@link #serve()}
     * returns. A busy mount (open files, a shell inside) is detached lazily and its connection aborted:
     * the programs holding it get ENOTCONN, as after {@code umount -l} of a dead server.
     */
    public void requestUnmount() {
        session.exit();
        MountTable.unmount(mountPoint, true);
        if (minor >= 0) {
            // The loop may wait in read(2) on /dev/fuse while open files keep the connection alive.
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            MountTable.abort(minor);
        }
    }

    /**
     * Nanoseconds read and write requests have spent in the syscall layer and below so far (the rest of
     * a request's time is the kernel's FUSE round trip, libfuse, the upcall and the reply's copy).
     */
    public long stackNanos() {
        return ops.stackNanos();
    }

    /** Closes every file the kernel left open, then the session (unmounting if still mounted). */
    @Override
    public void close() {
        ops.closeAll();
        session.close();
    }
}
