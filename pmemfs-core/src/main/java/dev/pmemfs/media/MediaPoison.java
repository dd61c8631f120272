package dev.pmemfs.media;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.List;
import java.util.Objects;

/**
 * The platform's poison over one namespace image: what error injection destroys, what a load consumes
 * (the machine check, {@code copy_mc}), what the firmware's Clear Uncorrectable Error clears, and what a
 * scrub finds. The truth lives in {@link MediaState} (persisted in the media error log); this class
 * applies the platform's rules to it and tells the {@link MemoryFailureListener} of consumed poison.
 *
 * <p>Models ACPI NFIT error injection and ARS, nvdimm_clear_poison (drivers/nvdimm/bus.c), and the
 * media end of memory_failure(); reference §1.3, §3, §7.1, §8.
 */
final class MediaPoison {
    private final NamespaceImage image;
    private final MediaState state;
    private final String name;
    /** The firmware's clear behaviour: the image's persistent setting, or a test's override for this open. */
    private volatile ClearFault clearFault;
    private volatile MemoryFailureListener listener;

    MediaPoison(NamespaceImage image, MediaState state, String name) {
        this.image = image;
        this.state = state;
        this.name = name;
        this.clearFault = image.header().clearFault();
    }

    private int unit() {
        return image.config().clearErrUnit();
    }

    /** {@code copy_mc_to_kernel}: copies until done or until the first poisoned unit, which it consumes. */
    CopyResult read(long offset, byte[] dst, int dstOff, int len) throws ErrnoException {
        image.checkRange(offset, len);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        long[] p = state.firstPoison(offset, offset + len);
        if (p == null) {
            image.copyOut(offset, dst, dstOff, len);
            // Poison injected while we copied would have raised a machine check on the load that met
            // it: look again, so a racing injection is never read as good data.
            p = state.firstPoison(offset, offset + len);
            if (p == null) {
                return CopyResult.complete(len);
            }
        }
        long stop = Math.max(p[0], offset);
        int good = (int) (stop - offset);
        image.copyOut(offset, dst, dstOff, good);
        return new CopyResult(good, stop, consume(stop));
    }

    /** A load with no copy: complete when clean, else the first poisoned unit is consumed. */
    CopyResult machineCheck(long offset, long len) throws ErrnoException {
        image.checkRange(offset, len);
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
        long u = unit();
        long start = at & -u;
        if (state.consume(start, start + u)) {
            MemoryFailureListener l = listener;
            if (l != null) {
                try {
                    l.memoryFailure(start, u);
                } catch (ErrnoException e) {
                    return e;
                }
            }
        }
        return null;
    }

    boolean poisoned(long offset, long len) {
        image.checkRange(offset, len);
        return state.anyPoison(offset, offset + len);
    }

    private ByteRange unitsCovering(long offset, long len) {
        return new ByteRange(offset, len).alignOutward(unit());
    }

    /** ACPI ARS Error Inject: poisons the covering clear units and fills them with {@link Namespace#GARBAGE}. */
    void inject(long offset, long len, boolean notify) throws ErrnoException {
        image.checkRange(offset, len);
        if (len == 0) {
            return;
        }
        ByteRange r = unitsCovering(offset, len);
        state.inject(r.offset(), r.end(), notify);
        image.fill(r.offset(), r.length(), Namespace.GARBAGE);
        image.fence();
    }

    /** ACPI ARS Error Inject Clear: the platform forgets the poison; badblocks keeps its entries. */
    void uninject(long offset, long len) throws ErrnoException {
        image.checkRange(offset, len);
        if (len == 0) {
            return;
        }
        ByteRange r = unitsCovering(offset, len);
        state.removePoison(r.offset(), r.end());
    }

    List<PoisonRange> records(long offset, long len) {
        image.checkRange(offset, len);
        return state.poison(offset, offset + len);
    }

    void setClearFault(ClearFault fault) {
        this.clearFault = Objects.requireNonNull(fault);
    }

    ClearFault clearFault() {
        return clearFault;
    }

    /** The persistent firmware settings: clear unit and clear behaviour, kept in the image header. */
    void configureFirmware(int clearErrUnit, ClearFault fault) {
        Objects.requireNonNull(fault);
        image.rewriteSettings(image.header().flags(), clearErrUnit, fault);
        this.clearFault = fault;
    }

    /** {@code nvdimm_clear_poison} with the badblocks of the cleared whole sectors dropped too. */
    long clearPoison(long offset, long len) throws ErrnoException {
        long cleared = firmwareClear(offset, len);
        if (cleared > 0) {
            state.badblocksClearWhole(offset, offset + cleared);
        }
        return cleared;
    }

    /** The bare Clear Uncorrectable Error command (see {@link Namespace#firmwareClear}). */
    long firmwareClear(long offset, long len) throws ErrnoException {
        long u = unit();
        if (((offset | len) & (u - 1)) != 0) {
            throw new ErrnoException(Errno.ENXIO, "clear_poison", String.format(
                    "%s: offset %#x length %#x not aligned to clear_err_unit %d", name, offset, len, u));
        }
        long size = image.size();
        if (offset < 0 || len < 0 || offset + len > size || offset + len < offset) {
            throw new ErrnoException(Errno.ENXIO, "clear_poison", String.format(
                    "%s: range %#x+%#x outside the namespace (%#x bytes)", name, offset, len, size));
        }
        long cleared = switch (clearFault) {
            case ClearFault.None n -> len;
            case ClearFault.Fail f -> throw new ErrnoException(Errno.EIO, "clear_poison",
                    name + ": Clear Uncorrectable Error failed (injected firmware fault)");
            case ClearFault.Partial p -> Math.min(len, p.limitBytes() & -u);
        };
        if (cleared > 0) {
            state.removePoison(offset, offset + cleared);
        }
        return cleared;
    }

    /** An address range scrub of the whole namespace: every poison range found (now known). */
    List<ByteRange> scrub() throws ErrnoException {
        return state.scrub(0, image.size());
    }

    /** An address range scrub of {@code [offset, offset+len)}: every poison range found there (now known). */
    List<ByteRange> scrub(long offset, long len) throws ErrnoException {
        image.checkRange(offset, len);
        return state.scrub(offset, offset + len);
    }

    void setListener(MemoryFailureListener l) {
        this.listener = l;
    }
}
