package dev.pmemfs.recovery;

import dev.pmemfs.errno.ErrnoException;

/**
 * What Linux shipped (5.19, DAX_RECOVERY_WRITE): a page-aligned pwrite over poison clears it in
 * place. The range is fs-block (= page) aligned; a page that reaches past EOF is written whole and the
 * size restored, since only whole pages can be recovered.
 */
final class RecoveryWrite extends RangeStrategy {
    RecoveryWrite() {
        super("recovery-write", Privilege.FILE_WRITE,
                "page-aligned pwrite over the poison (Linux 5.19+ DAX recovery write)");
    }

    @Override
    void repair(RecoveryTarget target, DamagedFile file, FileRange range) throws ErrnoException {
        if (range.offset() >= file.size) {
            return; // nothing of the file lives there
        }
        file.writeZeros(range);
        if (range.end() > file.size) {
            file.sys.ftruncate(file.fd, file.size);
        }
    }
}
