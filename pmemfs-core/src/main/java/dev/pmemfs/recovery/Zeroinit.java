package dev.pmemfs.recovery;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.Falloc;

/**
 * The reviewer's request: an explicit fallocate mode, FALLOC_FL_ZEROINIT_RANGE, backed by a new
 * dax_operations method. Resets the written blocks to zeros and clears their media errors in place,
 * unprivileged, without touching the file's mapping.
 */
final class Zeroinit extends RangeStrategy {
    Zeroinit() {
        super("zeroinit", Privilege.FILE_WRITE,
                "fallocate(ZEROINIT_RANGE|KEEP_SIZE): zero and clear in place via dax zeroinit");
    }

    @Override
    void repair(RecoveryTarget target, DamagedFile file, FileRange range) throws ErrnoException {
        file.sys.fallocate(file.fd, Falloc.FALLOC_FL_ZEROINIT_RANGE | Falloc.FALLOC_FL_KEEP_SIZE, range.offset(), range.length());
    }
}
