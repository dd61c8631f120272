package dev.pmemfs.fuse;

import static dev.pmemfs.fuse.Layouts.INT;
import static dev.pmemfs.fuse.Layouts.LONG;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One FUSE session: {@code fuse_session_new} with a {@code struct fuse_lowlevel_ops} whose slots are
 * upcall stubs into a {@link FuseOperations}, {@code fuse_session_mount} on a directory and
 * {@code fuse_session_loop} (one request at a time, in arrival order) or the same loop on several Java
 * threads at once.
 * Mirrors what libfuse's example/passthrough_ll.c does in C.
 *
 * <pre>{@code
 * try (FuseSession s = FuseSession.create(ops, List.of("default_permissions", "fsname=x"))) {
 *     s.mount(Path.of("/mnt/x"));
 *     s.loop();          // returns when the file system is unmounted (fusermount3 -u, umount)
 * }
 * }</pre>
 *
 * <p>Every upcall catches everything: an exception thrown through a native frame would end the JVM.
 */
public final class FuseSession implements AutoCloseable {
    private final Libfuse lib;
    private final Arena arena = Arena.ofShared();
    private final Dispatcher dispatcher;
    private MemorySegment se = MemorySegment.NULL;
    private boolean mounted;

    private FuseSession(Libfuse lib, FuseOperations ops, Consumer<String> log) {
        this.lib = lib;
        this.dispatcher = new Dispatcher(lib, ops, log);
    }

    /** Why FUSE cannot be used here (no libfuse3, no /dev/fuse), or empty when it can. */
    public static Optional<String> unavailable() {
        if (Libfuse.load().isEmpty()) {
            return Optional.of(Libfuse.whyMissing());
        }
        java.nio.file.Path dev = java.nio.file.Path.of("/dev/fuse");
        if (!java.nio.file.Files.exists(dev)) {
            return Optional.of("/dev/fuse does not exist (load the fuse module: modprobe fuse)");
        }
        if (!java.nio.file.Files.isReadable(dev) || !java.nio.file.Files.isWritable(dev)) {
            java.nio.file.Path fusermount = java.nio.file.Path.of("/usr/bin/fusermount3");
            if (!java.nio.file.Files.isExecutable(fusermount)) {
                return Optional.of("/dev/fuse is not accessible and fusermount3 is missing (install the Debian package fuse3)");
            }
        }
        return Optional.empty();
    }

    /**
     * A new session for {@code ops} with libfuse's mount options ({@code -o} words such as
     * {@code default_permissions}, {@code allow_other}, {@code fsname=...}). {@code log} receives one line
     * for each request that failed with something other than an errno.
     */
    public static FuseSession create(FuseOperations ops, List<String> options, Consumer<String> log)
            throws ErrnoException {
        Libfuse lib = Libfuse.load().orElseThrow(() -> new ErrnoException(Errno.ENOSYS, "fuse", Libfuse.whyMissing()));
        FuseSession s = new FuseSession(lib, ops, log);
        try {
            s.newSession(options);
            return s;
        } catch (ErrnoException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void newSession(List<String> options) throws ErrnoException {
        List<String> argv = options.isEmpty() ? List.of("pmemfs") : List.of("pmemfs", "-o", String.join(",", options));
        MemorySegment args = arena.allocate(Layouts.ARGS_SIZE, 8);
        MemorySegment vec = arena.allocate(ADDRESS, argv.size() + 1);
        for (int i = 0; i < argv.size(); i++) {
            vec.setAtIndex(ADDRESS, i, arena.allocateFrom(argv.get(i), StandardCharsets.UTF_8));
        }
        vec.setAtIndex(ADDRESS, argv.size(), MemorySegment.NULL);
        args.set(INT, Layouts.ARGS_ARGC, argv.size());
        args.set(ValueLayout.ADDRESS_UNALIGNED, Layouts.ARGS_ARGV, vec);
        args.set(INT, Layouts.ARGS_ALLOCATED, 0);
        MemorySegment ops = dispatcher.operations(arena);
        try {
            se = (MemorySegment) lib.sessionNew.invokeExact(args, ops, Layouts.OPS_SIZE, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (se.equals(MemorySegment.NULL)) {
            throw new ErrnoException(Errno.EINVAL, "fuse_session_new", "libfuse refused the options " + options
                    + " (its message is on standard error)");
        }
    }

    /** fuse_session_mount: the kernel mount (through fusermount3 when not root). */
    public void mount(java.nio.file.Path mountpoint) throws ErrnoException {
        int rc;
        try {
            rc = (int) lib.sessionMount.invokeExact(se, arena.allocateFrom(mountpoint.toString(), StandardCharsets.UTF_8));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (rc != 0) {
            throw new ErrnoException(Errno.EIO, "fuse_session_mount", "cannot mount on " + mountpoint
                    + " (libfuse's reason is on standard error)");
        }
        mounted = true;
    }

    /**
     * Serves requests on the calling thread until the file system is unmounted or {@link #exit()} is
     * called (then it returns at the next request). Returns fuse_session_loop's result: 0, or a
     * negative errno.
     */
    public int loop() {
        try {
            return (int) lib.sessionLoop.invokeExact(se);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Serves requests on {@code threads} Java threads at once, each doing what fuse_session_loop does
     * ({@code fuse_session_receive_buf} from /dev/fuse, then {@code fuse_session_process_buf}, which
     * calls the operation); the kernel hands each request to one reader. The calling thread waits until
     * the file system is unmounted. The operations must be thread-safe.
     *
     * <p>Not libfuse's {@code fuse_session_loop_mt}: its workers are native threads the JVM must take in
     * on each upcall, and with them {@code bench mount}'s 4 KiB reads were about half as fast again as
     * with these Java threads.
     */
    public int loopMultiThreaded(int threads) {
        java.util.concurrent.atomic.AtomicInteger result = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> workers = new java.util.ArrayList<>();
        for (int i = 0; i < threads; i++) {
            workers.add(Thread.ofPlatform().name("fuse-worker-" + i).start(() -> {
                int rc = work();
                if (rc != 0) {
                    result.compareAndSet(0, rc);
                }
            }));
        }
        boolean interrupted = false;
        for (Thread w : workers) {
            while (w.isAlive()) {
                try {
                    w.join();
                } catch (InterruptedException e) {
                    interrupted = true; // the workers end with the mount, not with this thread
                }
            }
        }
        try {
            lib.sessionReset.invokeExact(se);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return result.get();
    }

    /** One worker: libfuse's fuse_session_loop body with a buffer of its own. */
    private int work() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Layouts.BUF_SIZE, 8);
            buf.fill((byte) 0);
            int res = 0;
            try {
                while ((int) lib.sessionExited.invokeExact(se) == 0) {
                    res = (int) lib.sessionReceiveBuf.invokeExact(se, buf);
                    if (res == -Errno.EINTR.number()) {
                        continue;
                    }
                    if (res <= 0) {
                        break; // 0: unmounted (libfuse marks the session exited); < 0: -errno
                    }
                    lib.sessionProcessBuf.invokeExact(se, buf);
                }
            } finally {
                MemorySegment mem = buf.get(ValueLayout.ADDRESS, Layouts.BUF_MEM);
                if (!mem.equals(MemorySegment.NULL)) {
                    lib.free.invokeExact(mem); // libfuse allocated it with malloc
                }
            }
            if (res < 0) {
                lib.sessionExit.invokeExact(se); // the others stop at their next request
            }
            return res > 0 ? 0 : res;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** fuse_session_exit: the loop returns after the request it is serving. */
    public void exit() {
        try {
            lib.sessionExit.invokeExact(se);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * fuse_lowlevel_notify_inval_inode: drops the kernel's cached pages of {@code [off, off+len)} of node
     * {@code ino} (len 0: to the end) and its cached attributes. Call it from a thread that is not the
     * loop thread; returns 0 or a negative errno (-ENOENT when the kernel holds no such inode).
     */
    public int invalidateInode(long ino, long off, long len) {
        try {
            return (int) lib.notifyInvalInode.invokeExact(se, ino, off, len);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Unmounts (if still mounted) and destroys the session. */
    @Override
    public void close() {
        try {
            if (!se.equals(MemorySegment.NULL)) {
                if (mounted) {
                    lib.sessionUnmount.invokeExact(se);
                    mounted = false;
                }
                lib.sessionDestroy.invokeExact(se);
                se = MemorySegment.NULL;
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            // The stubs stay valid until here: destroy above is the last call that can reach them.
            arena.close();
        }
    }

    /** The upcall targets: decode C arguments, call {@link FuseOperations}, answer errors. */
    static final class Dispatcher {
        private final Libfuse lib;
        private final FuseOperations ops;
        private final Consumer<String> log;
        private final ThreadLocal<FuseRequest.Scratch> scratch = ThreadLocal.withInitial(FuseRequest.Scratch::new);
        private final ThreadLocal<byte[]> writeBuf = ThreadLocal.withInitial(() -> new byte[1 << 20]);

        Dispatcher(Libfuse lib, FuseOperations ops, Consumer<String> log) {
            this.lib = lib;
            this.ops = ops;
            this.log = log;
        }

        @FunctionalInterface
        interface Op {
            void run(FuseRequest r) throws ErrnoException;
        }

        private void serve(String name, MemorySegment req, MemorySegment fi, Op op) {
            FuseRequest r = new FuseRequest(lib, req, fi, scratch.get());
            try {
                op.run(r);
                if (!r.replied()) {
                    log.accept("fuse " + name + ": no reply; answering EIO");
                    r.replyErr(Errno.EIO.number());
                }
            } catch (ErrnoException e) {
                if (!r.replied()) {
                    r.replyErr(e.errno().number());
                }
            } catch (Throwable t) {
                log.accept("fuse " + name + ": " + t);
                try {
                    if (!r.replied()) {
                        r.replyErr(Errno.EIO.number());
                    }
                } catch (Throwable ignored) {
                    // nothing more can be done for this request; the loop goes on
                }
            }
        }

        private static String str(MemorySegment s) {
            return s.reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_8);
        }

        private static long fh(MemorySegment fi) {
            return fi.equals(MemorySegment.NULL) ? FuseOperations.NO_FH : fi.reinterpret(Layouts.FI_SIZE).get(LONG, Layouts.FI_FH);
        }

        private static int flags(MemorySegment fi) {
            return fi.equals(MemorySegment.NULL) ? 0 : fi.reinterpret(Layouts.FI_SIZE).get(INT, Layouts.FI_FLAGS);
        }

        // ---- the slots (signatures of fuse_lowlevel.h, FUSE_USE_VERSION 35) ----

        void init(MemorySegment userdata, MemorySegment conn) {
            try {
                MemorySegment c = conn.reinterpret(128);
                ops.init(new FuseOperations.Connection() {
                    public int capable() {
                        return c.get(INT, Layouts.CONN_CAPABLE);
                    }

                    public int want() {
                        return c.get(INT, Layouts.CONN_WANT);
                    }

                    public void want(int flags) {
                        c.set(INT, Layouts.CONN_WANT, flags);
                    }

                    public void maxWrite(int bytes) {
                        c.set(INT, Layouts.CONN_MAX_WRITE, bytes);
                    }

                    public void maxReadahead(int bytes) {
                        c.set(INT, Layouts.CONN_MAX_READAHEAD, bytes);
                    }
                });
            } catch (Throwable t) {
                log.accept("fuse init: " + t);
            }
        }

        void destroy(MemorySegment userdata) {
            try {
                ops.destroy();
            } catch (Throwable t) {
                log.accept("fuse destroy: " + t);
            }
        }

        void lookup(MemorySegment req, long parent, MemorySegment name) {
            serve("lookup", req, MemorySegment.NULL, r -> ops.lookup(r, parent, str(name)));
        }

        void forget(MemorySegment req, long ino, long nlookup) {
            try {
                ops.forget(ino, nlookup);
            } catch (Throwable t) {
                log.accept("fuse forget: " + t);
            }
            new FuseRequest(lib, req, MemorySegment.NULL, scratch.get()).replyNone();
        }

        void forgetMulti(MemorySegment req, long count, MemorySegment forgets) {
            MemorySegment f = forgets.reinterpret(16 * count);
            try {
                for (long i = 0; i < count; i++) {
                    ops.forget(f.get(LONG, 16 * i), f.get(LONG, 16 * i + 8));
                }
            } catch (Throwable t) {
                log.accept("fuse forget_multi: " + t);
            }
            new FuseRequest(lib, req, MemorySegment.NULL, scratch.get()).replyNone();
        }

        void getattr(MemorySegment req, long ino, MemorySegment fi) {
            serve("getattr", req, MemorySegment.NULL, r -> ops.getattr(r, ino, fh(fi)));
        }

        void setattr(MemorySegment req, long ino, MemorySegment attr, int toSet, MemorySegment fi) {
            serve("setattr", req, MemorySegment.NULL, r -> {
                MemorySegment st = attr.reinterpret(Layouts.STAT_SIZE);
                SetattrValues v = new SetattrValues(toSet, st.get(INT, Layouts.ST_MODE), st.get(INT, Layouts.ST_UID),
                        st.get(INT, Layouts.ST_GID), st.get(LONG, Layouts.ST_SIZE), Layouts.readTime(st, Layouts.ST_ATIM),
                        Layouts.readTime(st, Layouts.ST_MTIM));
                ops.setattr(r, ino, v, fh(fi));
            });
        }

        void readlink(MemorySegment req, long ino) {
            serve("readlink", req, MemorySegment.NULL, r -> ops.readlink(r, ino));
        }

        void mknod(MemorySegment req, long parent, MemorySegment name, int mode, long rdev) {
            serve("mknod", req, MemorySegment.NULL, r -> ops.mknod(r, parent, str(name), mode, rdev));
        }

        void mkdir(MemorySegment req, long parent, MemorySegment name, int mode) {
            serve("mkdir", req, MemorySegment.NULL, r -> ops.mkdir(r, parent, str(name), mode));
        }

        void unlink(MemorySegment req, long parent, MemorySegment name) {
            serve("unlink", req, MemorySegment.NULL, r -> ops.unlink(r, parent, str(name)));
        }

        void rmdir(MemorySegment req, long parent, MemorySegment name) {
            serve("rmdir", req, MemorySegment.NULL, r -> ops.rmdir(r, parent, str(name)));
        }

        void symlink(MemorySegment req, MemorySegment link, long parent, MemorySegment name) {
            serve("symlink", req, MemorySegment.NULL, r -> ops.symlink(r, str(link), parent, str(name)));
        }

        void rename(MemorySegment req, long parent, MemorySegment name, long newParent, MemorySegment newName, int flags) {
            serve("rename", req, MemorySegment.NULL, r -> ops.rename(r, parent, str(name), newParent, str(newName), flags));
        }

        void link(MemorySegment req, long ino, long newParent, MemorySegment newName) {
            serve("link", req, MemorySegment.NULL, r -> ops.link(r, ino, newParent, str(newName)));
        }

        void open(MemorySegment req, long ino, MemorySegment fi) {
            serve("open", req, fi, r -> ops.open(r, ino, flags(fi)));
        }

        void read(MemorySegment req, long ino, long size, long off, MemorySegment fi) {
            serve("read", req, fi, r -> ops.read(r, ino, fh(fi), size, off));
        }

        void write(MemorySegment req, long ino, MemorySegment buf, long size, long off, MemorySegment fi) {
            serve("write", req, fi, r -> {
                byte[] b = writeBuf.get();
                if (b.length < size) {
                    b = new byte[(int) size];
                    writeBuf.set(b);
                }
                MemorySegment.copy(buf.reinterpret(size), ValueLayout.JAVA_BYTE, 0, b, 0, (int) size);
                ops.write(r, ino, fh(fi), b, (int) size, off);
            });
        }

        void flush(MemorySegment req, long ino, MemorySegment fi) {
            serve("flush", req, fi, r -> ops.flush(r, ino, fh(fi)));
        }

        void release(MemorySegment req, long ino, MemorySegment fi) {
            serve("release", req, fi, r -> ops.release(r, ino, fh(fi)));
        }

        void fsync(MemorySegment req, long ino, int datasync, MemorySegment fi) {
            serve("fsync", req, fi, r -> ops.fsync(r, ino, fh(fi), datasync != 0));
        }

        void opendir(MemorySegment req, long ino, MemorySegment fi) {
            serve("opendir", req, fi, r -> ops.opendir(r, ino, flags(fi)));
        }

        void readdir(MemorySegment req, long ino, long size, long off, MemorySegment fi) {
            serve("readdir", req, fi, r -> ops.readdir(r, ino, fh(fi), size, off));
        }

        void releasedir(MemorySegment req, long ino, MemorySegment fi) {
            serve("releasedir", req, fi, r -> ops.releasedir(r, ino, fh(fi)));
        }

        void fsyncdir(MemorySegment req, long ino, int datasync, MemorySegment fi) {
            serve("fsyncdir", req, fi, r -> ops.fsyncdir(r, ino, fh(fi), datasync != 0));
        }

        void statfs(MemorySegment req, long ino) {
            serve("statfs", req, MemorySegment.NULL, r -> ops.statfs(r, ino));
        }

        void create(MemorySegment req, long parent, MemorySegment name, int mode, MemorySegment fi) {
            serve("create", req, fi, r -> ops.create(r, parent, str(name), mode, flags(fi)));
        }

        void ioctl(MemorySegment req, long ino, int cmd, MemorySegment arg, MemorySegment fi, int flags,
                   MemorySegment inBuf, long inSize, long outSize) {
            serve("ioctl", req, fi, r -> {
                byte[] in = inSize == 0 ? new byte[0] : inBuf.reinterpret(inSize).toArray(ValueLayout.JAVA_BYTE);
                ops.ioctl(r, ino, fh(fi), cmd, flags, in, outSize);
            });
        }

        void fallocate(MemorySegment req, long ino, int mode, long offset, long length, MemorySegment fi) {
            serve("fallocate", req, fi, r -> ops.fallocate(r, ino, fh(fi), mode, offset, length));
        }

        void lseek(MemorySegment req, long ino, long off, int whence, MemorySegment fi) {
            serve("lseek", req, fi, r -> ops.lseek(r, ino, fh(fi), off, whence));
        }

        /** A zeroed {@code struct fuse_lowlevel_ops} with every slot this binding serves filled in. */
        MemorySegment operations(Arena arena) {
            MemorySegment ops = arena.allocate(Layouts.OPS_SIZE, 8);
            ops.fill((byte) 0);
            slot(arena, ops, Layouts.OP_INIT, "init", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
            slot(arena, ops, Layouts.OP_DESTROY, "destroy", FunctionDescriptor.ofVoid(ADDRESS));
            slot(arena, ops, Layouts.OP_LOOKUP, "lookup", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS));
            slot(arena, ops, Layouts.OP_FORGET, "forget", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_LONG));
            slot(arena, ops, Layouts.OP_FORGET_MULTI, "forgetMulti", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS));
            slot(arena, ops, Layouts.OP_GETATTR, "getattr", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS));
            slot(arena, ops, Layouts.OP_SETATTR, "setattr",
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS));
            slot(arena, ops, Layouts.OP_READLINK, "readlink", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG));
            slot(arena, ops, Layouts.OP_MKNOD, "mknod",
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_LONG));
            slot(arena, ops, Layouts.OP_MKDIR, "mkdir", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT));
            slot(arena, ops, Layouts.OP_UNLINK, "unlink", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS));
            slot(arena, ops, Layouts.OP_RMDIR, "rmdir", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS));
            slot(arena, ops, Layouts.OP_SYMLINK, "symlink",
                    FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
            slot(arena, ops, Layouts.OP_RENAME, "rename",
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT));
            slot(arena, ops, Layouts.OP_LINK, "link", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
            slot(arena, ops, Layouts.OP_OPEN, "open", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS));
            slot(arena, ops, Layouts.OP_READ, "read",
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));
            slot(arena, ops, Layouts.OP_WRITE, "write",
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
            slot(arena, ops, Layouts.OP_FLUSH, "flush", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS));
            slot(arena, ops, Layouts.OP_RELEASE, "release", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS));
            slot(arena, ops, Layouts.OP_FSYNC, "fsync", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS));
            slot(arena, ops, Layouts.OP_OPENDIR, "opendir", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS));
            slot(arena, ops, Layouts.OP_READDIR, "readdir",
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));
            slot(arena, ops, Layouts.OP_RELEASEDIR, "releasedir", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS));
            slot(arena, ops, Layouts.OP_FSYNCDIR, "fsyncdir",
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS));
            slot(arena, ops, Layouts.OP_STATFS, "statfs", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG));
            slot(arena, ops, Layouts.OP_CREATE, "create",
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS));
            slot(arena, ops, Layouts.OP_IOCTL, "ioctl", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS,
                    ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
            slot(arena, ops, Layouts.OP_FALLOCATE, "fallocate",
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS));
            slot(arena, ops, Layouts.OP_LSEEK, "lseek",
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS));
            return ops;
        }

        private void slot(Arena arena, MemorySegment table, long offset, String method, FunctionDescriptor fd) {
            try {
                MethodType mt = fd.toMethodType();
                MethodHandle target = MethodHandles.lookup().findVirtual(Dispatcher.class, method, mt).bindTo(this);
                MemorySegment stub = Linker.nativeLinker().upcallStub(target, fd, arena);
                table.set(ValueLayout.ADDRESS_UNALIGNED, offset, stub);
            } catch (NoSuchMethodException | IllegalAccessException e) {
                throw new IllegalStateException("fuse slot " + method, e);
            }
        }
    }
}
