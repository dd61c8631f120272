package dev.pmemfs.recovery;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.Falloc;

/**
 * FALLOC_FL_ZERO_RANGE on the bad range. On Linux it converts the range to unwritten extents and
 * leaves the media alone; the Aug 2021 RFC (mount option {@code zero_range=zeroinit}) wires it to
 * dax_zeroinit_range instead, which zeroes and clears in place.
 */
final class ZeroRange extends RangeStrategy {
    ZeroRange() {
        super("zero-range", Privilege.FILE_WRITE,
                "fallocate(ZERO_RANGE|KEEP_SIZE): Linux converts to unwritten; the RFC zeroes in place");
    }

    @Override
    void repair(RecoveryTarget target, DamagedFile file, FileRange range) throws ErrnoException {
        file.sys.fallocate(file.fd, Falloc.FALLOC_FL_ZERO_RANGE | Falloc.FALLOC_FL_KEEP_SIZE, range.offset(), range.length());
    }
}
