package dev.pmemfs.recovery;

import dev.pmemfs.errno.ErrnoException;
import java.util.List;

/**
 * One poison-recovery design: repairs the poisoned ranges of one file (fs-block aligned, as
 * libpmem2's {@code pmem2_badblock_next} reports them) through the interface its design gives a user.
 * Every design destroys the data of the ranges it repairs; the {@link Outcome} says which bytes.
 */
public interface Strategy {
    /** The name {@code pmemfs recover --strategy} takes ("punch-pwrite", "zeroinit", ...). */
    String name();

    Privilege privilege();

    /** One line: what it does and where it comes from. */
    String summary();

    /**
     * Repairs {@code bad} in the target's file. Fails with the errno of the first step that failed
     * (EPERM/EACCES when the user lacks the privilege, EOPNOTSUPP when the mount does not offer it).
     */
    Outcome recover(RecoveryTarget target, List<FileRange> bad) throws ErrnoException;

    /**
     * What a recovery did.
     *
     * @param strategy  its name
     * @param lost      ranges whose old content is gone (they now read as zeros, or as undefined data when
     *                  {@code undefinedContent})
     * @param undefinedContent true when the lost ranges hold whatever the firmware left (clear at unmount)
     * @param note      one line on where the poison went (cleared in place, left on freed blocks, ...)
     */
    record Outcome(String strategy, List<FileRange> lost, boolean undefinedContent, String note) {
        public Outcome {
            lost = List.copyOf(lost);
        }

        public long bytesLost() {
            return lost.stream().mapToLong(FileRange::length).sum();
        }
    }
}
