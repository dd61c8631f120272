package dev.pmemfs.fs;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.dax.DaxWindow;
import dev.pmemfs.errno.ErrnoException;
import java.util.SplittableRandom;

/**
 * The fs part of {@code pmemfs bench fs}: throughput of the filesystem's data path against the raw
 * device copy measured in the same run, small-file metadata rate, and mount time. Each method takes
 * a mounted filesystem (or devices) that the caller created and formatted.
 */
public final class FsBench {
    private FsBench() {}

    /** Sequential 1 MiB I/O: filesystem and raw dax copy rates (MiB/s) and their ratios. */
    public record SeqResult(long bytes, double fsWriteMiBs, double fsReadMiBs, double rawWriteMiBs, double rawReadMiBs) {
        public double writeRatio() {
            return fsWriteMiBs / rawWriteMiBs;
        }

        public double readRatio() {
            return fsReadMiBs / rawReadMiBs;
        }
    }

    /** Operations per second, with how many were done. */
    public record Rate(long ops, double opsPerSecond) {}

    /**
     * Writes a file of {@code bytes} in 1 MiB calls (allocating), then times, in three interleaved
     * rounds, overwriting and reading it through the filesystem and copying the same bytes to and from
     * its blocks through raw direct access; each figure is the best round. The file is removed after.
     */
    public static SeqResult sequential(FileSystem fs, DaxDevice dax, long bytes) throws ErrnoException {
        int chunk = 1 << 20;
        byte[] buf = new byte[chunk];
        new SplittableRandom(1).nextBytes(buf);
        String name = "bench-seq-" + System.nanoTime();
        long ino = fs.create(fs.rootIno(), name, FileType.REGULAR, 0644, 0, 0);
        fs.open(ino);
        try {
            for (long off = 0; off < bytes; off += chunk) {
                fs.write(ino, off, buf, 0, chunk);
            }
            double[] best = new double[4];
            double mib = bytes / (double) (1 << 20);
            java.util.List<FileExtent> extents = fs.extents(ino, 0, Long.MAX_VALUE);
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                for (long off = 0; off < bytes; off += chunk) {
                    fs.write(ino, off, buf, 0, chunk);
                }
                long t1 = System.nanoTime();
                for (long off = 0; off < bytes; off += chunk) {
                    fs.read(ino, off, buf, 0, chunk);
                }
                long t2 = System.nanoTime();
                rawCopy(dax, extents, buf, true);
                long t3 = System.nanoTime();
                rawCopy(dax, extents, buf, false);
                long t4 = System.nanoTime();
                best[0] = Math.max(best[0], mib / sec(t1 - t0));
                best[1] = Math.max(best[1], mib / sec(t2 - t1));
                best[2] = Math.max(best[2], mib / sec(t3 - t2));
                best[3] = Math.max(best[3], mib / sec(t4 - t3));
            }
            return new SeqResult(bytes, best[0], best[1], best[2], best[3]);
        } finally {
            fs.release(ino);
            fs.unlink(fs.rootIno(), name);
        }
    }

    /** The baseline: 1 MiB copies through direct access over the file's own device ranges. */
    private static void rawCopy(DaxDevice dax, java.util.List<FileExtent> extents, byte[] buf, boolean write)
            throws ErrnoException {
        int chunkPages = buf.length / FileSystem.BLOCK_SIZE;
        for (FileExtent e : extents) {
            long first = e.physical() / FileSystem.BLOCK_SIZE;
            long pages = e.length() / FileSystem.BLOCK_SIZE;
            for (long p = 0; p < pages; p += chunkPages) {
                DaxWindow w = dax.directAccess(first + p, Math.min(chunkPages, pages - p), DaxAccessMode.ACCESS);
                int n = (int) (w.nrPages() * FileSystem.BLOCK_SIZE);
                if (write) {
                    w.write(0, buf, 0, n);
                } else {
                    w.read(0, buf, 0, n);
                }
            }
        }
    }

    /** Random 4 KiB preads over a file of {@code fileBytes}. */
    public static Rate randomRead4k(FileSystem fs, long fileBytes, long ops) throws ErrnoException {
        byte[] buf = new byte[1 << 20];
        String name = "bench-rand-" + System.nanoTime();
        long ino = fs.create(fs.rootIno(), name, FileType.REGULAR, 0644, 0, 0);
        fs.open(ino);
        try {
            for (long off = 0; off < fileBytes; off += buf.length) {
                fs.write(ino, off, buf, 0, (int) Math.min(buf.length, fileBytes - off));
            }
            SplittableRandom r = new SplittableRandom(7);
            long blocks = fileBytes / FileSystem.BLOCK_SIZE;
            long t0 = System.nanoTime();
            for (long i = 0; i < ops; i++) {
                fs.read(ino, r.nextLong(blocks) * FileSystem.BLOCK_SIZE, buf, 0, FileSystem.BLOCK_SIZE);
            }
            return new Rate(ops, ops / sec(System.nanoTime() - t0));
        } finally {
            fs.release(ino);
            fs.unlink(fs.rootIno(), name);
        }
    }

    /** create + 4 KiB write + fsync of {@code count} files, spread over directories of 10,000. */
    public static Rate smallFiles(FileSystem fs, long count) throws ErrnoException {
        byte[] data = new byte[4096];
        long t0 = System.nanoTime();
        long dir = -1;
        String prefix = "bench-small-" + System.nanoTime() + "-";
        for (long i = 0; i < count; i++) {
            if (i % 10_000 == 0) {
                dir = fs.create(fs.rootIno(), prefix + (i / 10_000), FileType.DIRECTORY, 0755, 0, 0);
            }
            long ino = fs.create(dir, "f" + i, FileType.REGULAR, 0644, 0, 0);
            fs.open(ino);
            fs.write(ino, 0, data, 0, data.length);
            fs.fsync(ino);
            fs.release(ino);
        }
        return new Rate(count, count / sec(System.nanoTime() - t0));
    }

    /** Populates {@code files} empty files (in directories of 10,000), unmounts, and times mount + root lookup. */
    public static double mountSeconds(DaxDevice dax, BlockDevice bdev, long files) throws ErrnoException {
        FileSystem fs = PmemFs.mount(dax, bdev, null);
        long dir = -1;
        String prefix = "bench-mount-" + System.nanoTime() + "-";
        for (long i = 0; i < files; i++) {
            if (i % 10_000 == 0) {
                dir = fs.create(fs.rootIno(), prefix + (i / 10_000), FileType.DIRECTORY, 0755, 0, 0);
            }
            fs.create(dir, "f" + i, FileType.REGULAR, 0644, 0, 0);
        }
        fs.close();
        long t0 = System.nanoTime();
        FileSystem again = PmemFs.mount(dax, bdev, null);
        again.readdir(again.rootIno());
        double s = sec(System.nanoTime() - t0);
        again.close();
        return s;
    }

    private static double sec(long ns) {
        return Math.max(ns, 1) / 1e9;
    }
}
