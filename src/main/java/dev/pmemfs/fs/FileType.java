package dev.pmemfs.fs;

/** What an inode is: S_IFREG or S_IFDIR (the only kinds pmemfs stores). */
public enum FileType {
    REGULAR(0100000),
    DIRECTORY(0040000);

    private final int ifmt;

    FileType(int ifmt) {
        this.ifmt = ifmt;
    }

    /** The S_IFMT bits. */
    public int ifmt() {
        return ifmt;
    }
}
