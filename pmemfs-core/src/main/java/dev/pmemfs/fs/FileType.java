package dev.pmemfs.fs;

/**
 * What an inode is: the S_IFMT bits of its mode, and the file-type code its directory entries carry
 * (ext2's {@code EXT2_FT_*} numbering: 1 regular .. 7 symlink).
 */
public enum FileType {
    REGULAR(0100000, 1),
    DIRECTORY(0040000, 2),
    CHAR_DEVICE(0020000, 3),
    BLOCK_DEVICE(0060000, 4),
    FIFO(0010000, 5),
    SOCKET(0140000, 6),
    SYMLINK(0120000, 7);

    /** S_IFMT. */
    public static final int S_IFMT = 0170000;

    private final int ifmt;
    private final int direntType;

    FileType(int ifmt, int direntType) {
        this.ifmt = ifmt;
        this.direntType = direntType;
    }

    /** The S_IFMT bits. */
    public int ifmt() {
        return ifmt;
    }

    /** The type code stored in a directory entry. */
    int direntType() {
        return direntType;
    }

    /** The type whose S_IFMT bits are {@code mode & S_IFMT}, or null when there is none. */
    public static FileType ofMode(int mode) {
        for (FileType t : values()) {
            if (t.ifmt == (mode & S_IFMT)) {
                return t;
            }
        }
        return null;
    }

    /** The type of a directory-entry code, or null for an unknown code. */
    static FileType ofDirentType(int code) {
        for (FileType t : values()) {
            if (t.direntType == code) {
                return t;
            }
        }
        return null;
    }

    /** Character or block device, FIFO or socket: an inode with no data, only a type (and a device number). */
    public boolean special() {
        return this == CHAR_DEVICE || this == BLOCK_DEVICE || this == FIFO || this == SOCKET;
    }
}
