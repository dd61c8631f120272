package dev.pmemfs.pmem;

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
