package dev.pmemfs.cli.bench;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.recovery.FileRange;
import dev.pmemfs.recovery.RecoveryTarget;
import dev.pmemfs.recovery.Strategy;
import dev.pmemfs.stack.PmemStack;
import dev.pmemfs.study.Pairing;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.DeviceNodes;
import dev.pmemfs.vfs.Fiemap;
import dev.pmemfs.vfs.Syscalls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Latency of repairing one poisoned 4 KiB block of a file with each recovery design, against the
 * latency of a plain 4 KiB overwrite of a healthy block of the same file measured in the same run.
 * Each design runs under the kernel profile that offers it, paired as the study pairs them.
 */
final class RecoveryBenchRun {
    private static final int BLOCK = 4096;
    private static final long FILE = 16L << 20;
    private static final String PATH = "/victim";

    private final Path dir;
    private final int repeats;

    RecoveryBenchRun(Path dir, int repeats) {
        this.dir = dir;
        this.repeats = repeats;
    }

    List<BenchRow> run() throws IOException, ErrnoException {
        List<BenchRow> rows = new ArrayList<>();
        for (Pairing pairing : Pairing.defaults()) {
            Strategy strategy = pairing.strategy();
            try (PmemStack sc = FsBenchRun.scratch(dir, 64L << 20,
                    pairing.mkfsOptions().withDefaults(pairing.options()), pairing.options())) {
                Syscalls sys = sc.process(Credentials.ROOT);
                int fd = sys.open(PATH, Syscalls.O_RDWR | Syscalls.O_CREAT, 0644);
                byte[] buf = new byte[1 << 20];
                for (long off = 0; off < FILE; off += buf.length) {
                    sys.pwrite(fd, buf, 0, buf.length, off);
                }
                sys.close(fd);
                SplittableRandom r = new SplittableRandom(5);
                double[] plain = new double[repeats];
                double[] repair = new double[repeats];
                for (int i = 0; i < repeats; i++) {
                    plain[i] = plainOverwrite(sc, r.nextLong(FILE / BLOCK) * BLOCK);
                    long victim = r.nextLong(FILE / BLOCK) * BLOCK;
                    poison(sc, victim);
                    RecoveryTarget t = new RecoveryTarget(sc.process(Credentials.ROOT), PATH,
                            () -> DeviceNodes.open(sc.pmem().block(), Credentials.ROOT, true), sc::clearErrorsOffline);
                    long t0 = System.nanoTime();
                    strategy.recover(t, List.of(new FileRange(victim, BLOCK)));
                    repair[i] = (System.nanoTime() - t0) / 1e3;
                }
                rows.add(new BenchRow("recovery", pairing.text() + ", one 4 KiB block",
                        Spread.of(repair), "us", "open + 4 KiB pwrite + close, healthy block",
                        Spread.ratios(repair, plain), false));
            }
        }
        return rows;
    }

    private static double plainOverwrite(PmemStack sc, long off) throws ErrnoException {
        // Timed as a repair is timed: open, write, close (the strategies open the file themselves).
        Syscalls sys = sc.process(Credentials.ROOT);
        byte[] b = new byte[BLOCK];
        long t0 = System.nanoTime();
        int fd = sys.open(PATH, Syscalls.O_RDWR, 0);
        try {
            sys.pwrite(fd, b, 0, BLOCK, off);
        } finally {
            sys.close(fd);
        }
        return (System.nanoTime() - t0) / 1e3;
    }

    private static void poison(PmemStack sc, long fileOffset) throws ErrnoException {
        Syscalls sys = sc.process(Credentials.ROOT);
        int fd = sys.open(PATH, Syscalls.O_RDONLY, 0);
        try {
            for (Fiemap.Extent e : sys.fiemap(fd, fileOffset, BLOCK, Fiemap.FIEMAP_FLAG_SYNC, 16).extents()) {
                if (fileOffset >= e.logical() && fileOffset < e.logical() + e.length()) {
                    sc.namespace().injectError(sc.namespace().dataOffset() + e.physical() + (fileOffset - e.logical()), 512, true);
                    return;
                }
            }
            throw new IllegalStateException("file offset " + fileOffset + " is not mapped");
        } finally {
            sys.close(fd);
        }
    }
}
