package dev.pmemfs.cli.bench;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.block.PmemBlock;
import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.dax.Pmem;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceConfig;
import dev.pmemfs.media.NamespaceMode;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sequential 1 MiB reads and writes through the block path ({@code submitRead/submitWrite}) and the DAX
 * path ({@code directAccess} + window copies), each as a ratio to a plain {@link MemorySegment} copy
 * over a second mapping of the same image file (the same page-cache pages), measured in the same run;
 * and the same reads on a twin namespace carrying a million badblock ranges outside the working set.
 *
 * <p>The machine is shared, so the cases of one operation run interleaved in short rounds (the order
 * rotating each round), and each figure is the median over the rounds of that round's throughput and
 * of its ratio to that round's baseline: a load spike hits a whole round, not one case.
 */
final class DeviceBench {
    static final int IO = 1 << 20;
    static final int ROUNDS = 9;

    /** One case: median GB/s, and the median of its per-round ratio to the baseline. */
    record Result(String path, String op, double gbPerSec, double ratio) {}

    /**
     * The run: write and read cases; the read overhead (ratio without ranges / with ranges - 1) per path;
     * and the cost of one badblocks lookup over a healthy range with no ranges and with all of them.
     */
    record Report(long workingSet, double seconds, long ranges, List<Result> results, Map<String, Double> rangeOverhead,
            double lookupNsEmpty, double lookupNsRanges) {}

    private final long workingSet;
    private final double seconds;
    private final long ranges;

    DeviceBench(long workingSet, double seconds, long ranges) {
        this.workingSet = workingSet;
        this.seconds = seconds;
        this.ranges = ranges;
    }

    @FunctionalInterface
    interface Step {
        void at(long offset) throws ErrnoException;
    }

    /** A path under test: a name and what one 1 MiB step does at an offset. */
    private record Case(String path, Step step) {}

    Report run(Path dir) throws IOException, ErrnoException {
        Path clean = tempImage(dir);
        Path ranged = tempImage(dir);
        // The data area holds the working set, then (on the twin) a zone of one bad sector in every two.
        long zone = Math.max(IO, ranges * 1024);
        long raw = NamespaceConfig.ALIGN * ((workingSet + zone) / NamespaceConfig.ALIGN + 2);
        // Room in each log area for every range record, plus slack.
        long logBytes = ((ranges * 40 + (1 << 20)) + 4095) & ~4095L;
        NamespaceConfig cfg = NamespaceConfig.of(raw, NamespaceMode.RAW).withErrorLogBytes(logBytes);
        try (Namespace a = Namespace.create(clean, cfg);
                Namespace b = Namespace.create(ranged, cfg);
                Arena arena = Arena.ofShared();
                FileChannel ch = FileChannel.open(clean, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long mediaOffset = ch.size() - a.size();
            MemorySegment plain = ch.map(FileChannel.MapMode.READ_WRITE, mediaOffset + a.dataOffset(), workingSet, arena);
            Pmem pa = Pmem.attach(a);
            Pmem pb = Pmem.attach(b);
            BlockDevice bdevA = pa.block();
            BlockDevice bdevB = pb.block();
            DaxDevice daxA = pa.dax();
            DaxDevice daxB = pb.dax();
            byte[] buf = new byte[IO];
            for (int i = 0; i < IO; i++) {
                buf[i] = (byte) i;
            }
            // Fault every page in once, so no case pays for first-touch allocation.
            for (long off = 0; off < workingSet; off += IO) {
                MemorySegment.copy(buf, 0, plain, ValueLayout.JAVA_BYTE, off, IO);
                bdevB.submitWrite(off >>> 9, buf, 0, IO);
            }
            long firstBad = (b.dataOffset() + workingSet + IO) >>> 9;
            for (long i = 0; i < ranges; i++) {
                b.badblocksSet(firstBad + 2 * i, 1);
            }
            if (b.badblockRanges() != ranges) {
                throw new IllegalStateException("expected " + ranges + " badblock ranges, have " + b.badblockRanges());
            }
            List<Result> results = new ArrayList<>();
            results.addAll(group("write", List.of(
                    new Case("memsegment", off -> MemorySegment.copy(buf, 0, plain, ValueLayout.JAVA_BYTE, off, IO)),
                    new Case("block", off -> bdevA.submitWrite(off >>> 9, buf, 0, IO)),
                    new Case("dax", off -> daxA.directAccess(off >>> 12, IO >>> 12, DaxAccessMode.ACCESS).write(0, buf, 0, IO)))));
            List<Case> reads = new ArrayList<>(List.of(
                    new Case("memsegment", off -> MemorySegment.copy(plain, ValueLayout.JAVA_BYTE, off, buf, 0, IO)),
                    new Case("block", off -> bdevA.submitRead(off >>> 9, buf, 0, IO)),
                    new Case("dax", off -> daxRead(daxA, off, buf))));
            if (ranges > 0) {
                reads.add(new Case("block+ranges", off -> bdevB.submitRead(off >>> 9, buf, 0, IO)));
                reads.add(new Case("dax+ranges", off -> daxRead(daxB, off, buf)));
            }
            results.addAll(group("read", reads));
            Map<String, Double> overhead = new LinkedHashMap<>();
            if (ranges > 0) {
                for (String p : List.of("block", "dax")) {
                    double without = find(results, p, "read").ratio();
                    double with = find(results, p + "+ranges", "read").ratio();
                    overhead.put(p, without / with - 1);
                }
            }
            PmemBlock drvA = PmemBlock.attach(a);
            PmemBlock drvB = PmemBlock.attach(b);
            // Alternate, keep the best of five each: the JIT and the shared machine both add noise.
            double empty = Double.MAX_VALUE;
            double full = Double.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                empty = Math.min(empty, lookupNs(drvA));
                full = Math.min(full, lookupNs(drvB));
            }
            return new Report(workingSet, seconds, ranges, results, overhead, empty, full);
        } finally {
            Files.deleteIfExists(clean);
            Files.deleteIfExists(ranged);
        }
    }

    /** Nanoseconds per {@code is_bad_pmem} check of a healthy 1 MiB range (what every block read pays). */
    private double lookupNs(PmemBlock drv) {
        long sectors = workingSet >>> 9;
        int n = 200_000;
        long hits = 0;
        for (int i = 0; i < n; i++) { // warm-up
            hits += drv.isBadPmem((i * 2048L) % sectors, IO) ? 1 : 0;
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            hits += drv.isBadPmem((i * 2048L) % sectors, IO) ? 1 : 0;
        }
        long t = System.nanoTime() - t0;
        if (hits != 0) {
            throw new IllegalStateException("the benchmark's working set has badblocks");
        }
        return t / (double) n;
    }

    static Result find(List<Result> rs, String path, String op) {
        return rs.stream().filter(r -> r.path().equals(path) && r.op().equals(op)).findFirst().orElseThrow();
    }

    private static Path tempImage(Path dir) throws IOException {
        Path p = Files.createTempFile(dir, "pmemfs-bench-", ".img");
        Files.delete(p);
        return p;
    }

    private static void daxRead(DaxDevice dax, long off, byte[] buf) throws ErrnoException {
        if (!dax.directAccess(off >>> 12, IO >>> 12, DaxAccessMode.ACCESS).read(0, buf, 0, IO).isComplete()) {
            throw new IllegalStateException("poison in the benchmark's working set at " + off);
        }
    }

    /** Runs the cases of one operation interleaved; the first case is the baseline. */
    private List<Result> group(String op, List<Case> cases) throws ErrnoException {
        int n = cases.size();
        double slice = seconds / ROUNDS;
        double[][] gbs = new double[n][ROUNDS];
        for (Case c : cases) {
            run(c.step(), slice * 0.5); // warm-up
        }
        for (int round = 0; round < ROUNDS; round++) {
            for (int k = 0; k < n; k++) {
                int i = (k + round) % n;
                gbs[i][round] = run(cases.get(i).step(), slice);
            }
        }
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] ratio = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                ratio[round] = gbs[i][round] / gbs[0][round];
            }
            out.add(new Result(cases.get(i).path(), op, median(gbs[i]), median(ratio)));
        }
        return out;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Sequential 1 MiB steps over the working set for {@code secs}; GB/s. */
    private double run(Step step, double secs) throws ErrnoException {
        long limit = (long) (secs * 1e9);
        long bytes = 0;
        long off = 0;
        long start = System.nanoTime();
        long now;
        do {
            for (int i = 0; i < 8; i++) {
                step.at(off);
                off = (off + IO) % workingSet;
                bytes += IO;
            }
            now = System.nanoTime();
        } while (now - start < limit);
        return bytes / (double) (now - start);
    }
}
