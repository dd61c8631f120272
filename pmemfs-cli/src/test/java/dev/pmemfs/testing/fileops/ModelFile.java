package dev.pmemfs.testing.fileops;

import dev.pmemfs.errno.Errno;
import java.util.Arrays;
import java.util.Optional;

/**
 * The reference model of a file's contents and size, like fsx's {@code good_buf}: what every data
 * operation must leave, with Linux's argument errors (reference §4.2, §4.4). It does not model the
 * extent map, so it cannot predict SEEK_DATA/SEEK_HOLE; it checks their answers for consistency with
 * the contents instead ({@link #checkSeek}). Bytes past the size are kept zero, so growing the file
 * exposes zeros as Linux does.
 */
public final class ModelFile {
    private final int blockSize;
    private byte[] bytes = new byte[0];
    private long size;

    public ModelFile(int blockSize) {
        if (Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size " + blockSize + " is not a power of two");
        }
        this.blockSize = blockSize;
    }

    public long size() {
        return size;
    }

    /** A copy of the contents, {@code size} bytes. */
    public byte[] contents() {
        return Arrays.copyOf(bytes, (int) size);
    }

    /** The expected result of {@code op}, applied to the model; empty for the map queries. */
    public Optional<OpResult> apply(FileOp op) {
        return Optional.ofNullable(switch (op) {
            case FileOp.Pwrite w -> pwrite(w);
            case FileOp.Pread r -> pread(r);
            case FileOp.Truncate t -> truncate(t.size());
            case FileOp.Falloc f -> falloc(f);
            case FileOp.Fpunch p -> fpunch(p);
            case FileOp.Fzero z -> fzero(z);
            case FileOp.Fcollapse c -> fcollapse(c);
            case FileOp.Finsert i -> finsert(i);
            case FileOp.Fmode m -> fmode(m);
            case FileOp.SeekData d -> null;
            case FileOp.SeekHole h -> null;
        });
    }

    /**
     * Whether a filesystem's answer to a SEEK_DATA/SEEK_HOLE is possible for these contents: ENXIO
     * exactly at or past EOF and for negative offsets (and for SEEK_DATA when only zeros follow); a
     * SEEK_DATA answer in {@code [offset, size)} with only zeros skipped; a SEEK_HOLE answer in
     * {@code [offset, size]} that is the offset itself, EOF or a block boundary followed by zeros.
     *
     * @return empty when consistent, else why not
     */
    public Optional<String> checkSeek(FileOp op, OpResult actual) {
        long off = switch (op) {
            case FileOp.SeekData d -> d.offset();
            case FileOp.SeekHole h -> h.offset();
            default -> throw new IllegalArgumentException("not a seek: " + op);
        };
        boolean data = op instanceof FileOp.SeekData;
        if (off < 0 || off >= size) {
            return actual.equals(new OpResult.Failed(Errno.ENXIO)) ? Optional.empty()
                    : Optional.of("offset outside [0, " + size + ") must give ENXIO, got " + actual);
        }
        if (actual instanceof OpResult.Failed f) {
            if (data && f.errno() == Errno.ENXIO && allZero(off, size)) {
                return Optional.empty();
            }
            return Optional.of("unexpected " + f.errno() + " at offset " + off + " inside the file of size " + size);
        }
        if (!(actual instanceof OpResult.Value(long r))) {
            return Optional.of("a seek returned " + actual);
        }
        if (data) {
            if (r < off || r >= size) {
                return Optional.of("SEEK_DATA answer " + r + " outside [" + off + ", " + size + ")");
            }
            long nonZero = firstNonZero(off, r);
            return nonZero < 0 ? Optional.empty()
                    : Optional.of("SEEK_DATA skipped to " + r + " over non-zero byte at " + nonZero);
        }
        if (r < off || r > size) {
            return Optional.of("SEEK_HOLE answer " + r + " outside [" + off + ", " + size + "]");
        }
        if (r == size) {
            return Optional.empty();
        }
        if (r != off && r % blockSize != 0) {
            return Optional.of("SEEK_HOLE answer " + r + " is neither the offset nor a block boundary");
        }
        long end = Math.min(size, (r / blockSize + 1) * blockSize);
        long nonZero = firstNonZero(r, end);
        return nonZero < 0 ? Optional.empty()
                : Optional.of("SEEK_HOLE answer " + r + " but byte " + nonZero + " of that block is not zero");
    }

    private OpResult pwrite(FileOp.Pwrite w) {
        if (w.offset() < 0) {
            return new OpResult.Failed(Errno.EINVAL);
        }
        if (w.length() == 0) {
            return new OpResult.Value(0);
        }
        byte[] data = w.data();
        ensure(w.offset() + data.length);
        System.arraycopy(data, 0, bytes, (int) w.offset(), data.length);
        size = Math.max(size, w.offset() + data.length);
        return new OpResult.Value(data.length);
    }

    private OpResult pread(FileOp.Pread r) {
        if (r.offset() < 0) {
            return new OpResult.Failed(Errno.EINVAL);
        }
        if (r.offset() >= size) {
            return new OpResult.Data(new byte[0]);
        }
        int n = (int) Math.min(r.length(), size - r.offset());
        return new OpResult.Data(Arrays.copyOfRange(bytes, (int) r.offset(), (int) r.offset() + n));
    }

    private OpResult truncate(long newSize) {
        if (newSize < 0) {
            return new OpResult.Failed(Errno.EINVAL);
        }
        ensure(newSize);
        if (newSize < size) {
            Arrays.fill(bytes, (int) newSize, (int) size, (byte) 0);
        }
        size = newSize;
        return new OpResult.Value(0);
    }

    private OpResult falloc(FileOp.Falloc f) {
        if (f.offset() < 0 || f.length() <= 0) {
            return new OpResult.Failed(Errno.EINVAL);
        }
        if (!f.keepSize()) {
            grow(f.offset() + f.length());
        }
        return new OpResult.Value(0);
    }

    private OpResult fpunch(FileOp.Fpunch p) {
        if (p.offset() < 0 || p.length() <= 0) {
            return new OpResult.Failed(Errno.EINVAL);
        }
        zero(p.offset(), p.offset() + p.length());
        return new OpResult.Value(0);
    }

    private OpResult fzero(FileOp.Fzero z) {
        if (z.offset() < 0 || z.length() <= 0) {
            return new OpResult.Failed(Errno.EINVAL);
        }
        zero(z.offset(), z.offset() + z.length());
        if (!z.keepSize()) {
            grow(z.offset() + z.length());
        }
        return new OpResult.Value(0);
    }

    /** XFS's order: alignment, then "must not reach EOF" (xfs_falloc_collapse_range). */
    private OpResult fcollapse(FileOp.Fcollapse c) {
        long off = c.offset();
        long len = c.length();
        if (off < 0 || len <= 0 || !aligned(off) || !aligned(len) || off + len >= size) {
            return new OpResult.Failed(Errno.EINVAL);
        }
        System.arraycopy(bytes, (int) (off + len), bytes, (int) off, (int) (size - off - len));
        Arrays.fill(bytes, (int) (size - len), (int) size, (byte) 0);
        size -= len;
        return new OpResult.Value(0);
    }

    /** XFS's order: alignment, then "offset must be inside the file" (xfs_falloc_insert_range). */
    private OpResult finsert(FileOp.Finsert i) {
        long off = i.offset();
        long len = i.length();
        if (off < 0 || len <= 0 || !aligned(off) || !aligned(len) || off >= size) {
            return new OpResult.Failed(Errno.EINVAL);
        }
        ensure(size + len);
        System.arraycopy(bytes, (int) off, bytes, (int) (off + len), (int) (size - off));
        Arrays.fill(bytes, (int) off, (int) (off + len), (byte) 0);
        size += len;
        return new OpResult.Value(0);
    }

    /**
     * Only for the modes {@link OpGenerator} draws for {@link FileOp.Fmode}: the generic checks of
     * vfs_fallocate (EINVAL for the range, then EOPNOTSUPP for bits outside the mask and for invalid
     * combinations); UNSHARE_RANGE (± KEEP_SIZE) is valid and, on files without shared extents,
     * preallocates like mode 0.
     */
    private OpResult fmode(FileOp.Fmode m) {
        if (m.offset() < 0 || m.length() <= 0) {
            return new OpResult.Failed(Errno.EINVAL);
        }
        int unshare = dev.pmemfs.fs.Falloc.FALLOC_FL_UNSHARE_RANGE;
        int keep = dev.pmemfs.fs.Falloc.FALLOC_FL_KEEP_SIZE;
        if ((m.mode() & ~keep) == unshare) {
            return falloc(new FileOp.Falloc(m.offset(), m.length(), (m.mode() & keep) != 0));
        }
        if (!OpGenerator.REJECTED_MODES.contains(m.mode())) {
            throw new IllegalArgumentException("the model does not know fallocate mode 0x" + Integer.toHexString(m.mode()));
        }
        return new OpResult.Failed(Errno.EOPNOTSUPP);
    }

    private boolean aligned(long v) {
        return (v & (blockSize - 1)) == 0;
    }

    /** Zeroes {@code [from, to)} clipped to the file. */
    private void zero(long from, long to) {
        long end = Math.min(to, size);
        if (from < end) {
            Arrays.fill(bytes, (int) from, (int) end, (byte) 0);
        }
    }

    private void grow(long newSize) {
        if (newSize > size) {
            ensure(newSize);
            size = newSize;
        }
    }

    private void ensure(long capacity) {
        if (capacity > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("model file limited to 2 GiB, asked for " + capacity);
        }
        if (capacity > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.max(capacity, Math.min(Integer.MAX_VALUE - 8, 2L * bytes.length)));
        }
    }

    private boolean allZero(long from, long to) {
        return firstNonZero(from, to) < 0;
    }

    private long firstNonZero(long from, long to) {
        for (long i = from; i < to; i++) {
            if (bytes[(int) i] != 0) {
                return i;
            }
        }
        return -1;
    }
}
