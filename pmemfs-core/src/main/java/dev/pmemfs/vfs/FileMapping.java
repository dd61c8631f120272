package dev.pmemfs.vfs;

import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.dax.DaxHolder;
import dev.pmemfs.dax.DaxWindow;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.vfs.Credentials.Capability;
import java.util.Objects;

/**
 * A MAP_SHARED mapping of a DAX file. Every access faults its pages through
 * {@link FileSystem#fault} (the {@code dax_iomap_fault} path, reference §1.4), so a truncate or a
 * poisoned page is seen at the next access as it is after Linux unmaps the page; loads are
 * machine-check-safe copies whose short result is the consumed poison.
 *
 * <p>Addresses in the exceptions are byte offsets from the start of the mapping.
 */
final class FileMapping implements DaxMapping {
    private static final int PAGE_SHIFT = DaxDevice.PAGE_SHIFT;
    private static final int PAGE_SIZE = DaxDevice.PAGE_SIZE;
    /** {@code si_addr_lsb} of a PTE-mapped page. */
    private static final int PAGE_LSB = PAGE_SHIFT;

    private final FileSystem fs;
    private final DaxDevice dax;
    private final Credentials cred;
    private final long ino;
    private final long fileOffset;
    private final long length;
    private final boolean writable;
    /* guarded by this */
    private boolean closed;

    FileMapping(FileSystem fs, DaxDevice dax, Credentials cred, long ino, long fileOffset, long length,
                boolean writable) {
        this.fs = Objects.requireNonNull(fs);
        this.dax = Objects.requireNonNull(dax);
        this.cred = Objects.requireNonNull(cred);
        this.ino = ino;
        this.fileOffset = fileOffset;
        this.length = length;
        this.writable = writable;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public byte getByte(long offset) throws HwPoisonException, SigbusException {
        byte[] b = new byte[1];
        get(offset, b, 0, 1);
        return b[0];
    }

    @Override
    public void putByte(long offset, byte value) throws HwPoisonException, SigbusException {
        put(offset, new byte[] {value}, 0, 1);
    }

    /** A little-endian 8-byte load, as on x86-64. */
    @Override
    public long getLong(long offset) throws HwPoisonException, SigbusException {
        byte[] b = new byte[8];
        get(offset, b, 0, 8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    @Override
    public void putLong(long offset, long value) throws HwPoisonException, SigbusException {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        put(offset, b, 0, 8);
    }

    @Override
    public synchronized void get(long offset, byte[] dst, int dstOff, int len)
            throws HwPoisonException, SigbusException {
        checkAccess(offset, len);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        long done = 0;
        while (done < len) {
            long at = offset + done;
            int inPage = (int) ((fileOffset + at) & (PAGE_SIZE - 1));
            int chunk = (int) Math.min(len - done, PAGE_SIZE - inPage);
            DaxWindow w = fault(at, false);
            var r = w.read(inPage, dst, dstOff + (int) done, chunk);
            if (!r.isComplete()) {
                // memory_failure() signals the consumer with the page's address (kill_proc); the dax
                // layer has already made the poison known and told the filesystem.
                throw new HwPoisonException(at - inPage, PAGE_LSB);
            }
            done += chunk;
        }
    }

    @Override
    public synchronized void put(long offset, byte[] src, int srcOff, int len)
            throws HwPoisonException, SigbusException {
        checkAccess(offset, len);
        Objects.checkFromIndexSize(srcOff, len, src.length);
        if (!writable) {
            throw new IllegalStateException("SIGSEGV (SEGV_ACCERR): store at mapping offset 0x"
                    + Long.toHexString(offset) + " to a mapping without PROT_WRITE");
        }
        long done = 0;
        while (done < len) {
            long at = offset + done;
            int inPage = (int) ((fileOffset + at) & (PAGE_SIZE - 1));
            int chunk = (int) Math.min(len - done, PAGE_SIZE - inPage);
            // Stores never consume poison; a page already known bad fails at fault time.
            fault(at, true).write(inPage, src, srcOff + (int) done, chunk);
            done += chunk;
        }
    }

    /**
     * madvise(MADV_HWPOISON) (mm/madvise.c {@code madvise_inject_error}, reference §7.3): CAP_SYS_ADMIN
     * or EPERM; {@code offset} page aligned or EINVAL; each page is faulted in and handed to
     * {@code memory_failure(MF_ACTION_REQUIRED | MF_SW_SIMULATED)}, which poisons it and notifies the
     * filesystem; the caller then takes SIGBUS BUS_MCEERR_AR for the first page.
     */
    @Override
    public synchronized void madviseHwpoison(long offset, long len) throws ErrnoException, HwPoisonException {
        if (!cred.has(Capability.CAP_SYS_ADMIN)) {
            throw new ErrnoException(Errno.EPERM, "madvise", "MADV_HWPOISON needs CAP_SYS_ADMIN");
        }
        requireOpen();
        if (((fileOffset + offset) & (PAGE_SIZE - 1)) != 0 || offset < 0 || len < 0 || offset + len > length) {
            throw new ErrnoException(Errno.EINVAL, "madvise", "range " + offset + "+" + len
                    + " is not page aligned or not inside the mapping of " + length + " bytes");
        }
        long first = -1;
        for (long at = offset; at < offset + len; at += PAGE_SIZE) {
            DaxWindow w;
            try {
                w = fs.fault(ino, (fileOffset + at) >> PAGE_SHIFT, false);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EHWPOISON) {
                    throw new HwPoisonException(at, PAGE_LSB);
                }
                throw new ErrnoException(e.errno(), "madvise", "get_user_pages at mapping offset " + at, e);
            }
            dax.memoryFailure(w.pgoff(), DaxHolder.MF_ACTION_REQUIRED | DaxHolder.MF_SW_SIMULATED);
            if (first < 0) {
                first = at;
            }
        }
        if (first >= 0) {
            throw new HwPoisonException(first, PAGE_LSB);
        }
    }

    /** msync(MS_SYNC): stores are flushed as they are made (window writes flush), so this syncs the inode. */
    @Override
    public synchronized void msync() throws ErrnoException {
        requireOpen();
        fs.fsync(ino);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void checkAccess(long offset, int len) {
        requireOpen();
        Objects.checkFromIndexSize(offset, len, length);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("mapping of inode " + ino + " is unmapped");
        }
    }

    /** One page fault: EHWPOISON becomes BUS_MCEERR_AR at the exact address, anything else BUS_ADRERR. */
    private DaxWindow fault(long at, boolean write) throws HwPoisonException, SigbusException {
        long pgoff = (fileOffset + at) >> PAGE_SHIFT;
        try {
            return fs.fault(ino, pgoff, write);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EHWPOISON) {
                throw new HwPoisonException(at, PAGE_LSB);
            }
            throw new SigbusException(at, (write ? "write" : "read") + " fault on file page " + pgoff + ": "
                    + e.getMessage());
        }
    }
}
