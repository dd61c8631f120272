package dev.pmemfs.fs;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.dax.DaxWindow;
import dev.pmemfs.dax.FilteredDax;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.BitSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Data parity of one filesystem (RAID-4 over the data area, {@link ParityLayout}): keeps each stripe's
 * parity block equal to the XOR of its data blocks across every store the filesystem makes, and rebuilds
 * a lost block from it. The update rule is md's raid5 read-modify-write ({@code ops_run_prexor5}: new
 * parity = old parity ^ old data ^ new data) with md's write-intent bitmap for crash safety
 * (drivers/md/md-bitmap.c): NOVA-Fortis (SOSP 2017) keeps RAID-4 parity per page the same way.
 *
 * <p>Crash safety (docs/FORMAT.md "Data parity"): before the first store into a stripe after its last
 * clean point, the stripe's intent bit is stored, flushed and fenced. Each store is then followed, under
 * this object's lock, by the parity delta (flushed, not fenced). A clean point ({@link #sync}: fsync,
 * syncfs, unmount, mount) fences, so data and parity of every finished store are durable, and only then
 * clears the intent bits. Mount recomputes the parity of every stripe whose bit is set. So after a power
 * cut at any fence every stripe either has parity matching its data or is marked for recompute.
 *
 * <p>A stripe is <i>dirty</i> when its parity may not match: writes through a shared mapping (stored
 * without the filesystem seeing them; the stripe is recomputed at the next clean point, NOVA-Fortis's
 * "protect mapped pages at fsync/unmap"), a store whose old content or parity could not be read, or a
 * crash. A dirty stripe cannot rebuild a block; its intent bit stays set until a clean point can
 * recompute it (which needs every block of the stripe readable).
 *
 * <p>Lock order: callers may hold inode locks and the transaction lock; this lock is taken last. Old
 * data is read before it is taken (reading can consume latent poison, whose notification takes the
 * transaction lock); a recompute that meets latent poison in another block of the stripe notifies
 * under it, which is safe while stores are serialised by their callers' locks (a known limit).
 */
final class Parity implements FilteredDax.StoreFilter {
    private static final int PAGE = FileSystem.BLOCK_SIZE;

    final ParityLayout layout;
    private final DaxDevice dax;
    private final BlockDevice bdev;
    private final ReentrantLock lock = new ReentrantLock();
    /** Mirror of the on-media intent bitmap (bits stored and fenced). */
    private final BitSet intent = new BitSet();
    /** Stripes whose parity may not match their data. */
    private final BitSet dirty = new BitSet();
    /** Bytes of parity and intent written to media since mount (for the write-amplification figure). */
    private long parityBytesWritten;
    private long recomputes;

    private Parity(DaxDevice dax, BlockDevice bdev, ParityLayout layout) {
        this.dax = dax;
        this.bdev = bdev;
        this.layout = layout;
    }

    /**
     * Opens the parity of a mounted filesystem: reads the intent bitmap; every stripe with its bit set is
     * dirty (recomputed by the next {@link #sync}). An unreadable intent block makes all its stripes dirty.
     */
    static Parity open(DaxDevice dax, BlockDevice bdev, ParityLayout layout) {
        Parity p = new Parity(dax, bdev, layout);
        for (long k = 0; k < layout.intentLen(); k++) {
            long first = k * ParityLayout.BITS_PER_INTENT_BLOCK;
            long count = Math.min(ParityLayout.BITS_PER_INTENT_BLOCK, layout.stripes() - first);
            byte[] img;
            try {
                img = DaxSeam.readBlock(dax, layout.intentStart() + k, "parity intent bitmap");
            } catch (ErrnoException e) {
                // Nothing says which stripes were in flight: treat them all as such (md without a bitmap).
                p.intent.set((int) first, (int) (first + count));
                p.dirty.set((int) first, (int) (first + count));
                continue;
            }
            BitSet bits = BitSet.valueOf(img);
            for (int i = bits.nextSetBit(0); i >= 0 && i < count; i = bits.nextSetBit(i + 1)) {
                p.intent.set((int) (first + i));
                p.dirty.set((int) (first + i));
            }
        }
        return p;
    }

    /** mkfs: computes the parity of every stripe from what the data area holds and clears the intent bitmap. */
    static Parity format(DaxDevice dax, BlockDevice bdev, ParityLayout layout) throws ErrnoException {
        Parity p = new Parity(dax, bdev, layout);
        p.lock.lock();
        try {
            for (long k = 0; k < layout.intentLen(); k++) {
                p.writeBlock(layout.intentStart() + k, new byte[PAGE]);
            }
            for (long s = 0; s < layout.stripes(); s++) {
                if (!p.recomputeLocked(s)) {
                    p.dirty.set((int) s);
                }
            }
            dax.fence();
            // Stripes with unreadable blocks stay marked, so a later mount recomputes them once cleared.
            for (int s = p.dirty.nextSetBit(0); s >= 0; s = p.dirty.nextSetBit(s + 1)) {
                p.intent.set(s);
                p.storeIntentWord(s);
            }
            dax.fence();
        } finally {
            p.lock.unlock();
        }
        return p;
    }

    /**
     * Performs {@code store}, which writes {@code len} bytes at device byte {@code devOff} ({@code src}
     * from {@code srcOff}, or zeros when {@code src} is null), and keeps the parity of the stripes it
     * touches: intent first, then the old bytes are read, the store runs, and each touched parity block
     * gets {@code old ^ new}; where the old bytes could not be read (poison) the stripe's parity is
     * recomputed from its blocks instead (which rebuilds the same value when the rest of the stripe reads).
     */
    @Override
    public long store(long devOff, long len, byte[] src, int srcOff, FilteredDax.Store store) throws ErrnoException {
        long first = Math.max(devOff / PAGE, layout.dataStart());
        long last = Math.min((devOff + len - 1) / PAGE, layout.dataEnd() - 1);
        if (len <= 0 || first > last) {
            return store.run();
        }
        // The covered part only: blocks outside the data area have no parity. The old bytes are read
        // before the lock is taken: nobody else stores into these bytes meanwhile (file data under the
        // inode lock, metadata under the transaction lock), and consuming latent poison here notifies
        // the holder, which takes the transaction lock, so it must not wait while holding this one.
        long from = Math.max(devOff, first * PAGE);
        long to = Math.min(devOff + len, (last + 1) * PAGE);
        byte[] old = new byte[(int) (to - from)];
        boolean oldOk = readRange(from, old);
        lock.lock();
        try {
            markIntentLocked(layout.stripeOf(first), layout.stripeOf(last));
            long wrote = store.run();
            if (wrote == 0) {
                return 0;
            }
            boolean whole = wrote == len;
            for (long b = first; b <= last; b++) {
                long s = layout.stripeOf(b);
                if (dirty.get((int) s)) {
                    continue;
                }
                if (!oldOk || !whole) {
                    if (!recomputeLocked(s)) {
                        dirty.set((int) s);
                    }
                    b = layout.endBlock(s) - 1; // the whole stripe is done
                    continue;
                }
                long pieceFrom = Math.max(from, b * PAGE);
                long pieceTo = Math.min(to, (b + 1) * PAGE);
                int n = (int) (pieceTo - pieceFrom);
                byte[] delta = new byte[n];
                int o = (int) (pieceFrom - from);
                for (int i = 0; i < n; i++) {
                    byte nw = src == null ? 0 : src[srcOff + (int) (pieceFrom - devOff) + i];
                    delta[i] = (byte) (old[o + i] ^ nw);
                }
                if (!applyDelta(s, (int) (pieceFrom % PAGE), delta)) {
                    dirty.set((int) s);
                }
            }
            return wrote;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A store through a shared mapping at device byte {@code devOff}: the filesystem does not see its
     * bytes, so the stripe becomes dirty (intent stored first) and is recomputed at the next clean point.
     */
    @Override
    public void mappedStore(long devOff, Runnable store) {
        long b = devOff / PAGE;
        if (!layout.covers(b)) {
            store.run();
            return;
        }
        lock.lock();
        try {
            long s = layout.stripeOf(b);
            try {
                markIntentLocked(s, s);
            } catch (ErrnoException e) {
                // The intent block could not be written (firmware refuses to clear it): the stripe is
                // dirty in memory, which is all this mount can do.
            }
            dirty.set((int) s);
            store.run();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A clean point: flushes and recomputes every dirty stripe that reads, fences, then clears the intent
     * bits of every stripe whose parity matches (fenced). Returns the stripes left dirty.
     */
    int sync() throws ErrnoException {
        lock.lock();
        try {
            for (int s = dirty.nextSetBit(0); s >= 0; s = dirty.nextSetBit(s + 1)) {
                long first = layout.firstBlock(s);
                int count = (int) (layout.endBlock(s) - first);
                try {
                    // Mapped stores reach the persistence domain only when flushed (clwb of the stripe).
                    dax.directAccess(first, count, DaxAccessMode.ACCESS).flush(0, (long) count * PAGE);
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EHWPOISON) {
                        throw e;
                    }
                    continue; // a poisoned block: cannot recompute; stays dirty
                }
                if (recomputeLocked(s)) {
                    dirty.clear(s);
                }
            }
            dax.fence();
            boolean changed = false;
            for (int s = intent.nextSetBit(0); s >= 0; s = intent.nextSetBit(s + 1)) {
                if (!dirty.get(s)) {
                    intent.clear(s);
                    storeIntentWord(s);
                    changed = true;
                }
            }
            if (changed) {
                dax.fence();
            }
            return dirty.cardinality();
        } finally {
            lock.unlock();
        }
    }

    /** Whether stripe {@code s}'s parity is known to match its data. */
    boolean isClean(long s) {
        lock.lock();
        try {
            return !dirty.get((int) s);
        } finally {
            lock.unlock();
        }
    }

    int dirtyStripes() {
        lock.lock();
        try {
            return dirty.cardinality();
        } finally {
            lock.unlock();
        }
    }

    long parityBytesWritten() {
        lock.lock();
        try {
            return parityBytesWritten;
        } finally {
            lock.unlock();
        }
    }

    long recomputes() {
        return recomputes;
    }

    /**
     * Rebuilds the content of data block {@code block} from its stripe's parity and the other blocks:
     * null when the stripe is dirty, its parity block or another of its blocks cannot be read.
     */
    byte[] rebuild(long block) throws ErrnoException {
        lock.lock();
        try {
            long s = layout.stripeOf(block);
            if (!layout.covers(block) || dirty.get((int) s)) {
                return null;
            }
            byte[] acc = readPage(layout.parityBlock(s));
            if (acc == null) {
                return null;
            }
            byte[] buf = new byte[PAGE];
            for (long b = layout.firstBlock(s); b < layout.endBlock(s); b++) {
                if (b == block) {
                    continue;
                }
                if (!readInto(b, buf)) {
                    return null;
                }
                xor(acc, buf);
            }
            return acc;
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code body} under the parity lock (a restore: rebuild, rewrite, with no store in between). */
    <T> T locked(java.util.concurrent.Callable<T> body) throws ErrnoException {
        lock.lock();
        try {
            return body.call();
        } catch (ErrnoException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            lock.unlock();
        }
    }

    /** Recomputes stripe {@code s}'s parity now (fsck --repair, heal): false when a block does not read. */
    boolean recompute(long s) throws ErrnoException {
        lock.lock();
        try {
            boolean ok = recomputeLocked(s);
            if (ok) {
                dirty.clear((int) s);
            } else {
                dirty.set((int) s);
            }
            return ok;
        } finally {
            lock.unlock();
        }
    }

    // ---- internals (lock held) ----

    private void markIntentLocked(long fromStripe, long toStripe) throws ErrnoException {
        boolean stored = false;
        for (long s = fromStripe; s <= toStripe; s++) {
            if (!intent.get((int) s)) {
                intent.set((int) s);
                storeIntentWord(s);
                stored = true;
            }
        }
        if (stored) {
            // The intent must be durable before any store it covers.
            dax.fence();
        }
    }

    /** Stores (flushed) the 8-byte word of the intent bitmap holding stripe {@code s}'s bit. */
    private void storeIntentWord(long s) throws ErrnoException {
        long block = layout.intentStart() + s / ParityLayout.BITS_PER_INTENT_BLOCK;
        long bitInBlock = s % ParityLayout.BITS_PER_INTENT_BLOCK;
        int wordOff = (int) (bitInBlock / 64) * 8;
        long firstBit = s - bitInBlock + wordOff * 8L;
        long word = 0;
        for (int i = 0; i < 64; i++) {
            if (intent.get((int) (firstBit + i))) {
                word |= 1L << i;
            }
        }
        DaxWindow w;
        try {
            w = dax.directAccess(block, 1, DaxAccessMode.ACCESS);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EHWPOISON) {
                throw e;
            }
            writeIntentBlockThroughBlockPath(block, s - bitInBlock);
            return;
        }
        w.storeLong(wordOff, word);
        w.flush(wordOff, 8);
        parityBytesWritten += 8;
    }

    /** A poisoned intent block: rewritten whole from the mirror through the block path (clears poison). */
    private void writeIntentBlockThroughBlockPath(long block, long firstStripe) throws ErrnoException {
        byte[] img = new byte[PAGE];
        BitSet part = intent.get((int) firstStripe, (int) Math.min(layout.stripes(),
                firstStripe + ParityLayout.BITS_PER_INTENT_BLOCK));
        byte[] bits = part.toByteArray();
        System.arraycopy(bits, 0, img, 0, bits.length);
        bdev.submitWrite(Volume.sector(block), img, 0, PAGE);
        parityBytesWritten += PAGE;
    }

    /** XORs {@code delta} into parity block of {@code s} at {@code inPage}; false when it cannot be read. */
    private boolean applyDelta(long s, int inPage, byte[] delta) throws ErrnoException {
        DaxWindow w;
        try {
            w = dax.directAccess(layout.parityBlock(s), 1, DaxAccessMode.ACCESS);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EHWPOISON) {
                throw e;
            }
            return false;
        }
        byte[] p = new byte[delta.length];
        if (!w.read(inPage, p, 0, p.length).isComplete()) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            p[i] ^= delta[i];
        }
        w.write(inPage, p, 0, p.length);
        parityBytesWritten += p.length;
        return true;
    }

    /** XOR of every block of stripe {@code s} into its parity block; false (nothing written) if one does not read. */
    private boolean recomputeLocked(long s) throws ErrnoException {
        byte[] acc = new byte[PAGE];
        byte[] buf = new byte[PAGE];
        for (long b = layout.firstBlock(s); b < layout.endBlock(s); b++) {
            if (!readInto(b, buf)) {
                return false;
            }
            xor(acc, buf);
        }
        writeBlock(layout.parityBlock(s), acc);
        recomputes++;
        return true;
    }

    /** Writes a whole parity-region block: a DAX store, or the block path when it is poisoned (clears it). */
    private void writeBlock(long block, byte[] img) throws ErrnoException {
        DaxWindow w;
        try {
            w = dax.directAccess(block, 1, DaxAccessMode.ACCESS);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EHWPOISON) {
                throw e;
            }
            bdev.submitWrite(Volume.sector(block), img, 0, PAGE);
            parityBytesWritten += PAGE;
            return;
        }
        w.write(0, img, 0, PAGE);
        parityBytesWritten += PAGE;
    }

    private boolean readRange(long devOff, byte[] dst) throws ErrnoException {
        long first = devOff / PAGE;
        long last = (devOff + dst.length - 1) / PAGE;
        DaxWindow w;
        try {
            w = dax.directAccess(first, last - first + 1, DaxAccessMode.ACCESS);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EHWPOISON) {
                throw e;
            }
            return false;
        }
        if (w.nrPages() < last - first + 1) {
            return false;
        }
        return w.read(devOff - first * PAGE, dst, 0, dst.length).isComplete();
    }

    private boolean readInto(long block, byte[] buf) throws ErrnoException {
        DaxWindow w;
        try {
            w = dax.directAccess(block, 1, DaxAccessMode.ACCESS);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EHWPOISON) {
                throw e;
            }
            return false;
        }
        return w.read(0, buf, 0, PAGE).isComplete();
    }

    private byte[] readPage(long block) throws ErrnoException {
        byte[] buf = new byte[PAGE];
        return readInto(block, buf) ? buf : null;
    }

    static void xor(byte[] acc, byte[] b) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] ^= b[i];
        }
    }
}
