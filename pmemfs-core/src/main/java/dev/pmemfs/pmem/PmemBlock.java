package dev.pmemfs.pmem;

import dev.pmemfs.block.Badblocks;
import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.block.BlockHandle;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.BadRange;
import dev.pmemfs.media.CopyResult;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The pmem driver's block face over one namespace ({@code pmemN}): the bio paths, the badblocks
 * file, and the driver internals the dax face ({@link PmemDax}) shares, package-private as pmem.c's
 * static functions are.
 *
 * <p>Mirrors pmem_submit_bio, pmem_do_read, pmem_do_write, pmem_clear_poison, pmem_clear_bb and
 * is_bad_pmem (drivers/nvdimm/pmem.c; reference §1.2, §2.3). Device offsets and sectors are relative
 * to the data area: device byte {@code o} is namespace byte {@code dataOffset + o}, device sector
 * {@code s} is region sector {@code s + dataOffset/512} (to_sect, to_offset). Badblocks is the
 * namespace's region list seen through that window.
 *
 * <p>Deviations, on purpose: a kernel-internal bio that is misaligned or runs past the device end
 * fails with EINVAL/EIO at once (bio_check_eod) instead of being split; the sysfs show never
 * truncates at one page of text. The table is pmemfs's scalable set unless the namespace keeps Linux's
 * 512-entry table (a linux-* profile, {@code Namespace#linuxBadblocksTable}): then a store into a full
 * table fails with ENOSPC and a clear whose split does not fit is dropped, as block/badblocks.c does.
 */
final class PmemBlock implements BlockDevice {
    private static final int PAGE_SIZE = 4096;
    private static final byte[] ZERO_PAGE = new byte[PAGE_SIZE];

    private final Namespace ns;
    private final long dataOffset;
    private final long baseSector;
    private final long capacity;

    private PmemBlock(Namespace ns) {
        this.ns = ns;
        this.dataOffset = ns.dataOffset();
        this.baseSector = ns.dataOffset() >>> SECTOR_SHIFT;
        this.capacity = ns.dataSize();
    }

    /**
     * Binds the driver to {@code ns} (pmem_attach_disk). For a devdax namespace the result serves only
     * as the driver core of its dax device: no block device is exposed for it.
     */
    static PmemBlock attach(Namespace ns) {
        return new PmemBlock(Objects.requireNonNull(ns, "ns"));
    }

    /** Whether this namespace exposes a block device (not devdax). */
    boolean exposed() {
        return ns.mode() != NamespaceMode.DEVDAX;
    }

    Namespace namespace() {
        return ns;
    }

    @Override
    public String name() {
        return ns.blockdevName();
    }

    @Override
    public long capacityBytes() {
        return capacity;
    }

    @Override
    public BlockHandle open(boolean forWrite) {
        return new PmemBlockHandle(this, forWrite);
    }

    // ---- driver internals shared with the dax face ----

    /** Data-area offset of the device within the namespace ({@code pmem->data_offset}). */
    long dataOffset() {
        return dataOffset;
    }

    /** {@code is_bad_pmem(bb, sector, len)}: any known bad sector in {@code len / 512} sectors from {@code sector}. */
    boolean isBadPmem(long sector, long len) {
        long nr = len >>> SECTOR_SHIFT;
        return nr > 0 && ns.badblocksCheck(baseSector + sector, nr);
    }

    /** First bad device sector in {@code [sector, sector + nr)}, or -1. */
    long firstBadSector(long sector, long nr) {
        long s = ns.firstBadSector(baseSector + sector, nr);
        return s < 0 ? -1 : s - baseSector;
    }

    /** Whether the device has any bad sector at all ({@code bb->count}). */
    boolean anyBadblocks() {
        return ns.badblocksCheck(baseSector, capacity >>> SECTOR_SHIFT);
    }

    /**
     * {@code __pmem_clear_poison}: the firmware clear of device bytes {@code [offset, offset+len)},
     * leaving badblocks alone; the number of bytes cleared.
     */
    long clearPoisonFirmware(long offset, long len) throws ErrnoException {
        return ns.firmwareClear(dataOffset + offset, len);
    }

    /** {@code pmem_clear_bb}: drops {@code nr} sectors from badblocks (nothing when 0). */
    void clearBb(long sector, long nr) throws ErrnoException {
        if (nr > 0) {
            ns.badblocksClear(baseSector + sector, nr);
        }
    }

    /**
     * {@code pmem_clear_poison} (block path), firmware half: clears poison in device bytes {@code
     * [offset, offset+len)}; when the clear fails or is short, records the partial progress in
     * badblocks and fails with EIO. On success badblocks is left to the caller (see {@link #doWrite}).
     */
    private void clearPoisonForWrite(long offset, long len) throws ErrnoException {
        long cleared;
        try {
            cleared = ns.firmwareClear(dataOffset + offset, len);
        } catch (ErrnoException e) {
            throw new ErrnoException(Errno.EIO, "pmem_clear_poison",
                    name() + ": clearing poison at byte " + offset + " failed: " + e.getMessage(), e);
        }
        if (cleared < len) {
            clearBb(offset >>> SECTOR_SHIFT, cleared >>> SECTOR_SHIFT);
            throw new ErrnoException(Errno.EIO, "pmem_clear_poison",
                    name() + ": poison cleared only " + cleared + " out of " + len + " bytes at byte " + offset);
        }
    }

    /**
     * {@code pmem_do_write}: if the range holds known bad sectors, clear them first and fail without
     * writing when that fails; then store and flush the data ({@code memcpy_flushcache}).
     *
     * <p>Badblocks is persistent here (Linux rebuilds it from ARS instead), so its records are dropped
     * only after the new data is durable (fenced): dropped earlier, a power cut between the two would
     * leave the sectors readable without error but holding the poison's garbage.
     */
    void doWrite(long offset, byte[] src, int srcOff, int len) throws ErrnoException {
        if (!isBadPmem(offset >>> SECTOR_SHIFT, len)) {
            ns.write(dataOffset + offset, src, srcOff, len);
            return;
        }
        clearPoisonForWrite(offset, len);
        ns.write(dataOffset + offset, src, srcOff, len);
        ns.fence();
        clearBb(offset >>> SECTOR_SHIFT, len >>> SECTOR_SHIFT);
    }

    /**
     * {@code pmem_do_read}: EIO without touching the media when a known bad sector is in range; a
     * machine check during the copy (latent poison) is EIO too.
     */
    void doRead(long offset, byte[] dst, int dstOff, int len) throws ErrnoException {
        if (isBadPmem(offset >>> SECTOR_SHIFT, len)) {
            throw new ErrnoException(Errno.EIO, "pmem_do_read",
                    name() + ": known bad sector in bytes " + offset + "+" + len);
        }
        CopyResult r = ns.read(dataOffset + offset, dst, dstOff, len);
        if (!r.isComplete()) {
            throw new ErrnoException(Errno.EIO, "pmem_do_read", name() + ": machine check at device byte "
                    + (r.poisonedAt() - dataOffset) + " (latent poison consumed)");
        }
    }

    // ---- bios ----

    private void checkBio(String op, long sector, long len) throws ErrnoException {
        if (sector < 0 || len < 0 || (len & (SECTOR_SIZE - 1)) != 0) {
            throw new ErrnoException(Errno.EINVAL, op, name() + ": bio at sector " + sector + " of " + len
                    + " bytes is not whole sectors");
        }
        long end = (sector << SECTOR_SHIFT) + len;
        if (end > capacity || end < 0) {
            throw new ErrnoException(Errno.EIO, op, name() + ": attempt to access beyond end of device (sector "
                    + sector + " + " + (len >>> SECTOR_SHIFT) + " > " + (capacity >>> SECTOR_SHIFT) + ")");
        }
    }

    @Override
    public void submitRead(long sector, byte[] dst, int dstOff, int len) throws ErrnoException {
        checkBio("submit_bio(READ)", sector, len);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        doRead(sector << SECTOR_SHIFT, dst, dstOff, len);
    }

    @Override
    public void submitWrite(long sector, byte[] src, int srcOff, int len) throws ErrnoException {
        checkBio("submit_bio(WRITE)", sector, len);
        Objects.checkFromIndexSize(srcOff, len, src.length);
        doWrite(sector << SECTOR_SHIFT, src, srcOff, len);
    }

    /**
     * {@code blkdev_issue_zeroout}: pmem has no write-zeroes support, so zero pages are written
     * through {@link #doWrite}, one page-sized segment at a time; each clears its poison, and the
     * first failure stops the zeroing (earlier segments stay written).
     */
    @Override
    public void issueZeroout(long sector, long nrSects) throws ErrnoException {
        checkBio("blkdev_issue_zeroout", sector, nrSects << SECTOR_SHIFT);
        long offset = sector << SECTOR_SHIFT;
        long end = offset + (nrSects << SECTOR_SHIFT);
        while (offset < end) {
            int seg = (int) Math.min(PAGE_SIZE, end - offset);
            doWrite(offset, ZERO_PAGE, 0, seg);
            offset += seg;
        }
    }

    // ---- sysfs badblocks ----

    /** Badblocks of this device (device sectors), ascending, merged (not split at 512). */
    List<BadRange> badblocks() {
        long nr = capacity >>> SECTOR_SHIFT;
        List<BadRange> out = new ArrayList<>();
        for (BadRange r : ns.badblocks(baseSector, nr)) {
            out.add(new BadRange(r.startSector() - baseSector, r.nrSectors()));
        }
        return out;
    }

    /** Sum of the lengths of this device's badblocks (ndctl's {@code badblock_count}). */
    long badblockCount() {
        long sum = 0;
        for (BadRange r : ns.badblocks(baseSector, capacity >>> SECTOR_SHIFT)) {
            sum += r.nrSectors();
        }
        return sum;
    }

    @Override
    public String badblocksShow() {
        return Badblocks.show(badblocks());
    }

    /** {@code badblocks_set} of device sectors (software poison: the media is untouched). */
    void badblocksSet(long sector, long nr) throws ErrnoException {
        ns.badblocksSet(baseSector + sector, nr);
    }

    @Override
    public void badblocksStore(String text) throws ErrnoException {
        BadblocksStore.Parsed p = BadblocksStore.parse(name(), text);
        ns.badblocksSet(baseSector + p.sector(), p.length());
    }

    @Override
    public String toString() {
        return name() + " (" + ns + ")";
    }
}
