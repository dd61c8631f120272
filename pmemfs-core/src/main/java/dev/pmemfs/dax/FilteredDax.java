package dev.pmemfs.dax;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.ByteRange;
import dev.pmemfs.media.CopyResult;
import java.util.List;

/**
 * A dax device stacked on another whose every store passes through a {@link StoreFilter}: the
 * passthrough {@code dax_operations} of a stacked target (device-mapper's dm-linear/dm-stripe forward
 * {@code direct_access}, {@code zero_page_range} and {@code recovery_write} to the device below), with a
 * hook before and after each store. The filesystem's data parity uses it, so parity follows every store
 * whatever path made it (write(2), allocation zeroing, fallocate, zeroinit, recovery write, salvage,
 * journal checkpoints), as md's raid456 sees every bio below a filesystem.
 */
public final class FilteredDax implements DaxDevice {
    /** What sees the stores. Device byte offsets are relative to the data area, as page offsets are. */
    public interface StoreFilter {
        /**
         * Runs {@code store}, which writes {@code len} bytes at device byte {@code devOff} ({@code src} from
         * {@code srcOff}, or zeros when {@code src} is null), and returns what it returned.
         */
        long store(long devOff, long len, byte[] src, int srcOff, Store store) throws ErrnoException;

        /** Runs an unflushed 8-byte store made through a mapping (mmap) at device byte {@code devOff}. */
        void mappedStore(long devOff, Runnable store);
    }

    /** A store forwarded to the device below: returns the bytes it wrote (0: nothing changed). */
    public interface Store {
        long run() throws ErrnoException;
    }

    private final DaxDevice inner;
    private final StoreFilter parity;

    public FilteredDax(DaxDevice inner, StoreFilter filter) {
        this.inner = java.util.Objects.requireNonNull(inner, "inner");
        this.parity = java.util.Objects.requireNonNull(filter, "filter");
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public long nrPages() {
        return inner.nrPages();
    }

    @Override
    public DaxWindow directAccess(long pgoff, long nrPages, DaxAccessMode mode) throws ErrnoException {
        DaxWindow w = inner.directAccess(pgoff, nrPages, mode);
        return new Window(w);
    }

    @Override
    public void zeroPageRange(long pgoff, long nrPages) throws ErrnoException {
        parity.store(pgoff * PAGE_SIZE, nrPages * PAGE_SIZE, null, 0, () -> {
            inner.zeroPageRange(pgoff, nrPages);
            return nrPages * PAGE_SIZE;
        });
    }

    @Override
    public long recoveryWrite(DaxWindow window, long offset, byte[] src, int srcOff, int len) throws ErrnoException {
        DaxWindow w = window instanceof Window pw ? pw.inner : window;
        return parity.store(w.pgoff() * PAGE_SIZE + offset, len, src, srcOff,
                () -> inner.recoveryWrite(w, offset, src, srcOff, len));
    }

    @Override
    public void zeroinitRange(long pgoff, long nrPages) throws ErrnoException {
        parity.store(pgoff * PAGE_SIZE, nrPages * PAGE_SIZE, null, 0, () -> {
            inner.zeroinitRange(pgoff, nrPages);
            return nrPages * PAGE_SIZE;
        });
    }

    @Override
    public void fence() {
        inner.fence();
    }

    @Override
    public void memoryFailure(long pgoff, int mfFlags) throws ErrnoException {
        inner.memoryFailure(pgoff, mfFlags);
    }

    @Override
    public void setHolder(DaxHolder holder) {
        inner.setHolder(holder);
    }

    @Override
    public List<ByteRange> knownBadRanges() {
        return inner.knownBadRanges();
    }

    /** A window whose stores keep parity; loads and flushes go straight through. */
    private final class Window implements DaxWindow {
        private final DaxWindow inner;

        Window(DaxWindow inner) {
            this.inner = inner;
        }

        @Override
        public long pgoff() {
            return inner.pgoff();
        }

        @Override
        public long nrPages() {
            return inner.nrPages();
        }

        @Override
        public CopyResult read(long offset, byte[] dst, int dstOff, int len) {
            return inner.read(offset, dst, dstOff, len);
        }

        @Override
        public void write(long offset, byte[] src, int srcOff, int len) {
            storeUnchecked(offset, len, src, srcOff, () -> {
                inner.write(offset, src, srcOff, len);
                return len;
            });
        }

        @Override
        public void zero(long offset, long len) {
            storeUnchecked(offset, len, null, 0, () -> {
                inner.zero(offset, len);
                return len;
            });
        }

        /**
         * A window store cannot fail; a filter that must report a device error for one (its own metadata
         * unwritable) makes it the unchecked form the window's callers already see for a dead device.
         */
        private void storeUnchecked(long offset, long len, byte[] src, int srcOff, Store s) {
            try {
                parity.store(inner.pgoff() * PAGE_SIZE + offset, len, src, srcOff, s);
            } catch (ErrnoException e) {
                throw new IllegalStateException(name() + ": store filter: " + e.getMessage(), e);
            }
        }

        @Override
        public long loadLong(long offset) throws DaxPoisonException {
            return inner.loadLong(offset);
        }

        @Override
        public void storeLong(long offset, long value) {
            parity.mappedStore(inner.pgoff() * PAGE_SIZE + offset, () -> inner.storeLong(offset, value));
        }

        @Override
        public void flush(long offset, long len) {
            inner.flush(offset, len);
        }
    }
}
