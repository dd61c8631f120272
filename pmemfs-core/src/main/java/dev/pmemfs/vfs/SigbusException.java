package dev.pmemfs.vfs;

/** SIGBUS with si_code BUS_ADRERR: access to a mapped page beyond EOF, or a fault that could not be served. */
public final class SigbusException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long address;

    public SigbusException(long address, String why) {
        super("SIGBUS (BUS_ADRERR) at mapping offset 0x" + Long.toHexString(address) + ": " + why);
        this.address = address;
    }

    public long address() {
        return address;
    }
}
