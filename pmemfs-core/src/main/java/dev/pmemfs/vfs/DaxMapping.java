package dev.pmemfs.vfs;

/**
 * A shared DAX mapping of a file, as mmap(2) returns it: loads and stores go to the device pages
 * backing the file, faulted in page by page. A load from a poisoned page throws
 * {@link HwPoisonException} (SIGBUS BUS_MCEERR_AR, lsb 12); access past EOF throws
 * {@link SigbusException}.
 * mmap never performs recovery (reference §1.4).
 */
public interface DaxMapping extends AutoCloseable {
    long length();

    byte getByte(long offset) throws HwPoisonException, SigbusException;

    void putByte(long offset, byte value) throws HwPoisonException, SigbusException;

    long getLong(long offset) throws HwPoisonException, SigbusException;

    void putLong(long offset, long value) throws HwPoisonException, SigbusException;

    /** Copies {@code len} bytes from the mapping at {@code offset}. */
    void get(long offset, byte[] dst, int dstOff, int len) throws HwPoisonException, SigbusException;

    void put(long offset, byte[] src, int srcOff, int len) throws HwPoisonException, SigbusException;

    /** madvise(MADV_HWPOISON): CAP_SYS_ADMIN or EPERM; poisons the page and faults the caller. */
    void madviseHwpoison(long offset, long len) throws dev.pmemfs.errno.ErrnoException, HwPoisonException;

    /** msync(MS_SYNC). */
    void msync() throws dev.pmemfs.errno.ErrnoException;

    @Override
    void close();
}
