package dev.pmemfs.media;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * An emulated pmem namespace: one image file mapped with FFM, holding a twice-kept header, the
 * persistent media error log and the namespace's media. Offsets taken by its methods are namespace
 * byte offsets in {@code [0, size())} (for fsdax/devdax the data area starts at {@link #dataOffset()});
 * sectors are region-relative (one namespace per region, so region sector = namespace offset / 512).
 *
 * <p>Models the platform side of an NVDIMM namespace: the media itself, ACPI error injection and
 * ARS, the Clear Uncorrectable Error command (nvdimm_clear_poison, drivers/nvdimm/bus.c), the badrange
 * and badblocks lists (reference §1.3, §2, §8). The poison model:
 * <ul>
 *   <li>Poison lives in whole clear units ({@code clear_err_unit}, 256 B by default), each latent (the
 *       platform has not reported it) or known (reported by a notify, a scrub, or a consumed load).</li>
 *   <li>Injection destroys the data of the poisoned units: they are filled with {@link #GARBAGE}. A
 *       firmware clear removes the poison but leaves the garbage ("platform defined" content).</li>
 *   <li>Stores never clear poison: data written over poisoned units is lost and loads still fault;
 *       only {@link #clearPoison} clears, as in Linux where {@code is_bad_pmem} gates the clear.</li>
 *   <li>{@link #read} is {@code copy_mc}: it stops at the first poisoned unit; consuming latent poison
 *       makes the unit known, adds its sectors to badblocks and tells the {@link MemoryFailureListener}.</li>
 *   <li>Badblocks (512-B sectors, rounded outward from poison) is the driver's list, persisted in the
 *       same log as the poison, so software-added entries survive reopening.</li>
 * </ul>
 * The platform's settings persist in the image header, as nfit_test's module parameters hold for the
 * life of the module: the firmware's clear unit and clear behaviour ({@link #configureFirmware}), and
 * whether the region and the namespace are enabled ({@link #setEnabled}); {@link #setClearFault}
 * overrides the clear behaviour for this open only (for tests).
 *
 * <p>One owner of three nouns, each its own class: the image file and its mapping
 * ({@code NamespaceImage}: owner lock, header, persistence domain, raw copies), the platform's poison
 * ({@code MediaPoison}: inject, consume, clear, scrub) and the region's badblocks
 * ({@code RegionBadblocks}); the state the last two share is {@code MediaState}. This class opens and
 * closes them together and is the only public way in.
 *
 * <p>Thread-safe: data copies are lock-free (like the hardware, racing stores to one range are the
 * caller's problem); poison and badblocks changes go through one leaf lock.
 */
public final class Namespace implements AutoCloseable {
    /** The byte injected poison leaves in the media (the "recognizable garbage"). */
    public static final byte GARBAGE = (byte) 0xDB;
    public static final int SECTOR_SHIFT = 9;

    private final NamespaceImage image;
    private final MediaState state;
    private final MediaPoison poison;
    private final RegionBadblocks badblocks;
    private final Scrubber scrubber;
    private volatile boolean closed;

    /**
     * A namespace its owner lends to code it runs on another process's behalf (the mount process
     * serving `pmemfs ndctl inject-error` over its control socket): while bound, {@link #close()} of
     * this namespace does nothing, so that code's try-with-resources leaves the owner's namespace open.
     */
    public static final ScopedValue<Namespace> LENT = ScopedValue.newInstance();

    private Namespace(NamespaceImage image, MediaState state) {
        this.image = image;
        this.state = state;
        this.poison = new MediaPoison(image, state, name(image.config()));
        this.badblocks = new RegionBadblocks(state);
        state.setMaxEntries((image.header().flags() & MediaHeader.FLAG_LINUX_BADBLOCKS) != 0 ? LINUX_BADBLOCKS_ENTRIES : 0);
        this.scrubber = new Scrubber(this);
    }

    private static String name(NamespaceConfig c) {
        return "namespace" + c.id() + ".0";
    }

    /** Creates a new image at {@code image} (which must not exist) with the production persistence domain. */
    public static Namespace create(Path image, NamespaceConfig config) throws IOException {
        return create(image, config, PersistenceDomain.mapped());
    }

    /**
     * Creates a new image whose stores all go through {@code pd} (e.g. a {@link TrackingPersistence}).
     * The creator owns it until {@link #close} (see {@link OwnerLock}).
     */
    public static Namespace create(Path image, NamespaceConfig config, PersistenceDomain pd) throws IOException {
        NamespaceImage img = NamespaceImage.create(image, config, pd);
        boolean ok = false;
        try {
            MediaState state = new MediaState();
            state.attachLog(img.formatLog());
            Namespace ns = new Namespace(img, state);
            ok = true;
            return ns;
        } finally {
            if (!ok) {
                img.close();
                Files.deleteIfExists(image);
            }
        }
    }

    /** Opens an existing image with the production persistence domain. */
    public static Namespace open(Path image) throws IOException {
        return open(image, PersistenceDomain.mapped());
    }

    /** Opens an existing image; every store goes through {@code pd}. See {@link #open(Path, PersistenceDomain, String)}. */
    public static Namespace open(Path image, PersistenceDomain pd) throws IOException {
        return open(image, pd, OwnerLock.processPurpose());
    }

    /**
     * Opens an existing image, owning it until {@link #close}; every store goes through {@code pd}.
     * Fails with {@link NamespaceBusyException} at once, changing nothing, when another opener owns it
     * ({@code purpose} is what this one tells later openers it is doing), and with an
     * {@link IOException} naming the file when it is not a readable pmemfs namespace image.
     */
    public static Namespace open(Path image, PersistenceDomain pd, String purpose) throws IOException {
        NamespaceImage img = NamespaceImage.open(image, pd, purpose);
        boolean ok = false;
        try {
            MediaState state = new MediaState();
            state.attachLog(img.replayLog(state::apply));
            Namespace ns = new Namespace(img, state);
            ok = true;
            return ns;
        } finally {
            if (!ok) {
                img.close();
            }
        }
    }

    /**
     * Changes the mode of the closed namespace image at {@code image} in place (ndctl
     * {@code create-namespace -f -e NS -m MODE}): the header is rewritten (copy A, then copy B, each
     * fenced, with a higher generation); media, poison and badblocks stay, region-relative, so an
     * fsdax view sees its badblocks re-based by the new data offset (ndctl test/clear.sh).
     */
    public static void reconfigure(Path image, NamespaceMode mode) throws IOException {
        try (Namespace ns = open(image)) {
            ns.image.rewriteMode(mode);
        }
    }

    // ---- identity and geometry ----

    public Path image() {
        return image.path();
    }

    public NamespaceConfig config() {
        return image.config();
    }

    public NamespaceMode mode() {
        return config().mode();
    }

    /** N of {@code namespaceN.0}. */
    public int id() {
        return config().id();
    }

    /** "namespace0.0". */
    public String name() {
        return name(config());
    }

    /** "region0". */
    public String regionName() {
        return "region" + id();
    }

    /** "pmem0" (no block device exists for devdax). */
    public String blockdevName() {
        return "pmem" + id();
    }

    /** "dax0.0" (the character device of a devdax namespace). */
    public String chardevName() {
        return "dax" + id() + ".0";
    }

    public UUID uuid() {
        return image.header().uuid();
    }

    /** Raw namespace size in bytes. */
    public long size() {
        return config().size();
    }

    /** Bytes reserved before the data area (0 for raw). */
    public long dataOffset() {
        return config().dataOffset();
    }

    /** Size of the data area (what the block/dax device exposes). */
    public long dataSize() {
        return size() - dataOffset();
    }

    public int clearErrUnit() {
        return config().clearErrUnit();
    }

    /** Records the media error log replayed when this namespace was opened. */
    public long replayedLogRecords() {
        return state.replayedRecords();
    }

    /** Generation of the media error log's active area (grows by one per compaction). */
    long logGeneration() {
        return state.logGeneration();
    }

    // ---- data ----

    /**
     * {@code copy_mc_to_kernel}: copies {@code [offset, offset+len)} into {@code dst} until done or
     * until the first poisoned unit, which it consumes (see {@link #machineCheck}).
     */
    public CopyResult read(long offset, byte[] dst, int dstOff, int len) throws ErrnoException {
        return poison.read(offset, dst, dstOff, len);
    }

    /**
     * A load of {@code [offset, offset+len)} with no copy: complete when clean; otherwise the first
     * poisoned unit is consumed (latent → known, badblocks, listener told) and the result says where
     * (bytes before it, its offset, and the listener's error if it had one).
     */
    public CopyResult machineCheck(long offset, long len) throws ErrnoException {
        return poison.machineCheck(offset, len);
    }

    /** Whether any poison (latent or known) lies in {@code [offset, offset+len)}; no side effects. */
    public boolean poisoned(long offset, long len) {
        return poison.poisoned(offset, len);
    }

    /** An 8-byte load with no poison check (callers check with {@link #machineCheck} first). */
    public long loadLong(long offset) {
        return image.loadLong(offset);
    }

    /** Stores and flushes ({@code memcpy_flushcache}); clears no poison. */
    public void write(long offset, byte[] src, int srcOff, int len) {
        image.write(offset, src, srcOff, len);
    }

    /** Stores {@code len} copies of {@code value} and flushes; clears no poison. */
    public void fill(long offset, long len, byte value) {
        image.fill(offset, len, value);
    }

    /** One 8-byte store, not flushed (an mmap store). */
    public void storeLong(long offset, long value) {
        image.storeLong(offset, value);
    }

    /** Writes back {@code [offset, offset+len)} ({@code clwb}). */
    public void flush(long offset, long len) {
        image.flush(offset, len);
    }

    /** Orders and completes earlier flushes ({@code sfence}). */
    public void fence() {
        image.fence();
    }

    /** Forces everything to the image file. */
    public void sync() {
        image.sync();
    }

    // ---- poison: injection, firmware clear, scrub ----

    /**
     * ACPI ARS Error Inject: poisons the clear units covering the range and destroys their data. With
     * {@code notify} the platform reports it at once (known, in badblocks); otherwise it stays latent
     * until a scrub or a load finds it.
     */
    public void injectError(long offset, long len, boolean notify) throws ErrnoException {
        poison.inject(offset, len, notify);
    }

    /** ACPI ARS Error Inject Clear: the platform forgets the poison; badblocks keeps its entries. */
    public void uninjectError(long offset, long len) throws ErrnoException {
        poison.uninject(offset, len);
    }

    /** The platform's poison records overlapping the range (what ARS Error Inject Status lists). */
    public List<PoisonRange> poisonRecords(long offset, long len) {
        return poison.records(offset, len);
    }

    /** All poison records of the namespace. */
    public List<PoisonRange> poisonRecords() {
        return poisonRecords(0, size());
    }

    /** Overrides the firmware's clear behaviour for this open only (not persisted; for tests). */
    public void setClearFault(ClearFault fault) {
        poison.setClearFault(fault);
    }

    /**
     * Sets the emulated firmware's {@code clear_err_unit} (what ARS Capabilities reports; a power of two
     * between 8 and 4096) and its Clear Uncorrectable Error behaviour, persistently: every later open
     * of the image, in any process, sees them (nfit_test's module parameters). Existing poison stays
     * where it is; injection and clears use the new unit from now on.
     */
    public void configureFirmware(int clearErrUnit, ClearFault fault) {
        new NamespaceConfig(size(), mode(), id(), clearErrUnit, config().errorLogBytes()); // validates the unit
        poison.configureFirmware(clearErrUnit, fault);
    }

    /** The persistent clear behaviour (what {@link #configureFirmware} set), ignoring a test's override. */
    public ClearFault firmwareClearFault() {
        return image.header().clearFault();
    }

    public ClearFault clearFault() {
        return poison.clearFault();
    }

    /**
     * The firmware's Clear Uncorrectable Error ({@code nvdimm_clear_poison}): ENXIO unless offset and
     * length are multiples of {@code clear_err_unit} and inside the namespace; EIO when the command
     * fails; otherwise the number of bytes cleared from {@code offset} (short under a
     * {@link ClearFault.Partial} fault). The cleared range loses its poison and the sectors wholly inside
     * it leave badblocks; its content stays whatever it was.
     */
    public long clearPoison(long offset, long len) throws ErrnoException {
        return poison.clearPoison(offset, len);
    }

    /**
     * The bare Clear Uncorrectable Error command: the same checks and result as {@link #clearPoison},
     * but badblocks is left alone; the driver drops its records itself, after the data lands
     * (pmem_recovery_write, reference §1.2).
     */
    public long firmwareClear(long offset, long len) throws ErrnoException {
        return poison.firmwareClear(offset, len);
    }

    /** Runs an address range scrub over the whole namespace now; returns every poison range found. */
    public List<ByteRange> scrub() throws ErrnoException {
        return poison.scrub();
    }

    /** An address range scrub of {@code [offset, offset+len)} now (ARS Start over that range). */
    public List<ByteRange> scrub(long offset, long len) throws ErrnoException {
        return poison.scrub(offset, len);
    }

    /** Starts a scrub in the background (EBUSY when one is running). */
    public void startScrub() throws ErrnoException {
        scrubber.start();
    }

    /** Waits for a running scrub to finish; returns at once when idle. */
    public void waitScrub() throws ErrnoException {
        scrubber.await();
    }

    public ScrubState scrubState() {
        return scrubber.state();
    }

    /** Completed scrubs since open (what the bus {@code scrub} attribute counts). */
    public long scrubCount() {
        return scrubber.count();
    }

    // ---- badblocks (region-relative sectors) ----

    /** Adds software poison to badblocks (the sysfs store, MADV_HWPOISON): no media poison. */
    public void badblocksSet(long startSector, long nrSectors) throws ErrnoException {
        badblocks.set(startSector, nrSectors);
    }

    /** Drops badblocks entries ({@code badblocks_clear}). */
    public void badblocksClear(long startSector, long nrSectors) throws ErrnoException {
        badblocks.clear(startSector, nrSectors);
    }

    /** Whether any sector of {@code [startSector, startSector+nrSectors)} is in badblocks ({@code is_bad_pmem}). */
    public boolean badblocksCheck(long startSector, long nrSectors) {
        return badblocks.check(startSector, nrSectors);
    }

    /** First bad sector in the range, or -1. */
    public long firstBadSector(long startSector, long nrSectors) {
        return badblocks.firstBad(startSector, nrSectors);
    }

    /** Badblocks entries overlapping the sector range, clipped to it, ascending. */
    public List<BadRange> badblocks(long startSector, long nrSectors) {
        return badblocks.list(startSector, nrSectors);
    }

    /** Every badblocks entry (region sectors), ascending. */
    public List<BadRange> badblocks() {
        return badblocks.list(0, Long.MAX_VALUE);
    }

    /** Number of badblocks ranges (merged). */
    public long badblockRanges() {
        return badblocks.ranges();
    }

    // ---- enable state (persistent: ndctl disable-region / disable-namespace) ----

    /** Whether region N is enabled (its driver bound). */
    public boolean regionEnabled() {
        return (image.header().flags() & MediaHeader.FLAG_REGION_DISABLED) == 0;
    }

    /** Whether the namespace itself is enabled (a disabled region hides it even then). */
    public boolean namespaceEnabled() {
        return (image.header().flags() & MediaHeader.FLAG_NAMESPACE_DISABLED) == 0;
    }

    /** Whether the namespace is active: its region and itself enabled, so a driver may bind to it. */
    public boolean enabled() {
        return regionEnabled() && namespaceEnabled();
    }

    /**
     * Records whether the region and the namespace are enabled, persistently (the header is rewritten).
     * Binding the driver and re-reading the error records at enable are the caller's part (see
     * {@link #revalidateBadblocks}).
     */
    public void setEnabled(boolean region, boolean namespace) {
        MediaHeader h = image.header();
        int flags = (h.flags() & MediaHeader.FLAG_LINUX_BADBLOCKS)
                | (region ? 0 : MediaHeader.FLAG_REGION_DISABLED) | (namespace ? 0 : MediaHeader.FLAG_NAMESPACE_DISABLED);
        if (flags != h.flags()) {
            image.rewriteSettings(flags, h.config().clearErrUnit(), h.clearFault());
        }
    }

    /**
     * What a probe does with the platform's error records ({@code nvdimm_badblocks_populate} from the
     * bus badrange list, reference §1.2, §1.3): badblocks becomes the sectors of the known poison,
     * rounded outward. Cleared errors (gone from the records) stay gone, errors the platform still
     * reports come back, and entries no record backs (sysfs stores, MADV_HWPOISON, un-injected errors)
     * go.
     *
     * @return whether badblocks changed
     */
    public boolean revalidateBadblocks() throws ErrnoException {
        return state.revalidateBadblocks();
    }

    /**
     * {@code nd_pfn_clear_memmap_errors}, run when an fsdax or devdax namespace is probed: known errors
     * in the memmap reservation (between the info block and the data offset) are cleared and zeroed, as
     * the kernel writes zeros there (nvdimm_write_bytes clears the poison first). Nothing for raw.
     *
     * @return bytes cleared
     * @throws ErrnoException EIO when the firmware does not clear them (the probe fails: "error clearing
     *                        N badblocks at SECTOR")
     */
    public long clearMemmapErrors() throws ErrnoException {
        if (!mode().hasInfoBlock()) {
            return 0;
        }
        long start = Layout.INFO_BLOCK_END >>> SECTOR_SHIFT;
        long end = dataOffset() >>> SECTOR_SHIFT;
        long total = 0;
        for (BadRange r : badblocks(start, end - start)) {
            ByteRange bytes = new ByteRange(r.startSector() << SECTOR_SHIFT, r.nrSectors() << SECTOR_SHIFT)
                    .alignOutward(clearErrUnit());
            long cleared;
            try {
                cleared = clearPoison(bytes.offset(), bytes.length());
            } catch (ErrnoException e) {
                cleared = -1;
            }
            if (cleared != bytes.length()) {
                throw new ErrnoException(Errno.EIO, "nd_pfn_clear_memmap_errors", String.format(
                        "%s: error clearing %x badblocks at %x", name(), r.nrSectors(), r.startSector()));
            }
            fill(bytes.offset(), bytes.length(), (byte) 0);
            fence();
            total += cleared;
        }
        return total;
    }

    /**
     * Whether the driver's badblocks table behaves as Linux's block/badblocks.c: at most
     * {@value #LINUX_BADBLOCKS_ENTRIES} entries of at most 512 sectors; a sysfs store or MADV_HWPOISON
     * into a full table fails with ENOSPC and changes nothing, an error the platform reports (notify,
     * scrub, a consumed load, a probe) is not recorded when it does not fit (the poison record stays),
     * and a clear whose split does not fit is dropped (the sectors stay bad). Otherwise the table is
     * pmemfs's scalable set (no limit).
     */
    public boolean linuxBadblocksTable() {
        return (image.header().flags() & MediaHeader.FLAG_LINUX_BADBLOCKS) != 0;
    }

    /** Entries of Linux's table ({@code MAX_BADBLOCKS}, one page of u64). */
    public static final int LINUX_BADBLOCKS_ENTRIES = 512;

    /** Chooses Linux's table or the scalable one, persistently (a mount under a linux-* profile chooses Linux's). */
    public void setLinuxBadblocksTable(boolean linux) {
        MediaHeader h = image.header();
        int flags = linux ? h.flags() | MediaHeader.FLAG_LINUX_BADBLOCKS : h.flags() & ~MediaHeader.FLAG_LINUX_BADBLOCKS;
        if (flags != h.flags()) {
            image.rewriteSettings(flags, h.config().clearErrUnit(), h.clearFault());
        }
        state.setMaxEntries(linux ? LINUX_BADBLOCKS_ENTRIES : 0);
    }

    // ---- notification ----

    /** Registers who hears of consumed latent poison (one listener; null to drop). */
    public void setMemoryFailureListener(MemoryFailureListener l) {
        poison.setListener(l);
    }

    // ---- ownership ----

    /** Who owns this namespace: this process, doing what it said (see {@link OwnerLock}). */
    public OwnerLock.Owner owner() {
        return image.claim().owner();
    }

    /** Tells later openers what the owner is doing now ("mounted at /mnt/pm"). */
    public void describeOwner(String purpose) throws IOException {
        image.claim().describe(purpose);
    }

    /**
     * Deletes the closed namespace image at {@code image} ({@code ndctl destroy-namespace}), refusing
     * with {@link NamespaceBusyException} while anyone has it open: a writer never loses its namespace
     * under it. The image need not be readable (a damaged one can be destroyed).
     */
    public static void delete(Path image) throws IOException {
        try (OwnerLock claim = OwnerLock.acquire(image, "destroying the namespace")) {
            Files.delete(image);
        }
    }

    /** Waits for a running scrub, then flushes, unmaps and gives up ownership. */
    @Override
    public void close() {
        if (closed || LENT.isBound() && LENT.get() == this) {
            return; // lent by its owner (a mount process) to a command it runs: the owner closes it
        }
        scrubber.awaitQuietly();
        closed = true;
        image.close();
    }

    @Override
    public String toString() {
        return name() + " (" + mode().ndctlName() + ", " + size() + " bytes, " + image.path() + ")";
    }
}
