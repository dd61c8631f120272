package dev.pmemfs.media;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
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
 * Firmware fault settings ({@link #setClearFault}) are not persisted: they belong to one test run.
 *
 * <p>Thread-safe: data copies are lock-free (like the hardware, racing stores to one range are the
 * caller's problem); poison and badblocks changes go through one leaf lock.
 */
public final class Namespace implements AutoCloseable {
    /** The byte injected poison leaves in the media (the "recognizable garbage"). */
    public static final byte GARBAGE = (byte) 0xDB;
    public static final int SECTOR_SHIFT = 9;

    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path image;
    private final MediaHeader header;
    private final Arena arena;
    private final MemorySegment file;
    private final MemorySegment media;
    private final long base;
    private final PersistenceDomain pd;
    private final MediaState state;
    private final Scrubber scrubber;
    private final OwnerLock claim;
    private volatile ClearFault clearFault = ClearFault.NONE;
    private volatile MemoryFailureListener listener;
    private volatile boolean closed;

    /**
     * A namespace its owner lends to code it runs on another process's behalf (the mount process
     * serving `pmemfs ndctl inject-error` over its control socket): while bound, {@link #close()} of
     * this namespace does nothing, so that code's try-with-resources leaves the owner's namespace open.
     */
    public static final ScopedValue<Namespace> LENT = ScopedValue.newInstance();

    private Namespace(Path image, OwnerLock claim, MediaHeader header, Arena arena, MemorySegment file,
            PersistenceDomain pd, MediaState state) {
        this.image = image;
        this.claim = claim;
        this.header = header;
        this.arena = arena;
        this.file = file;
        this.base = header.mediaOffset();
        this.media = file.asSlice(base, header.config().size());
        this.pd = pd;
        this.state = state;
        this.scrubber = new Scrubber(this);
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
        Objects.requireNonNull(config, "config");
        long mediaOffset = Layout.mediaOffset(config.logAreaBytes());
        long length = mediaOffset + config.size();
        try (RandomAccessFile raf = new RandomAccessFile(createNew(image).toFile(), "rw")) {
            // A sparse file: nothing but the header and the log is ever written at creation.
            raf.setLength(length);
        }
        OwnerLock claim = null;
        boolean ok = false;
        Arena arena = Arena.ofShared();
        try {
            claim = OwnerLock.acquire(image, OwnerLock.processPurpose());
            MemorySegment file = map(image, length, arena);
            pd.attach(image, file);
            MediaHeader header = new MediaHeader(config, UUID.randomUUID(), mediaOffset, 1);
            byte[] bytes = header.encode();
            for (long copy : new long[] {0, Layout.HEADER_SIZE}) {
                pd.storeBytes(copy, bytes, 0, bytes.length);
                pd.flush(copy, bytes.length);
                pd.fence();
            }
            MediaState state = new MediaState();
            state.attachLog(MediaErrorLog.format(pd, file, Layout.LOG_OFFSET, config.logAreaBytes()));
            Namespace ns = new Namespace(image, claim, header, arena, file, pd, state);
            ok = true;
            return ns;
        } finally {
            if (!ok) {
                arena.close();
                Files.deleteIfExists(image);
                if (claim != null) {
                    claim.close();
                }
            }
        }
    }

    private static Path createNew(Path image) throws IOException {
        Objects.requireNonNull(image, "image");
        Files.createFile(image);
        return image;
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
        if (!Files.exists(image)) {
            throw new NoSuchFileException(image.toString());
        }
        OwnerLock claim = OwnerLock.acquire(image, purpose);
        boolean ok = false;
        Arena arena = Arena.ofShared();
        try {
            long length = Files.size(image);
            if (length < Layout.LOG_OFFSET) {
                throw new IOException(image + ": " + length + " bytes is too small to be a pmemfs namespace image");
            }
            MemorySegment file = map(image, length, arena);
            MediaHeader header = chooseHeader(image, file);
            long want = header.mediaOffset() + header.config().size();
            if (length != want) {
                throw new IOException(image + ": image is " + length + " bytes but its header describes "
                        + want + " bytes; the file was truncated or extended");
            }
            pd.attach(image, file);
            MediaState state = new MediaState();
            try {
                state.attachLog(MediaErrorLog.replay(pd, file, Layout.LOG_OFFSET, header.config().logAreaBytes(),
                        state::apply));
            } catch (ErrnoException e) {
                throw new IOException(image + ": " + e.getMessage(), e);
            }
            Namespace ns = new Namespace(image, claim, header, arena, file, pd, state);
            ok = true;
            return ns;
        } finally {
            if (!ok) {
                arena.close();
                claim.close();
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
            NamespaceConfig cfg = ns.config().withMode(mode);
            MediaHeader next = new MediaHeader(cfg, ns.uuid(), ns.header.mediaOffset(), ns.header.generation() + 1);
            byte[] bytes = next.encode();
            for (long copy : new long[] {0, Layout.HEADER_SIZE}) {
                ns.pd.storeBytes(copy, bytes, 0, bytes.length);
                ns.pd.flush(copy, bytes.length);
                ns.pd.fence();
            }
        }
    }

    private static MediaHeader chooseHeader(Path image, MemorySegment file) throws IOException {
        MediaHeader.Decoded a = MediaHeader.decode(file.asSlice(0, Layout.HEADER_SIZE));
        MediaHeader.Decoded b = MediaHeader.decode(file.asSlice(Layout.HEADER_SIZE, Layout.HEADER_SIZE));
        if (a instanceof MediaHeader.Valid va && b instanceof MediaHeader.Valid vb) {
            return va.header().generation() >= vb.header().generation() ? va.header() : vb.header();
        }
        if (a instanceof MediaHeader.Valid va) {
            return va.header();
        }
        if (b instanceof MediaHeader.Valid vb) {
            return vb.header();
        }
        throw new IOException(image + ": not a usable pmemfs namespace image (header A: "
                + ((MediaHeader.Invalid) a).why() + "; header B: " + ((MediaHeader.Invalid) b).why() + ")");
    }

    private static MemorySegment map(Path image, long length, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, length, arena);
        } catch (IOException e) {
            throw new IOException("cannot map " + image + " (" + length + " bytes): " + e.getMessage()
                    + "; check free disk space, the file's permissions and the process's address-space limit (ulimit -v)", e);
        }
    }

    // ---- identity and geometry ----

    public Path image() {
        return image;
    }

    public NamespaceConfig config() {
        return header.config();
    }

    public NamespaceMode mode() {
        return header.config().mode();
    }

    /** N of {@code namespaceN.0}. */
    public int id() {
        return header.config().id();
    }

    /** "namespace0.0". */
    public String name() {
        return "namespace" + id() + ".0";
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
        return header.uuid();
    }

    /** Raw namespace size in bytes. */
    public long size() {
        return header.config().size();
    }

    /** Bytes reserved before the data area (0 for raw). */
    public long dataOffset() {
        return header.config().dataOffset();
    }

    /** Size of the data area (what the block/dax device exposes). */
    public long dataSize() {
        return size() - dataOffset();
    }

    public int clearErrUnit() {
        return header.config().clearErrUnit();
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

    private void checkRange(long offset, long len) {
        if (closed) {
            throw new IllegalStateException(image + " is closed");
        }
        Objects.checkFromIndexSize(offset, len, size());
    }

    /**
     * {@code copy_mc_to_kernel}: copies {@code [offset, offset+len)} into {@code dst} until done or
     * until the first poisoned unit, which it consumes (see {@link #machineCheck}).
     */
    public CopyResult read(long offset, byte[] dst, int dstOff, int len) throws ErrnoException {
        checkRange(offset, len);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        long[] p = state.firstPoison(offset, offset + len);
        if (p == null) {
            MemorySegment.copy(media, ValueLayout.JAVA_BYTE, offset, dst, dstOff, len);
            // Poison injected while we copied would have raised a machine check on the load that met
            // it: look again, so a racing injection is never read as good data.
            p = state.firstPoison(offset, offset + len);
            if (p == null) {
                return CopyResult.complete(len);
            }
        }
        long stop = Math.max(p[0], offset);
        int good = (int) (stop - offset);
        MemorySegment.copy(media, ValueLayout.JAVA_BYTE, offset, dst, dstOff, good);
        return new CopyResult(good, stop, consume(stop));
    }

    /**
     * A load of {@code [offset, offset+len)} with no copy: complete when clean; otherwise the first
     * poisoned unit is consumed (latent → known, badblocks, listener told) and the result says where
     * (bytes before it, its offset, and the listener's error if it had one).
     */
    public CopyResult machineCheck(long offset, long len) throws ErrnoException {
        checkRange(offset, len);
        long[] p = state.firstPoison(offset, offset + len);
        if (p == null) {
            return CopyResult.complete(len);
        }
        long at = Math.max(p[0], offset);
        return new CopyResult(at - offset, at, consume(at));
    }

    /**
     * Consumes the unit holding {@code at}; when it was latent the listener is told, and what it
     * answered with an error is returned (null otherwise) for the load to report.
     */
    private ErrnoException consume(long at) throws ErrnoException {
        long unit = clearErrUnit();
        long start = at & -unit;
        if (state.consume(start, start + unit)) {
            MemoryFailureListener l = listener;
            if (l != null) {
                try {
                    l.memoryFailure(start, unit);
                } catch (ErrnoException e) {
                    return e;
                }
            }
        }
        return null;
    }

    /** Whether any poison (latent or known) lies in {@code [offset, offset+len)}; no side effects. */
    public boolean poisoned(long offset, long len) {
        checkRange(offset, len);
        return state.anyPoison(offset, offset + len);
    }

    /** An 8-byte load with no poison check (callers check with {@link #machineCheck} first). */
    public long loadLong(long offset) {
        checkRange(offset, 8);
        return media.get(LONG_LE, offset);
    }

    /** Stores and flushes ({@code memcpy_flushcache}); clears no poison. */
    public void write(long offset, byte[] src, int srcOff, int len) {
        checkRange(offset, len);
        Objects.checkFromIndexSize(srcOff, len, src.length);
        pd.storeBytes(base + offset, src, srcOff, len);
        pd.flush(base + offset, len);
    }

    /** Stores {@code len} copies of {@code value} and flushes; clears no poison. */
    public void fill(long offset, long len, byte value) {
        checkRange(offset, len);
        pd.fill(base + offset, len, value);
        pd.flush(base + offset, len);
    }

    /** One 8-byte store, not flushed (an mmap store). */
    public void storeLong(long offset, long value) {
        checkRange(offset, 8);
        pd.storeLong(base + offset, value);
    }

    /** Writes back {@code [offset, offset+len)} ({@code clwb}). */
    public void flush(long offset, long len) {
        checkRange(offset, len);
        pd.flush(base + offset, len);
    }

    /** Orders and completes earlier flushes ({@code sfence}). */
    public void fence() {
        pd.fence();
    }

    /** Forces everything to the image file. */
    public void sync() {
        pd.sync();
    }

    // ---- poison: injection, firmware clear, scrub ----

    private ByteRange unitsCovering(long offset, long len) {
        return new ByteRange(offset, len).alignOutward(clearErrUnit());
    }

    /**
     * ACPI ARS Error Inject: poisons the clear units covering the range and destroys their data. With
     * {@code notify} the platform reports it at once (known, in badblocks); otherwise it stays latent
     * until a scrub or a load finds it.
     */
    public void injectError(long offset, long len, boolean notify) throws ErrnoException {
        checkRange(offset, len);
        if (len == 0) {
            return;
        }
        ByteRange r = unitsCovering(offset, len);
        state.inject(r.offset(), r.end(), notify);
        pd.fill(base + r.offset(), r.length(), GARBAGE);
        pd.flush(base + r.offset(), r.length());
        pd.fence();
    }

    /** ACPI ARS Error Inject Clear: the platform forgets the poison; badblocks keeps its entries. */
    public void uninjectError(long offset, long len) throws ErrnoException {
        checkRange(offset, len);
        if (len == 0) {
            return;
        }
        ByteRange r = unitsCovering(offset, len);
        state.removePoison(r.offset(), r.end());
    }

    /** The platform's poison records overlapping the range (what ARS Error Inject Status lists). */
    public List<PoisonRange> poisonRecords(long offset, long len) {
        checkRange(offset, len);
        return state.poison(offset, offset + len);
    }

    /** All poison records of the namespace. */
    public List<PoisonRange> poisonRecords() {
        return poisonRecords(0, size());
    }

    public void setClearFault(ClearFault fault) {
        this.clearFault = Objects.requireNonNull(fault);
    }

    public ClearFault clearFault() {
        return clearFault;
    }

    /**
     * The firmware's Clear Uncorrectable Error ({@code nvdimm_clear_poison}): ENXIO unless offset and
     * length are multiples of {@code clear_err_unit} and inside the namespace; EIO when the command
     * fails; otherwise the number of bytes cleared from {@code offset} (short under a
     * {@link ClearFault.Partial} fault). The cleared range loses its poison and the sectors wholly inside
     * it leave badblocks; its content stays whatever it was.
     */
    public long clearPoison(long offset, long len) throws ErrnoException {
        long cleared = firmwareClear(offset, len);
        if (cleared > 0) {
            state.badblocksClearWhole(offset, offset + cleared);
        }
        return cleared;
    }

    /**
     * The bare Clear Uncorrectable Error command: the same checks and result as {@link #clearPoison},
     * but badblocks is left alone; the driver drops its records itself, after the data lands
     * (pmem_recovery_write, reference §1.2).
     */
    public long firmwareClear(long offset, long len) throws ErrnoException {
        long unit = clearErrUnit();
        if (((offset | len) & (unit - 1)) != 0) {
            throw new ErrnoException(Errno.ENXIO, "clear_poison", String.format(
                    "%s: offset %#x length %#x not aligned to clear_err_unit %d", name(), offset, len, unit));
        }
        if (offset < 0 || len < 0 || offset + len > size() || offset + len < offset) {
            throw new ErrnoException(Errno.ENXIO, "clear_poison", String.format(
                    "%s: range %#x+%#x outside the namespace (%#x bytes)", name(), offset, len, size()));
        }
        long cleared = switch (clearFault) {
            case ClearFault.None n -> len;
            case ClearFault.Fail f -> throw new ErrnoException(Errno.EIO, "clear_poison",
                    name() + ": Clear Uncorrectable Error failed (injected firmware fault)");
            case ClearFault.Partial p -> Math.min(len, p.limitBytes() & -unit);
        };
        if (cleared > 0) {
            state.removePoison(offset, offset + cleared);
        }
        return cleared;
    }

    /** Runs an address range scrub over the whole namespace now; returns every poison range found. */
    public List<ByteRange> scrub() throws ErrnoException {
        return state.scrub(0, size());
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
        if (startSector < 0 || nrSectors <= 0 || startSector + nrSectors < startSector) {
            throw new IllegalArgumentException("bad sector range " + startSector + "+" + nrSectors);
        }
        state.badblocksSet(startSector, startSector + nrSectors);
    }

    /** Drops badblocks entries ({@code badblocks_clear}). */
    public void badblocksClear(long startSector, long nrSectors) throws ErrnoException {
        if (nrSectors <= 0) {
            return;
        }
        state.badblocksClear(startSector, startSector + nrSectors);
    }

    /** Whether any sector of {@code [startSector, startSector+nrSectors)} is in badblocks ({@code is_bad_pmem}). */
    public boolean badblocksCheck(long startSector, long nrSectors) {
        return nrSectors > 0 && state.badblocksOverlap(startSector, startSector + nrSectors);
    }

    /** First bad sector in the range, or -1. */
    public long firstBadSector(long startSector, long nrSectors) {
        return nrSectors <= 0 ? -1 : state.firstBadSector(startSector, startSector + nrSectors);
    }

    /** Badblocks entries overlapping the sector range, clipped to it, ascending. */
    public List<BadRange> badblocks(long startSector, long nrSectors) {
        return state.badblocks(startSector, startSector + nrSectors);
    }

    /** Every badblocks entry (region sectors), ascending. */
    public List<BadRange> badblocks() {
        return state.badblocks(0, Long.MAX_VALUE);
    }

    /** Number of badblocks ranges (merged). */
    public long badblockRanges() {
        return state.badblockRanges();
    }

    // ---- notification ----

    /** Registers who hears of consumed latent poison (one listener; null to drop). */
    public void setMemoryFailureListener(MemoryFailureListener l) {
        this.listener = l;
    }

    // ---- ownership ----

    /** Who owns this namespace: this process, doing what it said (see {@link OwnerLock}). */
    public OwnerLock.Owner owner() {
        return claim.owner();
    }

    /** Tells later openers what the owner is doing now ("mounted at /mnt/pm"). */
    public void describeOwner(String purpose) throws IOException {
        claim.describe(purpose);
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

    /** Flushes, unmaps and gives up ownership (the claim goes last, after the last store). */
    @Override
    public void close() {
        if (closed || LENT.isBound() && LENT.get() == this) {
            return; // lent by its owner (a mount process) to a command it runs: the owner closes it
        }
        scrubber.awaitQuietly();
        closed = true;
        try {
            pd.sync();
            arena.close();
        } finally {
            try {
                claim.close();
            } catch (IOException e) {
                // Closing the descriptor drops the kernel's lock in any case: nothing stays held.
            }
        }
    }

    @Override
    public String toString() {
        return name() + " (" + mode().ndctlName() + ", " + size() + " bytes, " + image + ")";
    }
}
