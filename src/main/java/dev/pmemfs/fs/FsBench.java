package dev.pmemfs.fs;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.errno.ErrnoException;

/**
 * The fs part of {@code pmemfs bench fs}: mount time of an image holding many files. (The throughput
 * and small-file figures are measured through the syscalls, in the CLI's bench, as the issue asks.)
 */
public final class FsBench {
    private FsBench() {}

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
