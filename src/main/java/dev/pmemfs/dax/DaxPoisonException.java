package dev.pmemfs.dax;

/**
 * A load through a {@link DaxWindow} consumed poison: the machine check that Linux turns into SIGBUS
 * {@code BUS_MCEERR_AR}. Carries the device byte offset of the poisoned page.
 */
public final class DaxPoisonException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long deviceOffset;

    public DaxPoisonException(long deviceOffset) {
        super("hardware memory error consumed at device offset 0x" + Long.toHexString(deviceOffset));
        this.deviceOffset = deviceOffset;
    }

    /** Byte offset within the dax device (data area) of the poisoned page. */
    public long deviceOffset() {
        return deviceOffset;
    }
}
