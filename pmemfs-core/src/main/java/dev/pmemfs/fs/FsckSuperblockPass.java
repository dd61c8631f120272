package dev.pmemfs.fs;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.HashMap;
import java.util.Map;

/**
 * Pass 0 of fsck: the two superblock copies, the journal and the zero page (e2fsck's superblock and
 * journal checks before pass 1). Where neither superblock copy can be used, or the filesystem is
 * larger than the device holding it, nothing can be checked: that is the one-line "cannot check"
 * answer (exit 8), never a guess.
 */
final class FsckSuperblockPass {
    private FsckSuperblockPass() {}

    static void run(FsckScan s) throws ErrnoException {
        s.sb = superblocks(s);
        s.g = s.sb.geometry();
        if (s.g.totalBlocks() > s.dax.nrPages()) {
            throw new ErrnoException(Errno.EUCLEAN, "fsck", "the filesystem on " + s.dax.name() + " has "
                    + s.g.totalBlocks() + " blocks but the device only " + s.dax.nrPages()
                    + " (the image was truncated): nothing can be checked or repaired");
        }
        s.meta = new MetaStore(s.dax, s.bdev, s.sb);
        journal(s);
        zeroPage(s);
    }

    private static Superblock superblocks(FsckScan s) throws ErrnoException {
        Superblock[] copies = new Superblock[2];
        String[] why = new String[2];
        for (int i = 0; i < 2; i++) {
            try {
                copies[i] = Superblock.decode(DaxSeam.readBlock(s.dax, i, "superblock"), i);
            } catch (ErrnoException e) {
                why[i] = e.getMessage();
            }
        }
        if (copies[0] == null && copies[1] == null) {
            throw new ErrnoException(Errno.EUCLEAN, "fsck", s.dax.name() + " holds no usable pmemfs superblock "
                    + "(primary: " + why[0] + "; backup: " + why[1] + "): nothing can be checked or repaired; "
                    + "restore the image from a copy, or make a new filesystem with mkfs -f");
        }
        Superblock good = copies[0] != null ? copies[0] : copies[1];
        for (int i = 0; i < 2; i++) {
            if (copies[i] == null) {
                s.error((i == 0 ? "primary" : "backup") + " superblock is unusable: " + why[i]
                        + "; rewritten from the other copy", new Repair.RewriteSuperblock(i));
            }
        }
        if (copies[0] != null && copies[1] != null && !copies[0].geometry().equals(copies[1].geometry())) {
            s.error("superblock copies disagree on the geometry; the backup is rewritten from the primary",
                    new Repair.RewriteSuperblock(1));
        }
        return good;
    }

    /**
     * Committed records not yet written in place are not corruption: the filesystem was not unmounted
     * cleanly. Checking reads through the log (as mount would replay it); repairing replays it first,
     * as e2fsck recovers the journal before its passes.
     */
    private static void journal(FsckScan s) throws ErrnoException {
        Journal j = new Journal(s.meta, s.g.journalStart(), s.g.journalLen(), s.sb.fsid(), s.sb.tailSeq(),
                s.sb.tailPos());
        Journal.Scan scan = j.scan(s.sb.tailSeq(), s.sb.tailPos());
        if (!scan.records().isEmpty()) {
            String what = "journal holds " + scan.records().size() + " committed transactions not yet written "
                    + "in place (the filesystem was not unmounted cleanly)";
            if (s.repair) {
                s.error(what + "; replayed", new Repair.ReplayJournal());
                s.meta.replay();
            } else {
                s.note(what + "; checked as if replayed");
                Map<Long, byte[]> overlay = new HashMap<>();
                for (Journal.Record r : scan.records()) {
                    for (int i = 0; i < r.targets().size(); i++) {
                        overlay.put(r.targets().get(i), r.images().get(i));
                    }
                }
                s.meta.commitOverlay(overlay);
            }
        }
        if (scan.tornAt() >= 0) {
            s.note("journal: replay stops at block " + scan.tornAt() + " (" + scan.tornWhy()
                    + "); that transaction never committed and is ignored");
        }
    }

    /** The zero page must read as zeros: it is what read faults on holes map. */
    private static void zeroPage(FsckScan s) {
        String bad = null;
        try {
            if (!MetaBlock.allZero(DaxSeam.readBlock(s.dax, Geometry.ZERO_PAGE, "zero page"))) {
                bad = "is not all zeros";
            }
        } catch (ErrnoException e) {
            bad = "is unreadable: " + e.getMessage();
        }
        if (bad != null) {
            s.error("zero page (block " + Geometry.ZERO_PAGE + ") " + bad + "; zeroed again",
                    new Repair.ZeroBlock(Geometry.ZERO_PAGE, "zero page"));
        }
    }
}
