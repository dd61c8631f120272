package dev.pmemfs.dax;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.block.PmemBlock;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.BadRange;
import dev.pmemfs.media.ByteRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A dax device: the checks of drivers/dax/super.c in front of a driver's {@link DaxOperations}, the
 * holder registration and the memory-failure notification chain (reference §1.1, §7.1, §7.2).
 *
 * <p>Mirrors dax_direct_access, dax_zero_page_range (with dax_mem2blk_err), dax_recovery_write,
 * dax_holder_notify_failure, kill_dax, and pmem_pagemap_memory_failure's offset translation.
 */
final class DaxCore implements DaxDevice {
    private final String name;
    private final PmemDax ops;
    private final PmemBlock driver;
    private volatile boolean alive = true;
    private volatile DaxHolder holder;
    private volatile ErrnoException lastNotifyError;

    DaxCore(String name, PmemDax ops) {
        this.name = name;
        this.ops = ops;
        this.driver = ops.driver();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long nrPages() {
        return ops.pages();
    }

    private void requireAlive(String op) throws ErrnoException {
        if (!alive) {
            throw new ErrnoException(Errno.ENXIO, op, name + " is dead (its driver was detached)");
        }
    }

    @Override
    public DaxWindow directAccess(long pgoff, long nrPages, DaxAccessMode mode) throws ErrnoException {
        Objects.requireNonNull(mode, "mode");
        requireAlive("dax_direct_access");
        if (nrPages < 0) {
            throw new ErrnoException(Errno.EINVAL, "dax_direct_access", name + ": negative page count " + nrPages);
        }
        long avail = ops.directAccess(pgoff, nrPages, mode);
        // A zero-page answer is an error, and so is a zero-page request: a window is never empty.
        long n = Math.min(avail, nrPages);
        if (n <= 0) {
            throw new ErrnoException(Errno.ERANGE, "dax_direct_access", name + ": no pages at " + pgoff
                    + "+" + nrPages + " (device has " + ops.pages() + " pages)");
        }
        return ops.map(pgoff, n);
    }

    @Override
    public void zeroPageRange(long pgoff, long nrPages) throws ErrnoException {
        requireAlive("dax_zero_page_range");
        // The driver API is single-page only.
        if (nrPages != 1) {
            throw new ErrnoException(Errno.EIO, "dax_zero_page_range", name + ": " + nrPages + " pages (only 1 allowed)");
        }
        try {
            ops.zeroPageRange(pgoff, nrPages);
        } catch (ErrnoException e) {
            throw mem2blk(e);
        }
    }

    /** {@code dax_mem2blk_err}: acting as a block device, poison is reported as EIO. */
    private static ErrnoException mem2blk(ErrnoException e) {
        return e.errno() == Errno.EHWPOISON ? new ErrnoException(Errno.EIO, e.op(), e.getMessage(), e) : e;
    }

    @Override
    public long recoveryWrite(DaxWindow window, long offset, byte[] src, int srcOff, int len) throws ErrnoException {
        Objects.requireNonNull(window, "window");
        Objects.checkFromIndexSize(srcOff, len, src.length);
        Objects.checkFromIndexSize(offset, len, window.nrPages() << PAGE_SHIFT);
        return ops.recoveryWrite(window, offset, src, srcOff, len);
    }

    @Override
    public void zeroinitRange(long pgoff, long nrPages) throws ErrnoException {
        requireAlive("dax_zeroinit_range");
        if (nrPages < 0) {
            throw new ErrnoException(Errno.EINVAL, "dax_zeroinit_range", name + ": negative page count " + nrPages);
        }
        if (nrPages == 0) {
            return;
        }
        try {
            ops.zeroinitRange(pgoff, nrPages);
        } catch (ErrnoException e) {
            throw mem2blk(e);
        }
    }

    @Override
    public void fence() {
        ops.fence();
    }

    @Override
    public void memoryFailure(long pgoff, int mfFlags) throws ErrnoException {
        requireAlive("memory_failure");
        if (pgoff < 0 || pgoff >= ops.pages()) {
            throw new ErrnoException(Errno.ENXIO, "memory_failure", name + ": page " + pgoff + " is not on the device");
        }
        long sectors = PAGE_SIZE >>> BlockDevice.SECTOR_SHIFT;
        driver.namespace().badblocksSet((driver.dataOffset() >>> BlockDevice.SECTOR_SHIFT) + pgoff * sectors, sectors);
        notifyHolder(pgoff << PAGE_SHIFT, PAGE_SIZE, mfFlags);
    }

    /**
     * The media told us a load consumed poison at namespace byte {@code nsOffset}
     * (pmem_pagemap_memory_failure): translate to whole device pages and notify the holder with
     * MF_ACTION_REQUIRED. Poison in the info-block reservation has no page (ENXIO in Linux): ignored.
     */
    void mediaFailure(long nsOffset, long len) {
        long dev = nsOffset - driver.dataOffset();
        if (dev < 0 || dev >= driver.capacityBytes()) {
            return;
        }
        long start = dev & -PAGE_SIZE;
        long end = (dev + len + PAGE_SIZE - 1) & -PAGE_SIZE;
        try {
            notifyHolder(start, end - start, DaxHolder.MF_ACTION_REQUIRED);
        } catch (ErrnoException e) {
            // memory_failure() only logs what the holder answers; the reader still gets its EIO or SIGBUS.
            lastNotifyError = e;
        }
    }

    /** {@code dax_holder_notify_failure}: ENXIO when dead; EOPNOTSUPP when nobody holds the device. */
    private void notifyHolder(long offset, long len, int flags) throws ErrnoException {
        requireAlive("dax_holder_notify_failure");
        DaxHolder h = holder;
        if (h == null) {
            return; // -EOPNOTSUPP in Linux, after which memory_failure falls back to the generic kill.
        }
        h.notifyFailure(offset, len, flags);
    }

    /** What the holder last answered with an error to a consumed-poison notification (null when none). */
    ErrnoException lastNotifyError() {
        return lastNotifyError;
    }

    @Override
    public void setHolder(DaxHolder holder) {
        this.holder = holder;
    }

    @Override
    public List<ByteRange> knownBadRanges() {
        List<ByteRange> out = new ArrayList<>();
        long curStart = -1;
        long curEnd = -1;
        for (BadRange r : driver.badblocks()) {
            ByteRange pages = r.toByteRange().alignOutward(PAGE_SIZE);
            if (curEnd >= pages.offset()) {
                curEnd = Math.max(curEnd, pages.end());
            } else {
                if (curStart >= 0) {
                    out.add(new ByteRange(curStart, curEnd - curStart));
                }
                curStart = pages.offset();
                curEnd = pages.end();
            }
        }
        if (curStart >= 0) {
            out.add(new ByteRange(curStart, curEnd - curStart));
        }
        return List.copyOf(out);
    }

    /**
     * {@code kill_dax}: tell the holder the whole device is going away (offset 0, length "U64_MAX"),
     * then refuse every further call with ENXIO.
     */
    void kill() throws ErrnoException {
        if (!alive) {
            return;
        }
        try {
            notifyHolder(0, Long.MAX_VALUE, DaxHolder.MF_MEM_PRE_REMOVE);
        } finally {
            alive = false;
        }
    }

    @Override
    public String toString() {
        return name + " (dax)";
    }
}
