package dev.pmemfs.fs;

/**
 * mkfs parameters: inode count and journal size in blocks (0 picks the default), and the mount
 * options stored in the superblock as defaults.
 */
public record MkfsOptions(long inodes, long journalBlocks, MountOptions defaults) {
    public static final MkfsOptions DEFAULTS = new MkfsOptions(0, 0, MountOptions.DEFAULTS);

    public MkfsOptions {
        if (inodes < 0 || journalBlocks < 0) {
            throw new IllegalArgumentException("negative inodes or journal size");
        }
        java.util.Objects.requireNonNull(defaults, "defaults");
    }
}
