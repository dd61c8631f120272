package dev.pmemfs.fs;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.errno.ErrnoException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The offline checker, e2fsck's passes over pmemfs: superblocks, journal and zero page
 * ({@link FsckSuperblockPass}); bitmaps and orphan list read ({@link FsckSpacePass#load}); every inode
 * and extent list ({@link FsckInodePass}); directories, connectivity and link counts
 * ({@link FsckDirectoryPass}); bitmaps, reverse map and orphan list against all that
 * ({@link FsckSpacePass}); with metadata replicas, that both copies of every replicated block agree
 * ({@link FsckReplicaPass}). Each error found names its {@link Repair}; with {@code repair} the plan is
 * applied ({@link FsckRepairer}) and the filesystem checked again, so "corrected" is a fact, not a
 * hope. Exit codes as e2fsck: 0 clean, 1 corrected, 4 left uncorrected, 8 could not check.
 */
public final class Fsck {
    private Fsck() {}

    /**
     * Checks an unmounted device; with {@code repair}, fixes what it finds. A device or image error that
     * stops the check is exit code 8 with one finding saying why; a runtime exception is a bug in the
     * checker and propagates as one.
     */
    public static FsckReport check(DaxDevice dax, BlockDevice bdev, boolean repair) {
        Objects.requireNonNull(dax, "dax");
        Objects.requireNonNull(bdev, "bdev");
        FsckScan s = new FsckScan(dax, bdev, repair);
        try {
            FsckSuperblockPass.run(s);
            FsckSpacePass.load(s);
            FsckInodePass.run(s);
            FsckDirectoryPass.run(s);
            reportLostMaps(s);
            FsckSpacePass.run(s);
            FsckParityPass.run(s);
            FsckReplicaPass.run(s);
        } catch (ErrnoException e) {
            List<String> lines = new ArrayList<>(s.findings.render(false, false));
            lines.add("fsck stopped: " + e.getMessage());
            return new FsckReport(lines, s.findings.errors(), 0, FsckReport.OPERATIONAL, s.damaged);
        }
        int errors = s.findings.errors();
        if (errors == 0) {
            return new FsckReport(s.findings.render(false, false), 0, 0, FsckReport.CLEAN, List.of());
        }
        if (!repair) {
            return new FsckReport(s.findings.render(false, false), errors, 0, FsckReport.UNCORRECTED, s.damaged);
        }
        try {
            FsckRepairer.apply(s);
        } catch (ErrnoException e) {
            List<String> lines = new ArrayList<>(s.findings.render(true, false));
            lines.add("repair stopped: " + e.getMessage() + "; run fsck again to see what is left");
            return new FsckReport(lines, errors, 0, FsckReport.UNCORRECTED, s.damaged);
        }
        // Check again: only what the second look finds clean counts as corrected.
        FsckReport again = check(dax, bdev, false);
        List<String> lines = new ArrayList<>(s.findings.render(true, true));
        if (again.exitCode() == FsckReport.CLEAN) {
            return new FsckReport(lines, errors, errors, FsckReport.CORRECTED, s.damaged);
        }
        for (String f : again.findings()) {
            lines.add("after repair: " + f);
        }
        return new FsckReport(lines, errors, Math.max(0, errors - again.errors()), FsckReport.UNCORRECTED,
                s.damaged);
    }

    /** Which file lost which part of its map (pass 1 found it; paths are known after pass 2). */
    private static void reportLostMaps(FsckScan s) {
        for (Map.Entry<Long, List<String>> e : s.lostMaps.entrySet()) {
            for (String what : e.getValue()) {
                s.error(s.describe(e.getKey()) + ": " + what + "; those file blocks lost their mapping and now read "
                        + "as a hole; the extent list is rebuilt from the rest", new Repair.RebuildExtentList(e.getKey()));
            }
        }
    }
}
