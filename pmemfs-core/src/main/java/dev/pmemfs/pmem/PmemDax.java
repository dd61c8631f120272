package dev.pmemfs.pmem;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.dax.DaxOperations;
import dev.pmemfs.dax.DaxWindow;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.BadRange;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceMode;
import java.util.List;

/**
 * The pmem driver's {@code dax_operations}: pmem_dax_direct_access, pmem_dax_zero_page_range,
 * pmem_recovery_write, plus the RFC's zeroinit (drivers/nvdimm/pmem.c; reference §1.2).
 *
 * <p>For a devdax namespace only direct access is offered (device-dax has no dax_operations for
 * filesystems; its errors are cleared with bus commands, reference §1.6): the zeroing operations fail
 * with EOPNOTSUPP and recovery write returns 0.
 */
final class PmemDax implements DaxOperations {
    private static final int SECTORS_PER_PAGE = DaxDevice.PAGE_SIZE >>> BlockDevice.SECTOR_SHIFT;
    private static final byte[] ZERO_PAGE = new byte[DaxDevice.PAGE_SIZE];

    private final PmemBlock driver;
    private final Namespace ns;
    private final long pages;
    private final boolean devdax;

    PmemDax(PmemBlock driver) {
        this.driver = driver;
        this.ns = driver.namespace();
        this.pages = driver.capacityBytes() >>> DaxDevice.PAGE_SHIFT;
        this.devdax = ns.mode() == NamespaceMode.DEVDAX;
    }

    @Override
    public long nrPages() {
        return pages;
    }

    @Override
    public List<BadRange> badblocks() {
        return driver.badblocks();
    }

    /** The badblocks_set that memory_failure leaves behind (software poison; the media is untouched). */
    @Override
    public void markPoisoned(long pgoff, long nrPages) throws ErrnoException {
        checkPages("memory_failure", pgoff, nrPages);
        driver.badblocksSet(pgoff * SECTORS_PER_PAGE, nrPages * SECTORS_PER_PAGE);
    }

    /** {@code __pmem_direct_access}. */
    @Override
    public long directAccess(long pgoff, long nrPages, DaxAccessMode mode) throws ErrnoException {
        if (pgoff < 0 || pgoff >= pages) {
            return 0;
        }
        // Nothing exists past the device end, so checking up to it is checking the whole request.
        long want = Math.min(nrPages, pages - pgoff);
        long sector = pgoff * SECTORS_PER_PAGE;
        long num = want * DaxDevice.PAGE_SIZE;
        // The whole requested range is checked, not just its first page.
        if (driver.isBadPmem(sector, num)) {
            if (mode != DaxAccessMode.RECOVERY_WRITE) {
                throw new ErrnoException(Errno.EHWPOISON, "dax_direct_access", String.format(
                        "%s: known bad sector in pages %d+%d", ns.blockdevName(), pgoff, want));
            }
            long firstBad = driver.firstBadSector(sector, num >>> BlockDevice.SECTOR_SHIFT);
            // Set the recovery stride to the kernel page size: the firmware does not clear large chunks
            // (such as 2 MiB) reliably, so recovery proceeds page by page.
            long bytes = (firstBad - sector) << BlockDevice.SECTOR_SHIFT;
            long actual = (bytes + DaxDevice.PAGE_SIZE - 1) >>> DaxDevice.PAGE_SHIFT;
            return actual != 0 ? actual : 1;
        }
        if (driver.anyBadblocks()) {
            return want;
        }
        return pages - pgoff;
    }

    @Override
    public DaxWindow map(long pgoff, long nrPages) {
        return new PmemWindow(ns, driver.dataOffset(), pgoff, nrPages);
    }

    /** {@code pmem_dax_zero_page_range}: a full-page zero through pmem_do_write, which clears poison. */
    @Override
    public void zeroPageRange(long pgoff, long nrPages) throws ErrnoException {
        if (devdax) {
            throw new ErrnoException(Errno.EOPNOTSUPP, "dax_zero_page_range", ns.chardevName() + " is device-dax");
        }
        checkPages("dax_zero_page_range", pgoff, nrPages);
        for (long p = pgoff; p < pgoff + nrPages; p++) {
            driver.doWrite(p << DaxDevice.PAGE_SHIFT, ZERO_PAGE, 0, DaxDevice.PAGE_SIZE);
        }
    }

    /**
     * {@code pmem_recovery_write}: an ordinary flushcache copy when no known bad sector is in the
     * page-rounded range; otherwise only a page-aligned, whole-page write recovers: clear the poison
     * (all of it, or fail with 0), write the data, and only then drop the badblock records, so that a
     * competing reader keeps getting EIO until the new data is in place. Competing recovery writers are
     * serialized above (the inode lock in dax_iomap_rw).
     */
    @Override
    public long recoveryWrite(DaxWindow window, long offset, byte[] src, int srcOff, int len) throws ErrnoException {
        if (devdax) {
            return 0;
        }
        long pgoff = window.pgoff() + (offset >>> DaxDevice.PAGE_SHIFT);
        long off = offset & (DaxDevice.PAGE_SIZE - 1);
        long rounded = ((off + len + DaxDevice.PAGE_SIZE - 1) >>> DaxDevice.PAGE_SHIFT) << DaxDevice.PAGE_SHIFT;
        long sector = pgoff * SECTORS_PER_PAGE;
        if (!driver.isBadPmem(sector, rounded)) {
            window.write(offset, src, srcOff, len);
            return len;
        }
        if (off != 0 || (len & (DaxDevice.PAGE_SIZE - 1)) != 0) {
            // Not page-aligned: cannot be recovered.
            return 0;
        }
        long devOff = pgoff << DaxDevice.PAGE_SHIFT;
        long cleared;
        try {
            cleared = driver.clearPoisonFirmware(devOff, rounded);
        } catch (ErrnoException e) {
            return 0;
        }
        if (cleared > 0 && cleared < rounded) {
            // Poison cleared only partly: report nothing written (pmem_recovery_write). A clear of nothing
            // is not refused there: the data is copied and the records stay, so the page reads as bad.
            return 0;
        }
        window.write(offset, src, srcOff, len);
        // Badblocks is persistent in this emulation: the data must be durable before its records go,
        // or a power cut could keep the drop and lose the data, leaving garbage that reads without error.
        ns.fence();
        driver.clearBb(sector, cleared >>> BlockDevice.SECTOR_SHIFT);
        return len;
    }

    /**
     * The RFC's zeroinit: for whole pages, clear known poison through the firmware (EIO when short),
     * store zeros, then drop the badblock records. Latent poison the driver does not know stays, as it
     * would in Linux: the driver can only clear what badblocks tells it about.
     */
    @Override
    public void zeroinitRange(long pgoff, long nrPages) throws ErrnoException {
        if (devdax) {
            throw new ErrnoException(Errno.EOPNOTSUPP, "dax_zeroinit_range", ns.chardevName() + " is device-dax");
        }
        checkPages("dax_zeroinit_range", pgoff, nrPages);
        long devOff = pgoff << DaxDevice.PAGE_SHIFT;
        long len = nrPages << DaxDevice.PAGE_SHIFT;
        long sector = pgoff * SECTORS_PER_PAGE;
        long cleared = 0;
        boolean bad = driver.isBadPmem(sector, len);
        if (bad) {
            try {
                cleared = driver.clearPoisonFirmware(devOff, len);
            } catch (ErrnoException e) {
                throw new ErrnoException(Errno.EIO, "dax_zeroinit_range", ns.blockdevName()
                        + ": clearing poison in pages " + pgoff + "+" + nrPages + " failed: " + e.getMessage(), e);
            }
            if (cleared < len) {
                driver.clearBb(sector, cleared >>> BlockDevice.SECTOR_SHIFT);
                throw new ErrnoException(Errno.EIO, "dax_zeroinit_range", ns.blockdevName()
                        + ": poison cleared only " + cleared + " out of " + len + " bytes at page " + pgoff);
            }
        }
        ns.fill(driver.dataOffset() + devOff, len, (byte) 0);
        if (bad) {
            // The zeros durable before the records go, as in recoveryWrite.
            ns.fence();
            driver.clearBb(sector, cleared >>> BlockDevice.SECTOR_SHIFT);
        }
    }

    private void checkPages(String op, long pgoff, long nrPages) throws ErrnoException {
        if (pgoff < 0 || nrPages < 0 || pgoff + nrPages > pages) {
            throw new ErrnoException(Errno.EINVAL, op, ns.blockdevName() + ": pages " + pgoff + "+" + nrPages
                    + " outside the device (" + pages + " pages)");
        }
    }

    @Override
    public void fence() {
        ns.fence();
    }
}
