package dev.pmemfs.pmem;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.block.BlockHandle;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.Objects;

/**
 * An open {@code /dev/pmemN} with O_DIRECT: offsets and lengths in whole 512-byte sectors.
 *
 * <p>Mirrors blkdev_read_iter / blkdev_write_iter / blk_ioctl_zeroout (block/fops.c, block/ioctl.c;
 * reference §6). As Linux does, a read at or past the end returns 0 bytes and one crossing the end is
 * short; a write at or past the end fails with ENOSPC and one crossing it is short.
 */
final class PmemBlockHandle implements BlockHandle {
    private final PmemBlock dev;
    private final boolean writable;
    private volatile boolean closed;

    PmemBlockHandle(PmemBlock dev, boolean writable) {
        this.dev = dev;
        this.writable = writable;
    }

    @Override
    public boolean writable() {
        return writable;
    }

    private void checkOpen(String op) throws ErrnoException {
        if (closed) {
            throw new ErrnoException(Errno.EBADF, op, dev.name() + " handle is closed");
        }
    }

    private void checkDirect(String op, long offset, int len) throws ErrnoException {
        if (offset < 0 || len < 0 || (offset & 511) != 0 || (len & 511) != 0) {
            throw new ErrnoException(Errno.EINVAL, op, dev.name() + ": O_DIRECT needs 512-byte aligned offset and length (offset "
                    + offset + ", length " + len + ")");
        }
    }

    @Override
    public int read(long offset, byte[] dst, int dstOff, int len) throws ErrnoException {
        checkOpen("pread");
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        checkDirect("pread", offset, len);
        long size = dev.capacityBytes();
        if (offset >= size || len == 0) {
            return 0;
        }
        int n = (int) Math.min(len, size - offset);
        try {
            dev.submitRead(offset >>> 9, dst, dstOff, n);
        } catch (ErrnoException e) {
            throw new ErrnoException(e.errno(), "pread", "/dev/" + dev.name() + " at sector " + (offset >>> 9) + ": " + detailOf(e), e);
        }
        return n;
    }

    @Override
    public int write(long offset, byte[] src, int srcOff, int len) throws ErrnoException {
        checkOpen("pwrite");
        Objects.checkFromIndexSize(srcOff, len, src.length);
        if (!writable) {
            throw new ErrnoException(Errno.EBADF, "pwrite", dev.name() + " is not open for writing");
        }
        checkDirect("pwrite", offset, len);
        long size = dev.capacityBytes();
        if (offset >= size) {
            throw new ErrnoException(Errno.ENOSPC, "pwrite", dev.name() + ": offset " + offset
                    + " is at or past the end of the device (" + size + " bytes)");
        }
        if (len == 0) {
            return 0;
        }
        int n = (int) Math.min(len, size - offset);
        try {
            dev.submitWrite(offset >>> 9, src, srcOff, n);
        } catch (ErrnoException e) {
            throw new ErrnoException(e.errno(), "pwrite", "/dev/" + dev.name() + " at sector " + (offset >>> 9) + ": " + detailOf(e), e);
        }
        return n;
    }

    @Override
    public void zeroout(long start, long len) throws ErrnoException {
        checkOpen("ioctl(BLKZEROOUT)");
        if (!writable) {
            throw new ErrnoException(Errno.EBADF, "ioctl(BLKZEROOUT)", dev.name() + " is not open for writing");
        }
        // The kernel compares as u64: end = start + len - 1.
        long end = start + len - 1;
        String what = dev.name() + ": range {" + start + ", " + len + "}";
        if ((start & 511) != 0) {
            throw new ErrnoException(Errno.EINVAL, "ioctl(BLKZEROOUT)", what + ": start is not a multiple of 512");
        }
        if ((len & 511) != 0) {
            throw new ErrnoException(Errno.EINVAL, "ioctl(BLKZEROOUT)", what + ": length is not a multiple of 512");
        }
        if (Long.compareUnsigned(end, dev.capacityBytes()) >= 0) {
            throw new ErrnoException(Errno.EINVAL, "ioctl(BLKZEROOUT)", what + ": ends past the device ("
                    + dev.capacityBytes() + " bytes)");
        }
        if (Long.compareUnsigned(end, start) < 0) {
            throw new ErrnoException(Errno.EINVAL, "ioctl(BLKZEROOUT)", what + ": empty or wrapping range");
        }
        dev.issueZeroout(start >>> 9, len >>> 9);
    }

    static final int FALLOC_FL_KEEP_SIZE = 0x01;
    static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    static final int FALLOC_FL_COLLAPSE_RANGE = 0x08;
    static final int FALLOC_FL_ZERO_RANGE = 0x10;
    static final int FALLOC_FL_INSERT_RANGE = 0x20;
    static final int FALLOC_FL_UNSHARE_RANGE = 0x40;
    /** {@code FALLOC_FL_MODE_MASK} before 6.17 (no WRITE_ZEROES). */
    static final int FALLOC_FL_MODE_MASK = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE
            | FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE;
    /** {@code BLKDEV_FALLOC_FL_SUPPORTED}. */
    static final int BLKDEV_FALLOC_FL_SUPPORTED = FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE;

    /**
     * vfs_fallocate's checks that apply to a block device (steps 1–4 and 10 of reference §4.2), then
     * blkdev_fallocate (§4.5). pmem has no write-zeroes offload, so PUNCH_HOLE|KEEP_SIZE
     * (BLKDEV_ZERO_NOFALLBACK) is EOPNOTSUPP, and ZERO_RANGE falls back to writing zero pages, which
     * clears known poison as any write does.
     */
    @Override
    public void fallocate(int mode, long offset, long len) throws ErrnoException {
        checkOpen("fallocate");
        String what = dev.name() + ": mode " + String.format("%#x", mode) + ", range " + offset + "+" + len;
        if (offset < 0 || len <= 0) {
            throw new ErrnoException(Errno.EINVAL, "fallocate", what + ": negative offset or non-positive length");
        }
        if ((mode & ~(FALLOC_FL_MODE_MASK | FALLOC_FL_KEEP_SIZE)) != 0) {
            throw new ErrnoException(Errno.EOPNOTSUPP, "fallocate", what + ": unknown mode bits");
        }
        int m = mode & FALLOC_FL_MODE_MASK;
        boolean keep = (mode & FALLOC_FL_KEEP_SIZE) != 0;
        boolean valid = switch (m) {
            case 0, FALLOC_FL_UNSHARE_RANGE, FALLOC_FL_ZERO_RANGE -> true;
            case FALLOC_FL_PUNCH_HOLE -> keep;
            case FALLOC_FL_COLLAPSE_RANGE, FALLOC_FL_INSERT_RANGE -> !keep;
            default -> false;
        };
        if (!valid) {
            throw new ErrnoException(Errno.EOPNOTSUPP, "fallocate", what + ": not a valid combination of modes");
        }
        if (!writable) {
            throw new ErrnoException(Errno.EBADF, "fallocate", dev.name() + " is not open for writing");
        }
        if (offset + len < 0) {
            throw new ErrnoException(Errno.EFBIG, "fallocate", what + ": offset + length overflows");
        }
        // blkdev_fallocate
        if ((mode & ~BLKDEV_FALLOC_FL_SUPPORTED) != 0) {
            throw new ErrnoException(Errno.EOPNOTSUPP, "fallocate", what + ": a block device supports only "
                    + "KEEP_SIZE, PUNCH_HOLE and ZERO_RANGE");
        }
        long size = dev.capacityBytes();
        if (offset >= size) {
            throw new ErrnoException(Errno.EINVAL, "fallocate", what + ": starts at or past the end of the device ("
                    + size + " bytes)");
        }
        long end = offset + len - 1;
        if (end >= size) {
            if (!keep) {
                throw new ErrnoException(Errno.EINVAL, "fallocate", what + ": ends past the device (" + size
                        + " bytes) and KEEP_SIZE is not set");
            }
            len = size - offset;
        }
        if (((offset | len) & (BlockDevice.SECTOR_SIZE - 1)) != 0) {
            throw new ErrnoException(Errno.EINVAL, "fallocate", what + ": not aligned to the 512-byte logical block size");
        }
        switch (mode) {
            case FALLOC_FL_ZERO_RANGE, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE ->
                    dev.issueZeroout(offset >>> BlockDevice.SECTOR_SHIFT, len >>> BlockDevice.SECTOR_SHIFT);
            case FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE -> throw new ErrnoException(Errno.EOPNOTSUPP, "fallocate",
                    what + ": punching needs a write-zeroes offload (BLKDEV_ZERO_NOFALLBACK) and pmem has none");
            default -> throw new ErrnoException(Errno.EOPNOTSUPP, "fallocate", what
                    + ": a block device only zeroes (ZERO_RANGE) or punches (PUNCH_HOLE|KEEP_SIZE)");
        }
    }

    /** The detail part of a driver error ("op: text (ERRNO): detail"), so the syscall's message says it once. */
    private static String detailOf(ErrnoException e) {
        String prefix = e.op() + ": " + e.errno().text() + " (" + e.errno().name() + "): ";
        String m = e.getMessage();
        return m.startsWith(prefix) ? e.op() + ": " + m.substring(prefix.length()) : m;
    }

    @Override
    public void close() {
        closed = true;
    }
}
