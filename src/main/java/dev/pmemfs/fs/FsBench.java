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
     * Writes then reads a file of {@code bytes} in 1 MiB calls (the write first allocates, then a second
     * pass overwrites in place; the overwrite is what is timed), and copies the same amount to and from
     * the raw device through direct access.
     */
    public static SeqResult sequential(FileSystem fs, DaxDevice dax, long bytes) throws ErrnoException {
        int chunk = 1 << 20;
        byte[] buf = new byte[chunk];
        new SplittableRandom(1).nextBytes(buf);
        long ino = fs.create(fs.rootIno(), "bench-seq-" + System.nanoTime(), FileType.REGULAR, 0644, 0, 0);
        fs.open(ino);
        try {
            for (long off = 0; off < bytes; off += chunk) {
                fs.write(ino, off, buf, 0, chunk);
            }
            long t0 = System.nanoTime();
            for (long off = 0; off < bytes; off += chunk) {
                fs.write(ino, off, buf, 0, chunk);
            }
            long t1 = System.nanoTime();
            for (long off = 0; off < bytes; off += chunk) {
                fs.read(ino, off, buf, 0, chunk);
            }
            long t2 = System.nanoTime();
            // The raw copy: the same bytes through direct access on the file's own blocks.
            long dev = fs.extents(ino, 0, 1).get(0).physical() / FileSystem.BLOCK_SIZE;
            long pages = Math.min(bytes / FileSystem.BLOCK_SIZE, dax.nrPages() - dev);
            long t3 = System.nanoTime();
            for (long p = 0; p < pages; p += chunk / FileSystem.BLOCK_SIZE) {
                DaxWindow w = dax.directAccess(dev + p, chunk / FileSystem.BLOCK_SIZE, DaxAccessMode.ACCESS);
                w.write(0, buf, 0, (int) Math.min(chunk, w.nrPages() * FileSystem.BLOCK_SIZE));
            }
            long t4 = System.nanoTime();
            for (long p = 0; p < pages; p += chunk / FileSystem.BLOCK_SIZE) {
                DaxWindow w = dax.directAccess(dev + p, chunk / FileSystem.BLOCK_SIZE, DaxAccessMode.ACCESS);
                w.read(0, buf, 0, (int) Math.min(chunk, w.nrPages() * FileSystem.BLOCK_SIZE));
            }
            long t5 = System.nanoTime();
            double mib = bytes / (double) (1 << 20);
            double rawMib = pages * FileSystem.BLOCK_SIZE / (double) (1 << 20);
            return new SeqResult(bytes, mib / sec(t1 - t0), mib / sec(t2 - t1), rawMib / sec(t4 - t3),
                    rawMib / sec(t5 - t4));
        } finally {
            fs.release(ino);
        }
    }

    /** Random 4 KiB preads over a file of {@code fileBytes}. */
    public static Rate randomRead4k(FileSystem fs, long fileBytes, long ops) throws ErrnoException {
        byte[] buf = new byte[1 << 20];
        long ino = fs.create(fs.rootIno(), "bench-rand-" + System.nanoTime(), FileType.REGULAR, 0644, 0, 0);
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
