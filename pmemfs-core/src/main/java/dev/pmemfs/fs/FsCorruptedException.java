package dev.pmemfs.fs;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;

/**
 * On-media metadata failed its checksum or a sanity check (XFS's EFSCORRUPTED, which is EUCLEAN):
 * names the block, the structure and what was expected and found. The data is never used.
 */
public final class FsCorruptedException extends ErrnoException {
    private static final long serialVersionUID = 1L;
    private final long block;
    private final String structure;

    public FsCorruptedException(String op, long block, String structure, String detail) {
        super(Errno.EFSCORRUPTED, op, structure + " block " + block + ": " + detail);
        this.block = block;
        this.structure = structure;
    }

    /** Filesystem block number of the bad metadata block. */
    public long block() {
        return block;
    }

    /** Which structure it belongs to ("inode table", "directory", ...). */
    public String structure() {
        return structure;
    }
}
