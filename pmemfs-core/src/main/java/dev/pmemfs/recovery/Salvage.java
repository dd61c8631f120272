package dev.pmemfs.recovery;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.SalvageResult;
import java.util.ArrayList;
import java.util.List;

/**
 * pmemfs's salvage: the filesystem reads every sector of each damaged block that the driver does not
 * know to be bad, clears the block in place and writes the saved sectors back, as one journaled step
 * ({@code PMEMFS_IOC_SALVAGE} on a descriptor open for writing). Only the poisoned 512-byte sectors
 * are lost, where every block-level design loses the whole 4 KiB block; the file keeps its blocks.
 */
final class Salvage implements Strategy {
    @Override
    public String name() {
        return "salvage";
    }

    @Override
    public Privilege privilege() {
        return Privilege.FILE_WRITE;
    }

    @Override
    public String summary() {
        return "PMEMFS_IOC_SALVAGE: save the readable sectors, clear in place, write them back (journaled)";
    }

    @Override
    public Outcome recover(RecoveryTarget target, List<FileRange> bad) throws ErrnoException {
        List<FileRange> lost = new ArrayList<>();
        long repaired = 0;
        try (DamagedFile file = DamagedFile.openForWrite(target)) {
            for (FileRange r : bad) {
                SalvageResult s = file.sys.salvage(file.fd, r.offset(), r.length());
                if (s.blocksLeft() > 0) {
                    throw new ErrnoException(Errno.EIO, "salvage", target.path() + ": the firmware would not clear "
                            + s.blocksLeft() + " of the damaged blocks in " + r + "; they keep their poison and their data");
                }
                repaired += s.blocksRepaired();
                for (SalvageResult.Range l : s.lost()) {
                    lost.add(new FileRange(l.offset(), l.length()));
                }
            }
        }
        long bytes = lost.stream().mapToLong(FileRange::length).sum();
        String note = repaired == 0 ? "nothing inside the file's size needed repair"
                : "salvaged " + repaired + " block" + (repaired == 1 ? "" : "s") + " in place: only the " + bytes
                        + " bytes of poisoned sectors are lost, the rest kept its data; the file keeps its physical blocks";
        return new Outcome(name(), lost, false, note);
    }
}
