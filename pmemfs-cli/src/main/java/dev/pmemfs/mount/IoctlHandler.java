package dev.pmemfs.mount;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Badblock;
import dev.pmemfs.vfs.Fiemap;
import dev.pmemfs.vfs.Syscalls;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The ioctls a file on the mount answers, with the numbers and structures of {@code include/pmemfs.h}
 * (restricted FUSE ioctls: fixed sizes, copied in and out by the kernel). Each is one syscall of the
 * opener's process on its descriptor, so permissions and errno are the vfs's: the fallocate ioctl is
 * fallocate(2) with a mode word FUSE would have dropped, FIEMAP and badblocks are the vfs's queries.
 * {@code IoctlNumbersTest} compiles the header and checks every number and size here.
 */
final class IoctlHandler {
    private static final int IOC_WRITE = 1, IOC_READ = 2;

    static int ioc(int dir, char type, int nr, int size) {
        return dir << 30 | size << 16 | type << 8 | nr;
    }

    static final int FALLOCATE_SIZE = 24;
    static final int BADBLOCKS_MAX = 64;
    static final int BADBLOCKS_SIZE = 16 + 16 * BADBLOCKS_MAX;
    static final int FIEMAP_MAX = 32;
    static final int FIEMAP_EXTENT_SIZE = 56;
    static final int FIEMAP_SIZE = 32 + FIEMAP_EXTENT_SIZE * FIEMAP_MAX;

    static final int PMEMFS_IOC_FALLOCATE = ioc(IOC_WRITE, 'p', 1, FALLOCATE_SIZE);
    static final int PMEMFS_IOC_BADBLOCKS = ioc(IOC_READ | IOC_WRITE, 'p', 2, BADBLOCKS_SIZE);
    static final int PMEMFS_IOC_FIEMAP = ioc(IOC_READ | IOC_WRITE, 'p', 3, FIEMAP_SIZE);
    /** FS_IOC_GETFLAGS / FS_IOC_SETFLAGS ({@code _IOR('f', 1, long)}, {@code _IOW('f', 2, long)}). */
    static final int FS_IOC_GETFLAGS = ioc(IOC_READ, 'f', 1, 8);
    static final int FS_IOC_SETFLAGS = ioc(IOC_WRITE, 'f', 2, 8);

    /** The {@code _IOR} bytes to copy back to the caller (empty for {@code _IOW}). */
    byte[] handle(Syscalls p, int fd, int cmd, byte[] in, long outSize) throws ErrnoException {
        if (cmd == PMEMFS_IOC_FALLOCATE) {
            ByteBuffer b = arg(in, FALLOCATE_SIZE, "PMEMFS_IOC_FALLOCATE");
            long offset = b.getLong(0);
            long length = b.getLong(8);
            int mode = b.getInt(16);
            if (b.getInt(20) != 0) {
                throw new ErrnoException(Errno.EINVAL, "ioctl(PMEMFS_IOC_FALLOCATE)", "reserved field is not 0");
            }
            p.fallocate(fd, mode, offset, length);
            return new byte[0];
        }
        if (cmd == PMEMFS_IOC_BADBLOCKS) {
            ByteBuffer b = arg(in, BADBLOCKS_SIZE, "PMEMFS_IOC_BADBLOCKS");
            long start = b.getLong(0);
            List<Badblock> all = p.badblocks(fd).stream().filter(r -> r.end() > start).toList();
            ByteBuffer out = ByteBuffer.allocate(BADBLOCKS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            int n = Math.min(all.size(), BADBLOCKS_MAX);
            out.putLong(0, start).putInt(8, n).putInt(12, all.size() > n ? 1 : 0);
            for (int i = 0; i < n; i++) {
                out.putLong(16 + 16 * i, all.get(i).offset()).putLong(24 + 16 * i, all.get(i).length());
            }
            return out.array();
        }
        if (cmd == PMEMFS_IOC_FIEMAP) {
            ByteBuffer b = arg(in, FIEMAP_SIZE, "PMEMFS_IOC_FIEMAP");
            long start = b.getLong(0);
            long length = b.getLong(8);
            int flags = b.getInt(16);
            int count = b.getInt(24);
            if (count < 0 || count > FIEMAP_MAX) {
                throw new ErrnoException(Errno.EINVAL, "ioctl(PMEMFS_IOC_FIEMAP)", "fm_extent_count " + Integer.toUnsignedString(count)
                        + " exceeds PMEMFS_FIEMAP_MAX " + FIEMAP_MAX);
            }
            Fiemap fm = p.fiemap(fd, start, length, flags, count);
            ByteBuffer out = ByteBuffer.allocate(FIEMAP_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            out.putLong(0, start).putLong(8, length).putInt(16, fm.flags()).putInt(20, fm.mappedExtents())
                    .putInt(24, count);
            for (int i = 0; i < fm.extents().size() && i < count; i++) {
                Fiemap.Extent e = fm.extents().get(i);
                int at = 32 + FIEMAP_EXTENT_SIZE * i;
                out.putLong(at, e.logical()).putLong(at + 8, e.physical()).putLong(at + 16, e.length())
                        .putInt(at + 40, e.flags());
            }
            return out.array();
        }
        if (cmd == FS_IOC_GETFLAGS) {
            return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0, p.getFlags(fd)).array();
        }
        if (cmd == FS_IOC_SETFLAGS) {
            p.setFlags(fd, arg(in, 8, "FS_IOC_SETFLAGS").getInt(0));
            return new byte[0];
        }
        throw new ErrnoException(Errno.ENOTTY, "ioctl", String.format("unknown ioctl 0x%08x", cmd));
    }

    private static ByteBuffer arg(byte[] in, int size, String name) throws ErrnoException {
        if (in.length < size) {
            throw new ErrnoException(Errno.EINVAL, "ioctl(" + name + ")", "argument of " + in.length + " bytes, expected " + size);
        }
        return ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN);
    }
}
