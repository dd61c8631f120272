package dev.pmemfs.dax;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.BadRange;
import dev.pmemfs.media.ByteRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A dax device: the checks of drivers/dax/super.c in front of a driver's {@link DaxOperations}, the
 * holder registration and the failure notification chain (reference §1.1, §7.1, §7.2).
 *
 * <p>Mirrors alloc_dax, dax_direct_access, dax_zero_page_range (with dax_mem2blk_err),
 * dax_recovery_write, dax_holder_notify_failure and kill_dax. It knows a driver only through its
 * {@link DaxOperations} (this package cannot see any driver), so the same checks hold for every
 * driver. A driver creates one with {@link #DaxCore(String, DaxOperations)} and hands it out as a
 * {@link DaxDevice}; {@link #holderNotifyFailure} and {@link #kill} are for the driver alone, as the
 * C functions are exported to drivers and not to filesystems.
 */
public final class DaxCore implements DaxDevice {
    private static final System.Logger LOG = System.getLogger(DaxCore.class.getName());

    private final String name;
    private final DaxOperations ops;
    private volatile boolean alive = true;
    private volatile DaxHolder holder;

    /** {@code alloc_dax}: a live device named {@code name} over the driver's {@code ops}. */
    public DaxCore(String name, DaxOperations ops) {
        this.name = Objects.requireNonNull(name, "name");
        this.ops = Objects.requireNonNull(ops, "ops");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long nrPages() {
        return ops.nrPages();
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
                    + "+" + nrPages + " (device has " + ops.nrPages() + " pages)");
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
        if (pgoff < 0 || pgoff >= ops.nrPages()) {
            throw new ErrnoException(Errno.ENXIO, "memory_failure", name + ": page " + pgoff + " is not on the device");
        }
        ops.markPoisoned(pgoff, 1);
        holderNotifyFailure(pgoff << PAGE_SHIFT, PAGE_SIZE, mfFlags);
    }

    /**
     * {@code dax_holder_notify_failure}: tells the holder that device bytes {@code [offset, offset+len)}
     * failed. ENXIO when the device is dead; nothing when nobody holds it (-EOPNOTSUPP in Linux, after
     * which memory_failure falls back to the generic kill). An error the holder answers is logged, as
     * memory_failure logs "recovery action for dax page: Failed", and thrown to the caller, which decides
     * what to do with it (the driver hands it on to the task that consumed the poison).
     */
    public void holderNotifyFailure(long offset, long len, int mfFlags) throws ErrnoException {
        requireAlive("dax_holder_notify_failure");
        DaxHolder h = holder;
        if (h == null) {
            return;
        }
        try {
            h.notifyFailure(offset, len, mfFlags);
        } catch (ErrnoException e) {
            LOG.log(System.Logger.Level.WARNING, () -> name + ": holder failed notify_failure of bytes " + offset
                    + "+" + len + ": " + e.getMessage());
            throw e;
        }
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
        for (BadRange r : ops.badblocks()) {
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
    public void kill() throws ErrnoException {
        if (!alive) {
            return;
        }
        try {
            holderNotifyFailure(0, Long.MAX_VALUE, DaxHolder.MF_MEM_PRE_REMOVE);
        } finally {
            alive = false;
        }
    }

    @Override
    public String toString() {
        return name + " (dax)";
    }
}
