package dev.pmemfs.cli.bench;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceConfig;
import dev.pmemfs.media.NamespaceMode;
import dev.pmemfs.pmem.Pmem;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
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
 * rotating each round), and each figure is the spread over the rounds of that round's throughput and
 * of its ratio to that round's baseline: a load spike hits a whole round, not one case.
 *
 * <p>Every mapping a case touches is faulted in before the rounds (the plain mapping, and the
 * namespaces' own mappings through their block devices): a case that first-touches its pages pays a
 * page fault per 4 KiB and under-reports writes several times over, most visibly in short runs.
 */
final class DeviceBench {
    static final int IO = 1 << 20;
    static final int ROUNDS = 9;
    static final int LOOKUP_REPEATS = 5;

    /** Each read case's per-round ratio to the baseline, by path (for the overhead of the ranges). */
    private final Map<String, double[]> roundRatios = new LinkedHashMap<>();

    /** One case: GB/s over the rounds, and its per-round ratio to the baseline. */
    record Result(String path, String op, Spread gbPerSec, Spread ratio) {}

    /**
     * The run: write and read cases; the read overhead (ratio without ranges / with ranges - 1) per path;
     * and the cost of one badblocks lookup over a healthy range with no ranges and with all of them.
     */
    record Report(long workingSet, double seconds, long ranges, List<Result> results, Map<String, Spread> rangeOverhead,
            Spread lookupNsEmpty, Spread lookupNsRanges, long writeFaults) {}

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
            // Fault every page of every mapping under test in once (the plain mapping, and each namespace's
            // own mapping, which its block and dax paths share), so no case pays for first-touch faults.
            for (long off = 0; off < workingSet; off += IO) {
                MemorySegment.copy(buf, 0, plain, ValueLayout.JAVA_BYTE, off, IO);
                bdevA.submitWrite(off >>> 9, buf, 0, IO);
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
            long faultsBefore = minorFaults();
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
            long writeFaults = faultsBefore < 0 ? -1 : minorFaults() - faultsBefore;
            results.addAll(group("read", reads));
            Map<String, Spread> overhead = new LinkedHashMap<>();
            if (ranges > 0) {
                for (String p : List.of("block", "dax")) {
                    // Per round: how much faster the read is without the ranges than with them.
                    overhead.put(p, Spread.ratios(roundRatios.get(p), roundRatios.get(p + "+ranges")).map(x -> x - 1));
                }
            }
            // Alternate, five each: the JIT and the shared machine both add noise.
            double[] empty = new double[LOOKUP_REPEATS];
            double[] full = new double[LOOKUP_REPEATS];
            for (int i = 0; i < LOOKUP_REPEATS; i++) {
                empty[i] = lookupNs(a);
                full[i] = lookupNs(b);
            }
            return new Report(workingSet, seconds, ranges, results, overhead, Spread.of(empty), Spread.of(full),
                    writeFaults);
        } finally {
            Files.deleteIfExists(clean);
            Files.deleteIfExists(ranged);
        }
    }

    /** Nanoseconds per {@code is_bad_pmem} check of a healthy 1 MiB range (what every block read pays). */
    private double lookupNs(Namespace ns) {
        long sectors = workingSet >>> 9;
        long base = ns.dataOffset() >>> 9;
        int n = 200_000;
        long hits = 0;
        for (int i = 0; i < n; i++) { // warm-up
            hits += ns.badblocksCheck(base + (i * 2048L) % sectors, IO >>> 9) ? 1 : 0;
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            hits += ns.badblocksCheck(base + (i * 2048L) % sectors, IO >>> 9) ? 1 : 0;
        }
        long t = System.nanoTime() - t0;
        if (hits != 0) {
            throw new IllegalStateException("the benchmark's working set has badblocks");
        }
        return t / (double) n;
    }

    /**
     * Minor page faults of the calling thread so far ({@code minflt}, field 10 of
     * /proc/thread-self/stat), or -1 where there is no such file. The cases run on this thread, so a
     * first-touch fault of a mapping under test shows up here.
     */
    static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[7]); // field 10 overall: state is field 3, minflt field 10
        } catch (IOException | RuntimeException e) {
            return -1;
        }
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
            if (op.equals("read")) {
                roundRatios.put(cases.get(i).path(), ratio);
            }
            out.add(new Result(cases.get(i).path(), op, Spread.of(gbs[i]), Spread.of(ratio)));
        }
        return out;
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
