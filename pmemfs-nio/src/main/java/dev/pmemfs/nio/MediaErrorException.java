package dev.pmemfs.nio;

import java.io.IOException;

/**
 * An I/O that met poison: the media under a file range is bad, as Linux reports it with EIO from
 * read(2) (or EHWPOISON/SIGBUS BUS_MCEERR_AR from a load through a DAX mapping). Carries the file, the
 * file offset and length of the bad range (whole filesystem blocks, as libpmem2's badblock iterator
 * reports them; the I/O's own range when the filesystem knows no more), and the errno.
 *
 * <p>The data of the range is lost; {@link PmemFiles#recover} repairs the range with one of the
 * recovery designs, after which it reads as zeros.
 */
public class MediaErrorException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long offset;
    private final long length;
    private final int errno;

    public MediaErrorException(String file, long offset, long length, int errno, String message) {
        super(file + ": media error at offset " + offset + " length " + length + " (errno " + errno + "): " + message);
        this.file = file;
        this.offset = offset;
        this.length = length;
        this.errno = errno;
    }

    /** The file the I/O was on, as its path. */
    public String file() {
        return file;
    }

    /** File offset of the bad range. */
    public long offset() {
        return offset;
    }

    /** Length of the bad range in bytes. */
    public long length() {
        return length;
    }

    /** The Linux errno: 5 (EIO) for read/write, 133 (EHWPOISON) for a load through a mapping. */
    public int errno() {
        return errno;
    }
}
