package dev.pmemfs.testing.fileops;

import static dev.pmemfs.fs.Falloc.FALLOC_FL_COLLAPSE_RANGE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_INSERT_RANGE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_KEEP_SIZE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_PUNCH_HOLE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_ZERO_RANGE;

import dev.pmemfs.errno.ErrnoException;

/**
 * One file operation of a differential sequence, in the spirit of fsx's op table. {@link #toString}
 * prints it as the xfs_io command that does the same ({@code fzero -k 4096 8192}), so a failing
 * sequence can be replayed by hand.
 */
public sealed interface FileOp {
    int SEEK_DATA = 3;
    int SEEK_HOLE = 4;

    /** Runs the operation; an errno becomes {@link OpResult.Failed}. */
    default OpResult run(FileTarget target) {
        try {
            return execute(target);
        } catch (ErrnoException e) {
            return new OpResult.Failed(e.errno());
        }
    }

    OpResult execute(FileTarget target) throws ErrnoException;

    /** Whether this op only asks about the extent map (its answer depends on settled state). */
    default boolean queriesMap() {
        return false;
    }

    /** pwrite of {@code length} bytes of the pattern {@link #data} at {@code offset}. */
    record Pwrite(long offset, int length, int seed) implements FileOp {
        /**
         * The bytes written: never zero (so written data is told apart from holes), and position
         * dependent (so a shifted or misplaced block shows up as different content).
         */
        public byte[] data() {
            // Byte i is 1 + (seed*131 + i*7 + (i/4096)*31) mod 255, computed incrementally per 4 KiB.
            byte[] b = new byte[length];
            for (int chunk = 0; chunk < length; chunk += 4096) {
                int v = Math.floorMod(seed * 131 + chunk * 7 + (chunk >>> 12) * 31, 255);
                int end = Math.min(length, chunk + 4096);
                for (int i = chunk; i < end; i++) {
                    b[i] = (byte) (1 + v);
                    v += 7;
                    if (v >= 255) {
                        v -= 255;
                    }
                }
            }
            return b;
        }

        @Override
        public OpResult execute(FileTarget t) throws ErrnoException {
            return new OpResult.Value(t.pwrite(data(), offset));
        }

        @Override
        public String toString() {
            return "pwrite " + offset + " " + length + " (pattern " + seed + ")";
        }
    }

    record Pread(long offset, int length) implements FileOp {
        @Override
        public OpResult execute(FileTarget t) throws ErrnoException {
            byte[] buf = new byte[length];
            int n = t.pread(buf, offset);
            return new OpResult.Data(java.util.Arrays.copyOf(buf, n));
        }

        @Override
        public String toString() {
            return "pread " + offset + " " + length;
        }
    }

    record Truncate(long size) implements FileOp {
        @Override
        public OpResult execute(FileTarget t) throws ErrnoException {
            t.ftruncate(size);
            return new OpResult.Value(0);
        }

        @Override
        public String toString() {
            return "truncate " + size;
        }
    }

    record Falloc(long offset, long length, boolean keepSize) implements FileOp {
        @Override
        public OpResult execute(FileTarget t) throws ErrnoException {
            t.fallocate(keepSize ? FALLOC_FL_KEEP_SIZE : 0, offset, length);
            return new OpResult.Value(0);
        }

        @Override
        public String toString() {
            return "falloc " + (keepSize ? "-k " : "") + offset + " " + length;
        }
    }

    /** PUNCH_HOLE|KEEP_SIZE (punch is only valid with KEEP_SIZE). */
    record Fpunch(long offset, long length) implements FileOp {
        @Override
        public OpResult execute(FileTarget t) throws ErrnoException {
            t.fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length);
            return new OpResult.Value(0);
        }

        @Override
        public String toString() {
            return "fpunch " + offset + " " + length;
        }
    }

    record Fzero(long offset, long length, boolean keepSize) implements FileOp {
        @Override
        public OpResult execute(FileTarget t) throws ErrnoException {
            t.fallocate(FALLOC_FL_ZERO_RANGE | (keepSize ? FALLOC_FL_KEEP_SIZE : 0), offset, length);
            return new OpResult.Value(0);
        }

        @Override
        public String toString() {
            return "fzero " + (keepSize ? "-k " : "") + offset + " " + length;
        }
    }

    record Fcollapse(long offset, long length) implements FileOp {
        @Override
        public OpResult execute(FileTarget t) throws ErrnoException {
            t.fallocate(FALLOC_FL_COLLAPSE_RANGE, offset, length);
            return new OpResult.Value(0);
        }

        @Override
        public String toString() {
            return "fcollapse " + offset + " " + length;
        }
    }

    record Finsert(long offset, long length) implements FileOp {
        @Override
        public OpResult execute(FileTarget t) throws ErrnoException {
            t.fallocate(FALLOC_FL_INSERT_RANGE, offset, length);
            return new OpResult.Value(0);
        }

        @Override
        public String toString() {
            return "finsert " + offset + " " + length;
        }
    }

    /**
     * fallocate with a raw mode: the unusual and invalid combinations (punch without KEEP_SIZE,
     * collapse/insert with it, two modes at once, bits outside the mask, WRITE_ZEROES, UNSHARE), so
     * the errno and the order of the checks are compared as well (reference §4.2).
     */
    record Fmode(int mode, long offset, long length) implements FileOp {
        @Override
        public OpResult execute(FileTarget t) throws ErrnoException {
            t.fallocate(mode, offset, length);
            return new OpResult.Value(0);
        }

        @Override
        public String toString() {
            return "fallocate mode 0x" + Integer.toHexString(mode) + " " + offset + " " + length;
        }
    }

    record SeekData(long offset) implements FileOp {
        @Override
        public OpResult execute(FileTarget t) throws ErrnoException {
            t.settle();
            return new OpResult.Value(t.lseek(offset, SEEK_DATA));
        }

        @Override
        public boolean queriesMap() {
            return true;
        }

        @Override
        public String toString() {
            return "seek -d " + offset;
        }
    }

    record SeekHole(long offset) implements FileOp {
        @Override
        public OpResult execute(FileTarget t) throws ErrnoException {
            t.settle();
            return new OpResult.Value(t.lseek(offset, SEEK_HOLE));
        }

        @Override
        public boolean queriesMap() {
            return true;
        }

        @Override
        public String toString() {
            return "seek -h " + offset;
        }
    }
}
