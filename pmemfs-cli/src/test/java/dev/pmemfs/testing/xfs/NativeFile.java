package dev.pmemfs.testing.xfs;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.testing.fileops.FileTarget;
import dev.pmemfs.vfs.Fiemap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A file on a real Linux filesystem driven by in-process libc calls (FFM), with errno turned into
 * {@link ErrnoException} exactly as pmemfs reports it, so both sides of a differential test speak
 * the same types. One instance per open descriptor; not thread-safe.
 */
public final class NativeFile implements FileTarget {
    // struct fiemap (include/uapi/linux/fiemap.h): a 32-byte header, then 56-byte extents.
    private static final long FM_START = 0;
    private static final long FM_LENGTH = 8;
    private static final long FM_FLAGS = 16;
    private static final long FM_MAPPED_EXTENTS = 20;
    private static final long FM_EXTENT_COUNT = 24;
    private static final long FM_HEADER_SIZE = 32;
    private static final long FE_LOGICAL = 0;
    private static final long FE_PHYSICAL = 8;
    private static final long FE_LENGTH = 16;
    private static final long FE_FLAGS = 40;
    private static final long FE_SIZE = 56;
    private static final ValueLayout.OfLong U64 = JAVA_LONG.withByteAlignment(1);
    private static final ValueLayout.OfInt U32 = JAVA_INT.withByteAlignment(1);

    private final String name;
    private final Path path;
    private final Arena arena = Arena.ofShared();
    private MemorySegment buffer;
    private int fd;

    private NativeFile(String name, Path path, int fd) {
        this.name = name;
        this.path = path;
        this.fd = fd;
        this.buffer = arena.allocate(1 << 20, 4096);
    }

    /** Creates {@code path} (O_EXCL) read-write; {@code name} labels this side in messages. */
    public static NativeFile create(String name, Path path) throws ErrnoException {
        LibC.Call c = LibC.open(path.toString(), LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL | LibC.O_CLOEXEC, 0644);
        if (c.failed()) {
            throwErrno(c, "open", path.toString());
        }
        return new NativeFile(name, path, (int) c.value());
    }

    /** Opens the existing {@code path} read-write. */
    public static NativeFile open(String name, Path path) throws ErrnoException {
        LibC.Call c = LibC.open(path.toString(), LibC.O_RDWR | LibC.O_CLOEXEC, 0);
        if (c.failed()) {
            throwErrno(c, "open", path.toString());
        }
        return new NativeFile(name, path, (int) c.value());
    }

    public Path path() {
        return path;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int pwrite(byte[] buf, long pos) throws ErrnoException {
        MemorySegment b = buffer(buf.length);
        MemorySegment.copy(buf, 0, b, ValueLayout.JAVA_BYTE, 0, buf.length);
        return (int) check(LibC.pwrite(fd(), b, buf.length, pos), "pwrite");
    }

    @Override
    public int pread(byte[] buf, long pos) throws ErrnoException {
        MemorySegment b = buffer(buf.length);
        int n = (int) check(LibC.pread(fd(), b, buf.length, pos), "pread");
        MemorySegment.copy(b, ValueLayout.JAVA_BYTE, 0, buf, 0, n);
        return n;
    }

    @Override
    public void ftruncate(long length) throws ErrnoException {
        check(LibC.ftruncate(fd(), length), "ftruncate");
    }

    @Override
    public void fallocate(int mode, long offset, long len) throws ErrnoException {
        check(LibC.fallocate(fd(), mode, offset, len), "fallocate");
    }

    @Override
    public long lseek(long offset, int whence) throws ErrnoException {
        return check(LibC.lseek(fd(), offset, whence), "lseek");
    }

    @Override
    public Fiemap fiemap(long start, long length, int flags, int extentCount) throws ErrnoException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment fm = call.allocate(FM_HEADER_SIZE + FE_SIZE * extentCount, 8);
            fm.set(U64, FM_START, start);
            fm.set(U64, FM_LENGTH, length);
            fm.set(U32, FM_FLAGS, flags);
            fm.set(U32, FM_EXTENT_COUNT, extentCount);
            check(LibC.ioctl(fd(), LibC.FS_IOC_FIEMAP, fm), "ioctl(FS_IOC_FIEMAP)");
            int mapped = fm.get(U32, FM_MAPPED_EXTENTS);
            List<Fiemap.Extent> extents = new ArrayList<>();
            for (int i = 0; i < Math.min(mapped, extentCount); i++) {
                long e = FM_HEADER_SIZE + FE_SIZE * i;
                extents.add(new Fiemap.Extent(fm.get(U64, e + FE_LOGICAL), fm.get(U64, e + FE_PHYSICAL),
                        fm.get(U64, e + FE_LENGTH), fm.get(U32, e + FE_FLAGS)));
            }
            return new Fiemap(fm.get(U64, FM_START), fm.get(U64, FM_LENGTH), fm.get(U32, FM_FLAGS), mapped,
                    List.copyOf(extents));
        }
    }

    @Override
    public long size() throws ErrnoException {
        // st_size without a struct stat binding: SEEK_END does not move anything we rely on,
        // since every data call here is positional (pread/pwrite).
        return check(LibC.lseek(fd(), 0, 2), "lseek(SEEK_END)");
    }

    public void fsync() throws ErrnoException {
        check(LibC.fsync(fd()), "fsync");
    }

    /**
     * fsync, then drop the (now clean) page cache of the file. fsync turns delayed allocations into
     * real extents and converts written unwritten extents, so FIEMAP shows the final map. Dropping the
     * cache matters for SEEK_DATA: on a page-cache filesystem XFS reports an unwritten extent as data
     * where uptodate cached pages cover it (a pread of it is enough), while on DAX, where there is no
     * page cache, an unwritten extent is always a hole. With the cache dropped XFS answers from the
     * extent map alone, as DAX XFS does.
     */
    @Override
    public void settle() throws ErrnoException {
        fsync();
        check(LibC.posixFadvise(fd(), 0, 0, LibC.POSIX_FADV_DONTNEED), "posix_fadvise(DONTNEED)");
    }

    @Override
    public void close() throws ErrnoException {
        if (fd < 0) {
            return;
        }
        int old = fd;
        fd = -1;
        try {
            check(LibC.close(old), "close");
        } finally {
            arena.close();
        }
    }

    private int fd() {
        if (fd < 0) {
            throw new IllegalStateException(path + " is closed");
        }
        return fd;
    }

    private MemorySegment buffer(int len) {
        if (buffer.byteSize() < len) {
            buffer = arena.allocate(Math.max(len, 2 * buffer.byteSize()), 4096);
        }
        return buffer;
    }

    private long check(LibC.Call c, String op) throws ErrnoException {
        if (c.failed()) {
            throwErrno(c, op, path.toString());
        }
        return c.value();
    }

    private static void throwErrno(LibC.Call c, String op, String detail) throws ErrnoException {
        Errno errno;
        try {
            errno = Errno.of(c.errno());
        } catch (IllegalArgumentException unknown) {
            throw new IllegalStateException(op + " on " + detail + " failed with errno " + c.errno()
                    + ", which dev.pmemfs.errno.Errno does not name", unknown);
        }
        throw new ErrnoException(Objects.requireNonNull(errno), op, detail);
    }
}
