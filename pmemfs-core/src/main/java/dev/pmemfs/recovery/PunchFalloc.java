package dev.pmemfs.recovery;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.Falloc;

/**
 * libpmem2's {@code pmem2_badblock_clear} for fsdax files: punch the bad blocks out and preallocate
 * the range again. The file gets fresh (unwritten) blocks; the poison stays on the freed ones.
 */
final class PunchFalloc extends RangeStrategy {
    PunchFalloc() {
        super("punch-falloc", Privilege.FILE_WRITE,
                "libpmem2's recipe: fallocate(PUNCH_HOLE|KEEP_SIZE) then fallocate(KEEP_SIZE)");
    }

    @Override
    void repair(RecoveryTarget target, DamagedFile file, FileRange range) throws ErrnoException {
        file.sys.fallocate(file.fd, Falloc.FALLOC_FL_PUNCH_HOLE | Falloc.FALLOC_FL_KEEP_SIZE, range.offset(), range.length());
        file.sys.fallocate(file.fd, Falloc.FALLOC_FL_KEEP_SIZE, range.offset(), range.length());
    }
}
