package dev.pmemfs.pmem;

import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.dax.DaxPoisonException;
import dev.pmemfs.dax.DaxWindow;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.CopyResult;
import dev.pmemfs.media.Namespace;
import java.util.Objects;

/**
 * The "kaddr" of pmem direct access: a window of whole device pages, copied through the namespace's
 * machine-check-safe copies. Device byte {@code d} is namespace byte {@code dataOffset + d}.
 *
 * <p>Mirrors {@code pmem->virt_addr + PFN_PHYS(pgoff)} with dax_copy_to_iter (copy_mc) and
 * dax_copy_from_iter (_copy_from_iter_flushcache), drivers/nvdimm/pmem.c and fs/dax.c.
 */
final class PmemWindow implements DaxWindow {
    private final Namespace ns;
    private final long start;
    private final long pgoff;
    private final long nrPages;
    private final long dataOffset;

    PmemWindow(Namespace ns, long dataOffset, long pgoff, long nrPages) {
        this.ns = ns;
        this.dataOffset = dataOffset;
        this.pgoff = pgoff;
        this.nrPages = nrPages;
        this.start = dataOffset + (pgoff << DaxDevice.PAGE_SHIFT);
    }

    @Override
    public long pgoff() {
        return pgoff;
    }

    @Override
    public long nrPages() {
        return nrPages;
    }

    private void check(long offset, long len) {
        Objects.checkFromIndexSize(offset, len, nrPages << DaxDevice.PAGE_SHIFT);
    }

    @Override
    public CopyResult read(long offset, byte[] dst, int dstOff, int len) {
        check(offset, len);
        CopyResult r;
        try {
            r = ns.read(start + offset, dst, dstOff, len);
        } catch (ErrnoException e) {
            throw new IllegalStateException("cannot record consumed poison: " + e.getMessage(), e);
        }
        return r.isComplete() ? r : new CopyResult(r.bytesCopied(), r.poisonedAt() - dataOffset, r.notifyError());
    }

    @Override
    public void write(long offset, byte[] src, int srcOff, int len) {
        check(offset, len);
        ns.write(start + offset, src, srcOff, len);
    }

    @Override
    public void zero(long offset, long len) {
        check(offset, len);
        ns.fill(start + offset, len, (byte) 0);
    }

    @Override
    public long loadLong(long offset) throws DaxPoisonException {
        check(offset, 8);
        CopyResult r;
        try {
            r = ns.machineCheck(start + offset, 8);
        } catch (ErrnoException e) {
            throw new IllegalStateException("cannot record consumed poison: " + e.getMessage(), e);
        }
        if (!r.isComplete()) {
            throw new DaxPoisonException((r.poisonedAt() - dataOffset) & -DaxDevice.PAGE_SIZE, r.notifyError());
        }
        return ns.loadLong(start + offset);
    }

    @Override
    public void storeLong(long offset, long value) {
        check(offset, 8);
        ns.storeLong(start + offset, value);
    }

    @Override
    public void flush(long offset, long len) {
        check(offset, len);
        ns.flush(start + offset, len);
    }

    @Override
    public String toString() {
        return "dax window pages " + pgoff + "+" + nrPages + " of " + ns.name();
    }
}
