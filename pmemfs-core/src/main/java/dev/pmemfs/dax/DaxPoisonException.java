package dev.pmemfs.dax;

import dev.pmemfs.errno.ErrnoException;
import java.util.Optional;

/**
 * A load through a {@link DaxWindow} consumed poison: the machine check that Linux turns into SIGBUS
 * {@code BUS_MCEERR_AR}. Carries the device byte offset of the poisoned page and, when the holder
 * could not handle the failure it was told of, the holder's error (also the cause).
 */
public final class DaxPoisonException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long deviceOffset;
    private final transient ErrnoException holderError;

    public DaxPoisonException(long deviceOffset) {
        this(deviceOffset, null);
    }

    public DaxPoisonException(long deviceOffset, ErrnoException holderError) {
        super("hardware memory error consumed at device offset 0x" + Long.toHexString(deviceOffset)
                + (holderError == null ? "" : "; the holder's notify_failure failed: " + holderError.getMessage()),
                holderError);
        this.deviceOffset = deviceOffset;
        this.holderError = holderError;
    }

    /** Byte offset within the dax device (data area) of the poisoned page. */
    public long deviceOffset() {
        return deviceOffset;
    }

    /** What the holder answered when told of this failure, if it failed (memory_failure's "Failed"). */
    public Optional<ErrnoException> holderError() {
        return Optional.ofNullable(holderError);
    }
}
