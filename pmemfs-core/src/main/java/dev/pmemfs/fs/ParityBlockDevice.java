package dev.pmemfs.fs;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.block.BlockHandle;
import dev.pmemfs.errno.ErrnoException;

/**
 * The block device as a filesystem with data parity uses it: its write bios and zeroouts into the data
 * area keep parity ({@link Parity#store}), as {@link dev.pmemfs.dax.FilteredDax} does for DAX stores. Opening the device
 * node ({@link #open}) is the user's raw access and bypasses the filesystem, parity included, as it
 * bypasses every filesystem's checksums (docs/FORMAT.md "Data parity").
 */
final class ParityBlockDevice implements BlockDevice {
    private final BlockDevice inner;
    private final Parity parity;

    ParityBlockDevice(BlockDevice inner, Parity parity) {
        this.inner = inner;
        this.parity = parity;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public long capacityBytes() {
        return inner.capacityBytes();
    }

    @Override
    public BlockHandle open(boolean forWrite) {
        return inner.open(forWrite);
    }

    @Override
    public void submitRead(long sector, byte[] dst, int dstOff, int len) throws ErrnoException {
        inner.submitRead(sector, dst, dstOff, len);
    }

    @Override
    public void submitWrite(long sector, byte[] src, int srcOff, int len) throws ErrnoException {
        parity.store(sector << SECTOR_SHIFT, len, src, srcOff, () -> {
            inner.submitWrite(sector, src, srcOff, len);
            return len;
        });
    }

    @Override
    public void issueZeroout(long sector, long nrSects) throws ErrnoException {
        parity.store(sector << SECTOR_SHIFT, nrSects << SECTOR_SHIFT, null, 0, () -> {
            inner.issueZeroout(sector, nrSects);
            return nrSects << SECTOR_SHIFT;
        });
    }

    @Override
    public String badblocksShow() {
        return inner.badblocksShow();
    }

    @Override
    public void badblocksStore(String text) throws ErrnoException {
        inner.badblocksStore(text);
    }
}
