package dev.pmemfs.nio;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.recovery.ClearAtUnmount;
import dev.pmemfs.recovery.FileRange;
import dev.pmemfs.recovery.RecoveryTarget;
import dev.pmemfs.recovery.Strategies;
import dev.pmemfs.recovery.Strategy;
import dev.pmemfs.vfs.DaxMapping;
import dev.pmemfs.vfs.DeviceNodes;
import dev.pmemfs.vfs.Syscalls;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link java.nio.file.Files} cannot do on a pmemfs path: the fallocate modes that repair or
 * zero file ranges, the file's known media errors, the recovery designs, poison injection for test
 * authors, and DAX mappings whose loads fault on poison. Every call goes through the file system's
 * process (the opener's credentials) and so through the vfs layer's checks.
 */
public final class PmemFiles {
    // fallocate(2) mode bits (include/uapi/linux/falloc.h; ZEROINIT_RANGE is the RFC's 0x100)
    private static final int FALLOC_FL_KEEP_SIZE = 0x01;
    private static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    private static final int FALLOC_FL_ZERO_RANGE = 0x10;
    private static final int FALLOC_FL_ZEROINIT_RANGE = 0x100;

    private PmemFiles() {}

    /** A byte range of a file holding a known media error (whole filesystem blocks). */
    public record BadRange(long offset, long length) {
        public long end() {
            return offset + length;
        }
    }

    /** One extent of a file (FIEMAP): file offset, device offset, length, and whether it is unwritten. */
    public record Extent(long logical, long physical, long length, boolean unwritten) {}

    /**
     * What a recovery did: the design used, the file ranges whose old content is gone (they read as
     * zeros, or as undefined content when {@code undefinedContent}), and where the poison went.
     */
    public record Recovery(String strategy, List<BadRange> lost, boolean undefinedContent, String note) {
        public Recovery {
            lost = List.copyOf(lost);
        }
    }

    /** fallocate(PUNCH_HOLE | KEEP_SIZE): frees the blocks of the range; it reads as zeros. */
    public static void punchHole(Path path, long offset, long length) throws IOException {
        fallocate(path, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length);
    }

    /**
     * fallocate(ZERO_RANGE | KEEP_SIZE): the range reads as zeros; what happens to poison under it is
     * the mount profile's (Linux: unwritten extents elsewhere, poison stays; rfc-zero-range: cleared in place).
     */
    public static void zeroRange(Path path, long offset, long length) throws IOException {
        fallocate(path, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, offset, length);
    }

    /**
     * fallocate(ZEROINIT_RANGE | KEEP_SIZE): zeroes the range in place through the driver, clearing
     * poison; the file keeps its blocks. Fails with "Operation not supported" on profiles without it.
     */
    public static void zeroinit(Path path, long offset, long length) throws IOException {
        fallocate(path, FALLOC_FL_ZEROINIT_RANGE | FALLOC_FL_KEEP_SIZE, offset, length);
    }

    private static void fallocate(Path path, int mode, long offset, long length) throws IOException {
        PmemPath p = PmemPath.of(path);
        Syscalls sys = p.getFileSystem().sys();
        try {
            int fd = sys.open(p.vfsPath(), Syscalls.O_WRONLY, 0);
            try {
                sys.fallocate(fd, mode, offset, length);
            } finally {
                sys.close(fd);
            }
        } catch (ErrnoException e) {
            throw Errors.of(e, p.toString());
        }
    }

    /** The file's known media errors, in file order (as the {@code pmem} attribute view gives them). */
    public static List<BadRange> badRanges(Path path) throws IOException {
        return new PmemAttributes.PmemView(PmemPath.of(path)).badRanges();
    }

    /** The file's extents (FIEMAP), as the {@code pmem} attribute view gives them. */
    public static List<Extent> extents(Path path) throws IOException {
        return new PmemAttributes.PmemView(PmemPath.of(path)).extents();
    }

    /** The recovery design names {@link #recover(Path, String)} takes ("zeroinit", "punch-pwrite", ...). */
    public static List<String> strategies() {
        return Strategies.all().stream().map(Strategy::name).toList();
    }

    /** Repairs every known bad range of the file with the best design the mount offers. */
    public static Recovery recover(Path path) throws IOException {
        return recover(path, null);
    }

    /**
     * Repairs every known bad range of the file with design {@code strategy} (null: the best the
     * mount offers), through the interface that design gives a user: the opener's credentials decide
     * what is allowed (AccessDeniedException otherwise). {@code unmount-clear} needs an
     * administrator and no open channel on the file system (umount refuses a busy mount).
     */
    public static Recovery recover(Path path, String strategy) throws IOException {
        PmemPath p = PmemPath.of(path);
        PmemFileSystem fs = p.getFileSystem();
        Strategy s = strategy == null ? Strategies.best(fs.mountOptions()) : Strategies.byName(strategy)
                .orElseThrow(() -> new IllegalArgumentException("unknown recovery strategy '" + strategy
                        + "' (accepted: " + Strategies.names() + ")"));
        if (PmemFileSystemProvider.stat(p).isDirectory()) {
            throw new FileSystemException(p.toString(), null, "a directory: recovery repairs the blocks of regular files");
        }
        List<FileRange> bad = new ArrayList<>();
        for (BadRange b : badRanges(p)) {
            bad.add(new FileRange(b.offset(), b.length()));
        }
        if (bad.isEmpty()) {
            return new Recovery(s.name(), List.of(), false, "no known media errors in this file; nothing to do");
        }
        RecoveryTarget target = new RecoveryTarget(fs.sys(), p.vfsPath(),
                () -> DeviceNodes.open(fs.stack().block(), fs.credentials(), true), fs::clearOffline);
        try {
            Strategy.Outcome o = s.recover(target, bad);
            List<BadRange> lost = new ArrayList<>();
            for (FileRange r : o.lost()) {
                lost.add(new BadRange(r.offset(), r.length()));
            }
            return new Recovery(o.strategy(), lost, o.undefinedContent(), o.note());
        } catch (ErrnoException e) {
            IOException x = Errors.of(e, p.toString());
            if (e.errno() == Errno.EOPNOTSUPP) {
                x = new FileSystemException(p.toString(), null, s.name() + " is not offered by this mount ("
                        + fs.mountOptions().toText() + "): " + e.getMessage());
                x.initCause(e);
            }
            throw x;
        }
    }

    /**
     * Poisons the media under {@code [offset, offset + length)} of the file, as {@code ndctl
     * inject-error} does for the device sectors that hold it (the platform reports it at once, so it
     * is a known error). The range must be written data: holes and unwritten extents have no media to
     * poison. Needs an administrator (root or CAP_SYS_ADMIN), as inject-error does. The poisoned clear
     * units lose their content.
     */
    public static void inject(Path path, long offset, long length) throws IOException {
        PmemPath p = PmemPath.of(path);
        PmemFileSystem fs = p.getFileSystem();
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("offset " + offset + " length " + length);
        }
        try {
            ClearAtUnmount.requireAdmin(fs.credentials());
        } catch (ErrnoException e) {
            throw new AccessDeniedException(p.toString(), null,
                    "injecting media errors needs an administrator (root or CAP_SYS_ADMIN), as ndctl inject-error");
        }
        long end = offset + length;
        List<long[]> device = new ArrayList<>();
        long covered = offset;
        for (Extent e : extents(p)) {
            long from = Math.max(covered, e.logical());
            long eEnd = e.logical() + e.length(); // 2^63 (negative) for the last block of the largest file
            long to = eEnd < e.logical() ? end : Math.min(end, eEnd);
            if (to <= from) {
                continue;
            }
            if (from > covered || e.unwritten()) {
                break;
            }
            device.add(new long[] {e.physical() + (from - e.logical()), to - from});
            covered = to;
        }
        if (covered < end) {
            throw new FileSystemException(p.toString(), null, "offset " + covered + " is a hole, unwritten or past the "
                    + "end of the file: no media to poison there (write the range first)");
        }
        Namespace ns = fs.stack().namespace();
        try {
            for (long[] d : device) {
                ns.injectError(ns.dataOffset() + d[0], d[1], true);
            }
        } catch (ErrnoException e) {
            throw Errors.of(e, p.toString());
        }
    }

    /** A read-only DAX mapping of the whole file ({@link #map(Path, boolean)}). */
    public static PmemMapping map(Path path) throws IOException {
        return map(path, false);
    }

    /**
     * mmap(MAP_SHARED) of the whole file, readable and, with {@code writable}, writable: loads over
     * poison throw MediaErrorException (errno EHWPOISON), as SIGBUS BUS_MCEERR_AR. The descriptor is
     * closed at once, as after mmap(2); the mapping stays until closed.
     */
    public static PmemMapping map(Path path, boolean writable) throws IOException {
        PmemPath p = PmemPath.of(path);
        PmemFileSystem fs = p.getFileSystem();
        Syscalls sys = fs.sys();
        try {
            int fd = sys.open(p.vfsPath(), writable ? Syscalls.O_RDWR : Syscalls.O_RDONLY, 0);
            try {
                long size = sys.fstat(fd).size();
                if (size == 0) {
                    throw new FileSystemException(p.toString(), null, "an empty file cannot be mapped");
                }
                DaxMapping m = sys.mmap(fd, 0, size,
                        writable ? Syscalls.PROT_READ | Syscalls.PROT_WRITE : Syscalls.PROT_READ);
                return new PmemMapping(fs, m, p.toString(), 0);
            } finally {
                sys.close(fd);
            }
        } catch (ErrnoException e) {
            throw Errors.of(e, p.toString());
        }
    }

    static PmemFileSystem fileSystemOf(Path path) {
        return PmemPath.of(Objects.requireNonNull(path, "path")).getFileSystem();
    }
}
