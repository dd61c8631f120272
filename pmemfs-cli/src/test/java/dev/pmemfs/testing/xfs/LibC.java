package dev.pmemfs.testing.xfs;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The glibc calls the XFS driver needs, bound once through the FFM linker with {@code errno}
 * captured right after each call (so no other native code can overwrite it in between).
 * Every method returns the raw C return value; a negative value means {@link Call#errno()} is valid.
 */
final class LibC {
    static final int O_RDWR = 02;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_CLOEXEC = 02000000;
    static final int POSIX_FADV_DONTNEED = 4;
    /** {@code _IOWR('f', 11, struct fiemap)}: direction 3, size 32, type 'f', number 11. */
    static final long FS_IOC_FIEMAP = 0xC020660BL;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), -1);
    private static final MethodHandle PREAD = bind("pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), -1);
    private static final MethodHandle PWRITE = bind("pwrite", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), -1);
    private static final MethodHandle FTRUNCATE = bind("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), -1);
    private static final MethodHandle FALLOCATE = bind("fallocate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), -1);
    private static final MethodHandle LSEEK = bind("lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT), -1);
    private static final MethodHandle FSYNC = bind("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT), -1);
    private static final MethodHandle IOCTL = bind("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);
    // posix_fadvise returns the error number instead of setting errno; captured anyway for uniformity.
    private static final MethodHandle FADVISE = bind("posix_fadvise", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), -1);

    private LibC() {}

    /** The outcome of one call: the C return value and the {@code errno} captured with it. */
    record Call(long value, int errno) {
        boolean failed() {
            return value < 0;
        }
    }

    static Call open(String path, int flags, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags, mode);
            return new Call(r, errno(state, r));
        } catch (Throwable t) {
            throw rethrow("open", t);
        }
    }

    static Call close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) CLOSE.invokeExact(state, fd);
            return new Call(r, errno(state, r));
        } catch (Throwable t) {
            throw rethrow("close", t);
        }
    }

    static Call pread(int fd, MemorySegment buf, long count, long pos) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long r = (long) PREAD.invokeExact(state, fd, buf, count, pos);
            return new Call(r, errno(state, r));
        } catch (Throwable t) {
            throw rethrow("pread", t);
        }
    }

    static Call pwrite(int fd, MemorySegment buf, long count, long pos) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long r = (long) PWRITE.invokeExact(state, fd, buf, count, pos);
            return new Call(r, errno(state, r));
        } catch (Throwable t) {
            throw rethrow("pwrite", t);
        }
    }

    static Call ftruncate(int fd, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) FTRUNCATE.invokeExact(state, fd, length);
            return new Call(r, errno(state, r));
        } catch (Throwable t) {
            throw rethrow("ftruncate", t);
        }
    }

    static Call fallocate(int fd, int mode, long offset, long len) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) FALLOCATE.invokeExact(state, fd, mode, offset, len);
            return new Call(r, errno(state, r));
        } catch (Throwable t) {
            throw rethrow("fallocate", t);
        }
    }

    static Call lseek(int fd, long offset, int whence) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long r = (long) LSEEK.invokeExact(state, fd, offset, whence);
            return new Call(r, errno(state, r));
        } catch (Throwable t) {
            throw rethrow("lseek", t);
        }
    }

    static Call fsync(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) FSYNC.invokeExact(state, fd);
            return new Call(r, errno(state, r));
        } catch (Throwable t) {
            throw rethrow("fsync", t);
        }
    }

    static Call ioctl(int fd, long request, MemorySegment arg) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) IOCTL.invokeExact(state, fd, request, arg);
            return new Call(r, errno(state, r));
        } catch (Throwable t) {
            throw rethrow("ioctl", t);
        }
    }

    /** posix_fadvise: returns 0 or the error number itself (it does not use errno). */
    static Call posixFadvise(int fd, long offset, long len, int advice) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) FADVISE.invokeExact(state, fd, offset, len, advice);
            return r == 0 ? new Call(0, 0) : new Call(-1, r);
        } catch (Throwable t) {
            throw rethrow("posix_fadvise", t);
        }
    }

    private static int errno(MemorySegment state, long result) {
        return result < 0 ? (int) ERRNO.get(state, 0L) : 0;
    }

    /**
     * Binds one libc function, with {@code errno} capture; {@code firstVariadic} is the index of the
     * first variadic parameter (open and ioctl are declared with "..."), or -1.
     */
    private static MethodHandle bind(String name, FunctionDescriptor descriptor, int firstVariadic) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no symbol " + name));
        Linker.Option capture = Linker.Option.captureCallState("errno");
        return firstVariadic < 0
                ? LINKER.downcallHandle(symbol, descriptor, capture)
                : LINKER.downcallHandle(symbol, descriptor, capture, Linker.Option.firstVariadicArg(firstVariadic));
    }

    private static RuntimeException rethrow(String call, Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native " + call + " failed to link or run", t);
    }
}
