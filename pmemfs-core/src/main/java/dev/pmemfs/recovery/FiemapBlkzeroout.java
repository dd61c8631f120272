package dev.pmemfs.recovery;

import dev.pmemfs.block.BlockHandle;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Fiemap;

/**
 * Map the file range to device offsets with FIEMAP and zero them with BLKZEROOUT on the raw device:
 * in place, but only for a user who may open the block device for writing.
 */
final class FiemapBlkzeroout extends RangeStrategy {
    FiemapBlkzeroout() {
        super("fiemap-blkzeroout", Privilege.RAW_DEVICE,
                "FS_IOC_FIEMAP to find the device blocks, then ioctl(BLKZEROOUT) on /dev/pmemN");
    }

    @Override
    void repair(RecoveryTarget target, DamagedFile file, FileRange range) throws ErrnoException {
        // Open the device before touching anything, so a user without the privilege changes nothing.
        try (BlockHandle dev = target.rawDevice().openForWrite()) {
            file.sys.fsync(file.fd);
            for (Fiemap.Extent e : file.writtenExtents(range)) {
                dev.zeroout(e.physical(), e.length());
            }
        }
    }
}
