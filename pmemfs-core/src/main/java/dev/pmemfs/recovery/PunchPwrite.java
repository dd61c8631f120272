package dev.pmemfs.recovery;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.Falloc;

/**
 * The workaround users have had: punch the bad blocks out, then write the range again. It works only
 * because the filesystem zeroes newly allocated DAX blocks through the block path; the file moves to
 * other blocks and the poisoned ones go back to free space, still poisoned (the seed's complaint).
 */
final class PunchPwrite extends RangeStrategy {
    PunchPwrite() {
        super("punch-pwrite", Privilege.FILE_WRITE,
                "fallocate(PUNCH_HOLE|KEEP_SIZE) then pwrite: new blocks, zeroed at allocation");
    }

    @Override
    void repair(RecoveryTarget target, DamagedFile file, FileRange range) throws ErrnoException {
        file.sys.fallocate(file.fd, Falloc.FALLOC_FL_PUNCH_HOLE | Falloc.FALLOC_FL_KEEP_SIZE, range.offset(), range.length());
        FileRange inFile = range.clipTo(file.size);
        if (inFile != null) {
            file.writeZeros(inFile);
        }
    }
}
