package dev.pmemfs.vfs;

/**
 * SIGBUS with si_code BUS_MCEERR_AR: a load consumed poison. Carries the faulting address (byte
 * offset within the mapping) and {@code lsb}, the log2 of the poisoned extent (12 for a page).
 */
public final class HwPoisonException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long address;
    private final int lsb;

    public HwPoisonException(long address, int lsb) {
        super("SIGBUS (BUS_MCEERR_AR): hardware memory error at mapping offset 0x" + Long.toHexString(address)
                + ", lsb " + lsb);
        this.address = address;
        this.lsb = lsb;
    }

    public long address() {
        return address;
    }

    public int lsb() {
        return lsb;
    }
}
