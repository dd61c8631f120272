package dev.pmemfs.vfs;

/**
 * The memory character devices a device node on pmemfs can reach (drivers/char/mem.c, major 1):
 * {@code null} (1:3, reads end at once, writes vanish), {@code zero} (1:5, reads zeros) and
 * {@code full} (1:7, reads zeros, writes fail with ENOSPC). Other device numbers have no driver here.
 */
enum MemDevice {
    NULL(3), ZERO(5), FULL(7);

    private final int minor;

    MemDevice(int minor) {
        this.minor = minor;
    }

    /** The device {@code rdev} names, or null when no driver serves it. */
    static MemDevice of(long rdev) {
        if (Stat.major(rdev) != 1) {
            return null;
        }
        for (MemDevice d : values()) {
            if (Stat.minor(rdev) == d.minor) {
                return d;
            }
        }
        return null;
    }

    int read(byte[] buf, int off, int len) {
        if (this == NULL) {
            return 0;
        }
        java.util.Arrays.fill(buf, off, off + len, (byte) 0);
        return len;
    }

    int write(int len) throws dev.pmemfs.errno.ErrnoException {
        if (this == FULL && len > 0) {
            throw new dev.pmemfs.errno.ErrnoException(dev.pmemfs.errno.Errno.ENOSPC, "write", "/dev/full");
        }
        return len;
    }
}
