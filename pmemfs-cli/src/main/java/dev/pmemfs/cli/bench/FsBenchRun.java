package dev.pmemfs.cli.bench;

import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.dax.DaxWindow;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.fs.FileType;
import dev.pmemfs.fs.MkfsOptions;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.stack.PmemStack;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.Fiemap;
import dev.pmemfs.vfs.Syscalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The filesystem benchmarks, each against a baseline measured in the same run:
 * <ul>
 *   <li>sequential 1 MiB pwrite/pread through the syscall layer vs 1 MiB copies through direct access
 *       over the same device blocks (the raw device copy);</li>
 *   <li>random 4 KiB pread vs random 4 KiB direct-access copies over the same blocks;</li>
 *   <li>create + 4 KiB write + fsync of small files vs the same on the host's /dev/shm (tmpfs);</li>
 *   <li>mount of an image holding many files vs mount of the same-sized empty image;</li>
 *   <li>the cost of a format option ({@code meta_replicas=2}): sequential 1 MiB writes of a new file,
 *       random 4 KiB writes into a sparse one, and small-file creates on a filesystem made with it, each
 *       against the same work on one made without it, the two mounted side by side and measured in
 *       alternating rounds ({@link #formatCost}, which another format option can call the same way).</li>
 * </ul>
 * Throughput cases run interleaved in rounds; each figure is the spread (median, min, max) over rounds
 * of the round's rate and of its ratio to that round's baseline, so a load spike on the shared machine
 * hits a whole round rather than one case. Small files run in batches the same way; mounts repeat.
 */
final class FsBenchRun {
    static final int IO = 1 << 20;
    static final int ROUNDS = 7;
    static final int MOUNT_REPEATS = 5;
    private static final int BLOCK = 4096;

    record Settings(long fileBytes, long randomOps, long smallFiles, long mountFiles, long mountImageBytes, Path dir) {}

    private final Settings s;

    FsBenchRun(Settings s) {
        this.s = s;
    }

    List<BenchRow> run() throws IOException, ErrnoException {
        List<BenchRow> rows = new ArrayList<>();
        // Room for the sequential file and one block per small file, plus their directories.
        long size = Math.ceilDiv(s.fileBytes() * 2 + s.smallFiles() * 2 * BLOCK + (64L << 20), 2L << 20) * (2L << 20);
        try (PmemStack sc = scratch(s.dir(), size, MountOptions.DEFAULTS, s.smallFiles() + 1024)) {
            sequentialAndRandom(sc, rows);
            smallFiles(sc, rows);
        }
        formatCost(size, MkfsOptions.DEFAULTS.withMetaReplicas(2), rows);
        if (s.mountFiles() > 0) {
            mount(rows);
        }
        return rows;
    }

    private void sequentialAndRandom(PmemStack sc, List<BenchRow> rows) throws ErrnoException {
        Syscalls sys = sc.process(Credentials.ROOT);
        byte[] buf = new byte[IO];
        new SplittableRandom(1).nextBytes(buf);
        int fd = sys.open("/bench-seq", Syscalls.O_RDWR | Syscalls.O_CREAT, 0644);
        try {
            for (long off = 0; off < s.fileBytes(); off += IO) {
                sys.pwrite(fd, buf, 0, IO, off);
            }
            List<Fiemap.Extent> extents = sys.fiemap(fd, 0, s.fileBytes(), Fiemap.FIEMAP_FLAG_SYNC, 1 << 20).extents();
            DaxDevice dax = sc.pmem().dax();
            double[][] seq = new double[4][ROUNDS];
            double[][] rnd = new double[2][ROUNDS];
            long blocks = s.fileBytes() / BLOCK;
            for (int round = 0; round < ROUNDS; round++) {
                seq[0][round] = rate(() -> {
                    for (long off = 0; off < s.fileBytes(); off += IO) {
                        sys.pwrite(fd, buf, 0, IO, off);
                    }
                }, s.fileBytes());
                seq[1][round] = rate(() -> rawCopy(dax, extents, buf, true), s.fileBytes());
                seq[2][round] = rate(() -> {
                    for (long off = 0; off < s.fileBytes(); off += IO) {
                        sys.pread(fd, buf, 0, IO, off);
                    }
                }, s.fileBytes());
                seq[3][round] = rate(() -> rawCopy(dax, extents, buf, false), s.fileBytes());
                SplittableRandom r1 = new SplittableRandom(round);
                rnd[0][round] = rate(() -> {
                    for (long i = 0; i < s.randomOps(); i++) {
                        sys.pread(fd, buf, 0, BLOCK, r1.nextLong(blocks) * BLOCK);
                    }
                }, s.randomOps());
                SplittableRandom r2 = new SplittableRandom(round);
                rnd[1][round] = rate(() -> {
                    for (long i = 0; i < s.randomOps(); i++) {
                        rawBlock(dax, extents, r2.nextLong(blocks) * BLOCK, buf);
                    }
                }, s.randomOps());
            }
            rows.add(new BenchRow("fs", "sequential 1 MiB pwrite (syscalls, overwrite)", Spread.of(seq[0]).map(x -> x / 1e9),
                    "GB/s", "1 MiB direct-access copy to the same blocks", Spread.ratios(seq[0], seq[1]), true));
            rows.add(new BenchRow("fs", "sequential 1 MiB pread (syscalls)", Spread.of(seq[2]).map(x -> x / 1e9), "GB/s",
                    "1 MiB direct-access copy from the same blocks", Spread.ratios(seq[2], seq[3]), true));
            rows.add(new BenchRow("fs", "random 4 KiB pread (syscalls)", Spread.of(rnd[0]), "ops/s",
                    "random 4 KiB direct-access copies", Spread.ratios(rnd[0], rnd[1]), true));
        } finally {
            sys.close(fd);
            sys.unlink("/bench-seq");
        }
    }

    /**
     * Small files in {@link #ROUNDS} batches, each pmemfs batch followed by the same batch on the host,
     * so each batch's ratio compares two runs made under the same load.
     */
    private void smallFiles(PmemStack sc, List<BenchRow> rows) throws IOException, ErrnoException {
        Syscalls sys = sc.process(Credentials.ROOT);
        byte[] data = new byte[BLOCK];
        ByteBuffer bb = ByteBuffer.wrap(data);
        long perBatch = Math.max(1, s.smallFiles() / ROUNDS);
        double[] pmem = new double[ROUNDS];
        double[] host = new double[ROUNDS];
        Path hostDir = Files.createTempDirectory(s.dir(), "pmemfs-bench-host-");
        try {
            for (int batch = 0; batch < ROUNDS; batch++) {
                long from = batch * perBatch;
                long t0 = System.nanoTime();
                sys.mkdir("/small" + batch, 0755);
                for (long i = from; i < from + perBatch; i++) {
                    int fd = sys.open("/small" + batch + "/f" + i, Syscalls.O_WRONLY | Syscalls.O_CREAT, 0644);
                    sys.pwrite(fd, data, 0, BLOCK, 0);
                    sys.fsync(fd);
                    sys.close(fd);
                }
                pmem[batch] = perBatch / seconds(System.nanoTime() - t0);
                long t1 = System.nanoTime();
                Path d = Files.createDirectory(hostDir.resolve("small" + batch));
                for (long i = from; i < from + perBatch; i++) {
                    try (FileChannel ch = FileChannel.open(d.resolve("f" + i), StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE)) {
                        bb.clear();
                        ch.write(bb, 0);
                        ch.force(true);
                    }
                }
                host[batch] = perBatch / seconds(System.nanoTime() - t1);
            }
        } finally {
            deleteTree(hostDir);
        }
        rows.add(new BenchRow("fs", "create + 4 KiB write + fsync, " + String.format("%,d", perBatch * ROUNDS)
                + " files in " + ROUNDS + " batches", Spread.of(pmem), "files/s",
                "the same on the host's " + s.dir() + " (java.nio)", Spread.ratios(pmem, host), true));
    }

    /**
     * What format {@code with} costs against the default format: two filesystems of {@code size} bytes,
     * one of each, and in every round the same three workloads on both (which goes first alternates), so a
     * round's ratio compares runs made under the same load. Writes allocate (a new file, holes filled), so
     * the metadata a format option adds to (bitmaps, rmap, inodes, extent lists, directories) is written.
     */
    void formatCost(long size, MkfsOptions with, List<BenchRow> rows) throws IOException, ErrnoException {
        String name = with.formatText();
        long files = Math.max(ROUNDS, s.smallFiles() / 4);
        try (PmemStack base = scratch(s.dir(), size, new MkfsOptions(files + 1024, 0, MountOptions.DEFAULTS),
                MountOptions.DEFAULTS);
                PmemStack opt = scratch(s.dir(), size, new MkfsOptions(files + 1024, 0, MountOptions.DEFAULTS)
                        .withMetaReplicas(with.metaReplicas()), MountOptions.DEFAULTS)) {
            PmemStack[] both = {base, opt};
            double[][] seq = new double[2][ROUNDS];
            double[][] rnd = new double[2][ROUNDS];
            double[][] small = new double[2][ROUNDS];
            long perBatch = Math.max(1, files / ROUNDS);
            long randomOps = Math.min(s.randomOps(), s.fileBytes() / BLOCK);
            for (int round = 0; round < ROUNDS; round++) {
                for (int k = 0; k < 2; k++) {
                    int which = (round + k) % 2;
                    Syscalls sys = both[which].process(Credentials.ROOT);
                    seq[which][round] = newFileRate(sys, "/cost-seq");
                    both[which].fs().syncfs(); // the unlinked file's blocks are free again
                    rnd[which][round] = sparseRate(sys, "/cost-rnd", randomOps, round);
                    both[which].fs().syncfs();
                    small[which][round] = smallFileRate(sys, "/cost-small" + round, perBatch);
                }
            }
            rows.add(new BenchRow("fs", "sequential 1 MiB pwrite, new file, with " + name, Spread.of(seq[1]).map(x -> x / 1e9),
                    "GB/s", "the same without " + name, Spread.ratios(seq[1], seq[0]), true));
            rows.add(new BenchRow("fs", "random 4 KiB pwrite into holes, with " + name, Spread.of(rnd[1]), "ops/s",
                    "the same without " + name, Spread.ratios(rnd[1], rnd[0]), true));
            rows.add(new BenchRow("fs", "create + 4 KiB write + fsync, " + String.format("%,d", perBatch * ROUNDS)
                    + " files, with " + name, Spread.of(small[1]), "files/s", "the same without " + name,
                    Spread.ratios(small[1], small[0]), true));
        }
    }

    /** Bytes per second of 1 MiB pwrites filling a new file of {@code fileBytes} (then fsync, unlink). */
    private double newFileRate(Syscalls sys, String path) throws ErrnoException {
        byte[] buf = new byte[IO];
        new SplittableRandom(2).nextBytes(buf);
        long t0 = System.nanoTime();
        int fd = sys.open(path, Syscalls.O_RDWR | Syscalls.O_CREAT, 0644);
        try {
            for (long off = 0; off < s.fileBytes(); off += IO) {
                sys.pwrite(fd, buf, 0, IO, off);
            }
            sys.fsync(fd);
        } finally {
            sys.close(fd);
        }
        double r = s.fileBytes() / seconds(System.nanoTime() - t0);
        sys.unlink(path);
        return r;
    }

    /** 4 KiB pwrites per second at random holes of a sparse file as large as the sequential one. */
    private double sparseRate(Syscalls sys, String path, long ops, int round) throws ErrnoException {
        byte[] buf = new byte[BLOCK];
        long blocks = s.fileBytes() / BLOCK;
        SplittableRandom r = new SplittableRandom(round);
        long t0 = System.nanoTime();
        int fd = sys.open(path, Syscalls.O_RDWR | Syscalls.O_CREAT, 0644);
        try {
            for (long i = 0; i < ops; i++) {
                sys.pwrite(fd, buf, 0, BLOCK, r.nextLong(blocks) * BLOCK);
            }
            sys.fsync(fd);
        } finally {
            sys.close(fd);
        }
        double rate = ops / seconds(System.nanoTime() - t0);
        sys.unlink(path);
        return rate;
    }

    /** Files per second of create + 4 KiB write + fsync, {@code n} of them in a new directory. */
    private static double smallFileRate(Syscalls sys, String dir, long n) throws ErrnoException {
        byte[] data = new byte[BLOCK];
        long t0 = System.nanoTime();
        sys.mkdir(dir, 0755);
        for (long i = 0; i < n; i++) {
            int fd = sys.open(dir + "/f" + i, Syscalls.O_WRONLY | Syscalls.O_CREAT, 0644);
            sys.pwrite(fd, data, 0, BLOCK, 0);
            sys.fsync(fd);
            sys.close(fd);
        }
        return n / seconds(System.nanoTime() - t0);
    }

    private void mount(List<BenchRow> rows) throws IOException, ErrnoException {
        double[] empty = new double[MOUNT_REPEATS];
        double[] full = new double[MOUNT_REPEATS];
        try (PmemStack sc = scratch(s.dir(), s.mountImageBytes(), MountOptions.DEFAULTS, s.mountFiles() + 1024)) {
            // The first mount of the run also pays for class loading and the JIT: one unmeasured mount
            // first, so the baseline is a warm mount like the one it is compared with.
            mountSeconds(sc);
            for (int i = 0; i < MOUNT_REPEATS; i++) {
                empty[i] = mountSeconds(sc);
            }
            populate(sc.fs(), s.mountFiles());
            for (int i = 0; i < MOUNT_REPEATS; i++) {
                full[i] = mountSeconds(sc);
            }
        }
        rows.add(new BenchRow("fs", "mount, " + (s.mountImageBytes() >> 30) + " GiB image, "
                + String.format("%,d", s.mountFiles()) + " files", Spread.of(full).map(x -> x * 1000), "ms",
                "mount of the same image empty", Spread.ratios(full, empty), false));
    }

    /**
     * A temporary namespace in {@code dir} with a fresh filesystem (room for {@code inodes} inodes, 0:
     * mkfs's default) mounted with {@code options}; the image is deleted on close.
     */
    static PmemStack scratch(Path dir, long size, MountOptions options, long inodes) throws IOException, ErrnoException {
        return scratch(dir, size, new MkfsOptions(inodes, 0, options), options);
    }

    /** As above, with mkfs's whole format ({@code meta_replicas}) given. */
    static PmemStack scratch(Path dir, long size, MkfsOptions mkfs, MountOptions options) throws IOException,
            ErrnoException {
        return PmemStack.temporary(dir, size).mkfs(mkfs).mountOptions(options).build();
    }

    /** Creates {@code files} empty files in directories of 10,000 under the root (at the filesystem level: fast). */
    static void populate(FileSystem fs, long files) throws ErrnoException {
        long dir = -1;
        String prefix = "bench-mount-" + System.nanoTime() + "-";
        for (long i = 0; i < files; i++) {
            if (i % 10_000 == 0) {
                dir = fs.create(fs.rootIno(), prefix + (i / 10_000), FileType.DIRECTORY, 0755, 0, 0);
            }
            fs.create(dir, "f" + i, FileType.REGULAR, 0644, 0, 0);
        }
    }

    /** Unmounts cleanly, then times mount + a readdir of the root (the first lookup a user makes). */
    static double mountSeconds(PmemStack sc) throws ErrnoException {
        sc.unmount();
        long t0 = System.nanoTime();
        sc.mount();
        sc.fs().readdir(sc.fs().rootIno());
        return seconds(System.nanoTime() - t0);
    }

    @FunctionalInterface
    private interface Work {
        void run() throws ErrnoException;
    }

    /** Units per second of {@code work}, which does {@code units} units. */
    private static double rate(Work work, long units) throws ErrnoException {
        long t0 = System.nanoTime();
        work.run();
        return units / seconds(System.nanoTime() - t0);
    }

    private static void rawCopy(DaxDevice dax, List<Fiemap.Extent> extents, byte[] buf, boolean write)
            throws ErrnoException {
        int chunkPages = buf.length / BLOCK;
        for (Fiemap.Extent e : extents) {
            long first = e.physical() / BLOCK;
            long pages = e.length() / BLOCK;
            for (long p = 0; p < pages; p += chunkPages) {
                DaxWindow w = dax.directAccess(first + p, Math.min(chunkPages, pages - p), DaxAccessMode.ACCESS);
                int n = (int) (w.nrPages() * BLOCK);
                if (write) {
                    w.write(0, buf, 0, n);
                } else {
                    w.read(0, buf, 0, n);
                }
            }
        }
    }

    private static void rawBlock(DaxDevice dax, List<Fiemap.Extent> extents, long fileOffset, byte[] buf)
            throws ErrnoException {
        for (Fiemap.Extent e : extents) {
            if (fileOffset >= e.logical() && fileOffset < e.logical() + e.length()) {
                long page = (e.physical() + fileOffset - e.logical()) / BLOCK;
                dax.directAccess(page, 1, DaxAccessMode.ACCESS).read(0, buf, 0, BLOCK);
                return;
            }
        }
    }

    private static double seconds(long ns) {
        return Math.max(ns, 1) / 1e9;
    }

    private static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
