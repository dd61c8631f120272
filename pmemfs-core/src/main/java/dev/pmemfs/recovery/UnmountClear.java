package dev.pmemfs.recovery;

import dev.pmemfs.errno.ErrnoException;
import java.util.ArrayList;
import java.util.List;

/**
 * Clear at unmount: take the filesystem offline and clear every known media error of the namespace
 * with the firmware call, as {@code ndctl clear-errors} does. Needs an administrator, clears metadata
 * errors too (the damage is then found by checksums and fsck, never silently used), and leaves the
 * cleared bytes with whatever content the platform defines — not zeros.
 */
final class UnmountClear implements Strategy {
    @Override
    public String name() {
        return "unmount-clear";
    }

    @Override
    public Privilege privilege() {
        return Privilege.ADMIN;
    }

    @Override
    public String summary() {
        return "unmount, ndctl clear-errors on the namespace, mount again (content left undefined)";
    }

    @Override
    public Outcome recover(RecoveryTarget target, List<FileRange> bad) throws ErrnoException {
        long size = target.sys().stat(target.path()).size();
        List<FileRange> lost = new ArrayList<>();
        for (FileRange r : bad) {
            FileRange inFile = r.clipTo(size);
            if (inFile != null) {
                lost.add(inFile);
            }
        }
        long cleared = target.offline().clearAllOffline();
        return new Outcome(name(), lost, true, "cleared " + cleared
                + " bytes of media errors namespace-wide while offline (metadata included: run fsck)");
    }
}
