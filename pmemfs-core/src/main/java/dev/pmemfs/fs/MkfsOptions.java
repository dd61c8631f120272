package dev.pmemfs.fs;

/**
 * mkfs parameters: inode count and journal size in blocks (0 picks the default), the mount options
 * stored in the superblock as defaults, and the data parity stripe width (data blocks per parity
 * block, {@code -o data_parity=N}; 0 for none).
 */
public record MkfsOptions(long inodes, long journalBlocks, MountOptions defaults, int dataParity) {
    public static final MkfsOptions DEFAULTS = new MkfsOptions(0, 0, MountOptions.DEFAULTS);

    public MkfsOptions {
        if (inodes < 0 || journalBlocks < 0) {
            throw new IllegalArgumentException("negative inodes or journal size");
        }
        if (dataParity < 0 || dataParity > Superblock.MAX_DATA_PARITY) {
            throw new IllegalArgumentException("data_parity=" + dataParity + " is out of range (0 for none, 1.."
                    + Superblock.MAX_DATA_PARITY + " data blocks per parity block)");
        }
        java.util.Objects.requireNonNull(defaults, "defaults");
    }

    public MkfsOptions(long inodes, long journalBlocks, MountOptions defaults) {
        this(inodes, journalBlocks, defaults, 0);
    }

    /** The same options with {@code n} data blocks per parity block. */
    public MkfsOptions withDataParity(int n) {
        return new MkfsOptions(inodes, journalBlocks, defaults, n);
    }
}
