package dev.pmemfs.nio;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.DaxMapping;
import dev.pmemfs.vfs.HwPoisonException;
import dev.pmemfs.vfs.SigbusException;
import java.io.IOException;

/**
 * A shared DAX mapping of a pmemfs file ({@link PmemFiles#map}): loads and stores go straight to
 * the device pages behind the file, as after mmap(2) on an fsdax mount. A load that consumes poison
 * is the SIGBUS BUS_MCEERR_AR a process would get: here a {@link MediaErrorException} with errno
 * EHWPOISON (133) naming the poisoned page's file offset. Access past the end of the file (SIGBUS
 * BUS_ADRERR) is an IOException. A mapping never recovers poison: stores over it are lost and loads
 * keep failing until {@link PmemFiles#recover} repairs the range.
 *
 * <p>Usable until closed or until its file system closes (ClosedFileSystemException).
 */
public final class PmemMapping implements AutoCloseable {
    private final PmemFileSystem fs;
    private final DaxMapping map;
    private final String file;
    private final long fileOffset;

    PmemMapping(PmemFileSystem fs, DaxMapping map, String file, long fileOffset) {
        this.fs = fs;
        this.map = map;
        this.file = file;
        this.fileOffset = fileOffset;
    }

    /** Bytes mapped. */
    public long length() {
        return map.length();
    }

    public byte getByte(long offset) throws IOException {
        fs.sys();
        try {
            return map.getByte(offset);
        } catch (HwPoisonException e) {
            throw poison(e);
        } catch (SigbusException e) {
            throw beyondEof(e);
        }
    }

    public long getLong(long offset) throws IOException {
        fs.sys();
        try {
            return map.getLong(offset);
        } catch (HwPoisonException e) {
            throw poison(e);
        } catch (SigbusException e) {
            throw beyondEof(e);
        }
    }

    /** Copies {@code len} bytes at {@code offset} into {@code dst}. */
    public void get(long offset, byte[] dst, int dstOff, int len) throws IOException {
        fs.sys();
        try {
            map.get(offset, dst, dstOff, len);
        } catch (HwPoisonException e) {
            throw poison(e);
        } catch (SigbusException e) {
            throw beyondEof(e);
        }
    }

    public void putByte(long offset, byte value) throws IOException {
        fs.sys();
        try {
            map.putByte(offset, value);
        } catch (HwPoisonException e) {
            throw poison(e);
        } catch (SigbusException e) {
            throw beyondEof(e);
        }
    }

    public void putLong(long offset, long value) throws IOException {
        fs.sys();
        try {
            map.putLong(offset, value);
        } catch (HwPoisonException e) {
            throw poison(e);
        } catch (SigbusException e) {
            throw beyondEof(e);
        }
    }

    public void put(long offset, byte[] src, int srcOff, int len) throws IOException {
        fs.sys();
        try {
            map.put(offset, src, srcOff, len);
        } catch (HwPoisonException e) {
            throw poison(e);
        } catch (SigbusException e) {
            throw beyondEof(e);
        }
    }

    /** msync(MS_SYNC). */
    public void msync() throws IOException {
        fs.sys();
        try {
            map.msync();
        } catch (ErrnoException e) {
            throw Errors.of(e, file);
        }
    }

    /** munmap. */
    @Override
    public void close() {
        map.close();
    }

    private MediaErrorException poison(HwPoisonException e) {
        long size = 1L << e.lsb();
        long at = (fileOffset + e.address()) & -size;
        MediaErrorException x = new MediaErrorException(file, at, size, Errno.EHWPOISON.number(), e.getMessage());
        x.initCause(e);
        return x;
    }

    private IOException beyondEof(SigbusException e) {
        return new IOException(file + ": " + e.getMessage(), e);
    }
}
