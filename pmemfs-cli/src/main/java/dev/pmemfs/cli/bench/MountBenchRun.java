package dev.pmemfs.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.MkfsOptions;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.mount.FuseMount;
import dev.pmemfs.mount.MountTable;
import dev.pmemfs.stack.PmemStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code pmemfs bench mount}: the same fio jobs on a pmemfs FUSE mount (a temporary namespace served
 * by this process) and on {@code bindfs} over a tmpfs directory (a C FUSE filesystem passing every
 * request to tmpfs), interleaved round by round, each round's pmemfs figure divided by the bindfs
 * figure of the same round. Every job uses O_DIRECT, so each request crosses FUSE on both (pmemfs
 * opens its files with FOPEN_DIRECT_IO anyway; without it bindfs would be served from the page cache).
 * Also reported: the share of the pmemfs job's wall time its requests spent in the pmemfs stack
 * (vfs, filesystem, media), the rest being the kernel's FUSE round trip, libfuse and the upcall.
 */
final class MountBenchRun {
    /** One fio job: what it does and which figure of fio's JSON it reports. */
    record Job(String measure, String rw, String bs, boolean read, boolean iops) {
        String unit() {
            return iops ? "IOPS" : "MB/s";
        }
    }

    static final List<Job> JOBS = List.of(
            new Job("fio 4 KiB random read (psync, O_DIRECT)", "randread", "4k", true, true),
            new Job("fio 1 MiB sequential read (psync, O_DIRECT)", "read", "1m", true, false),
            new Job("fio 1 MiB sequential write (psync, O_DIRECT)", "write", "1m", false, false));

    record Settings(long fileBytes, double seconds, int rounds, int threads, Path dir) {}

    private final Settings s;
    private final ObjectMapper json = new ObjectMapper();

    MountBenchRun(Settings s) {
        this.s = s;
    }

    /** Why the benchmark cannot run here, or null. */
    static String unavailable() throws IOException, InterruptedException {
        var why = FuseMount.unavailable();
        if (why.isPresent()) {
            return "FUSE is unavailable here: " + why.get();
        }
        for (String program : List.of("fio", "bindfs")) {
            if (run(Path.of("/"), List.of("sh", "-c", "command -v " + program)).exit != 0) {
                return program + " is not installed (Debian package " + program + ")";
            }
        }
        return null;
    }

    List<BenchRow> run() throws IOException, ErrnoException, InterruptedException, UserException {
        Path work = Files.createTempDirectory(s.dir(), "pmemfs-bench-mount-");
        Path pmMnt = Files.createDirectories(work.resolve("pmemfs"));
        Path tmpfsDir = Files.createDirectories(work.resolve("tmpfs"));
        Path bindMnt = Files.createDirectories(work.resolve("bindfs"));
        long image = Math.max(64L << 20, s.fileBytes() * 2 + (32L << 20));
        List<Double>[][] samples = newSamples();
        long[] stackNanos = new long[JOBS.size()];
        double[] wallNanos = new double[JOBS.size()];
        try (PmemStack stack = PmemStack.temporary(work, image).mkfs(new MkfsOptions(1024, 0, MountOptions.DEFAULTS))
                .mountOptions(MountOptions.DEFAULTS).build()) {
            FuseMount fm = FuseMount.mount(stack.vfs(), pmMnt, "pmemfs:bench", false, line -> {});
            Thread loop = Thread.ofPlatform().name("bench-mount-fuse").start(() -> fm.serve(s.threads()));
            boolean bound = false;
            try {
                Result b = run(work, List.of("bindfs", tmpfsDir.toString(), bindMnt.toString()));
                if (b.exit != 0) {
                    throw new UserException("bench mount: bindfs " + tmpfsDir + " " + bindMnt + " failed: " + b.out.strip(),
                            ExitCodes.FAILURE);
                }
                bound = true;
                for (Path m : List.of(pmMnt, bindMnt)) {
                    fio(m, "write", "1m", s.fileBytes(), 0); // lay the file out once, untimed
                }
                for (int round = 0; round < s.rounds(); round++) {
                    for (int j = 0; j < JOBS.size(); j++) {
                        Job job = JOBS.get(j);
                        long before = fm.stackNanos();
                        long t0 = System.nanoTime();
                        double pm = figure(job, fio(pmMnt, job.rw(), job.bs(), s.fileBytes(), s.seconds()));
                        wallNanos[j] += System.nanoTime() - t0;
                        stackNanos[j] += fm.stackNanos() - before;
                        double bf = figure(job, fio(bindMnt, job.rw(), job.bs(), s.fileBytes(), s.seconds()));
                        samples[j][0].add(pm);
                        samples[j][1].add(bf);
                    }
                }
            } finally {
                if (bound) {
                    run(work, List.of("fusermount3", "-u", bindMnt.toString()));
                    if (MountTable.anyAt(bindMnt).isPresent()) {
                        MountTable.unmount(bindMnt, true);
                    }
                }
                if (MountTable.unmount(pmMnt, false).isPresent()) {
                    fm.requestUnmount(); // busy: detach lazily and abort the connection
                }
                loop.join(TimeUnit.SECONDS.toMillis(30));
                if (loop.isAlive()) {
                    fm.requestUnmount();
                    loop.join(TimeUnit.SECONDS.toMillis(30));
                }
                fm.close();
            }
        } finally {
            deleteTree(work);
        }
        List<BenchRow> rows = new ArrayList<>();
        for (int j = 0; j < JOBS.size(); j++) {
            Job job = JOBS.get(j);
            double[] pm = samples[j][0].stream().mapToDouble(Double::doubleValue).toArray();
            double[] bf = samples[j][1].stream().mapToDouble(Double::doubleValue).toArray();
            rows.add(new BenchRow("mount", job.measure() + " on pmemfs", Spread.of(pm), job.unit(),
                    "the same job on bindfs over tmpfs", Spread.ratios(pm, bf), true));
            rows.add(new BenchRow("mount", job.measure() + " on bindfs", Spread.of(bf), job.unit(), "-", null, true));
            double share = 100.0 * stackNanos[j] / wallNanos[j];
            rows.add(new BenchRow("mount", job.measure() + ": time in the pmemfs stack", Spread.of(share),
                    "% wall", "-", null, false));
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static List<Double>[][] newSamples() {
        List<Double>[][] s = new List[JOBS.size()][2];
        for (List<Double>[] pair : s) {
            pair[0] = new ArrayList<>();
            pair[1] = new ArrayList<>();
        }
        return s;
    }

    /** Runs one fio job on {@code dir}/bench.dat ({@code seconds} 0: once over the file) and returns its JSON. */
    private JsonNode fio(Path dir, String rw, String bs, long size, double seconds)
            throws IOException, InterruptedException, UserException {
        List<String> cmd = new ArrayList<>(List.of("fio", "--name=bench", "--filename=" + dir.resolve("bench.dat"),
                "--rw=" + rw, "--bs=" + bs, "--size=" + size, "--direct=1", "--ioengine=psync",
                "--output-format=json"));
        if (seconds > 0) {
            cmd.add("--time_based");
            cmd.add("--runtime=" + Math.max(1, Math.round(seconds * 1000)) + "ms");
            cmd.add("--ramp_time=" + Math.round(seconds * 200) + "ms");
        }
        Result r = run(dir, cmd);
        if (r.exit != 0) {
            throw new UserException("bench mount: fio --rw=" + rw + " on " + dir + " failed (exit " + r.exit + "): "
                    + r.out.strip().lines().reduce((a, b) -> b).orElse(""), ExitCodes.FAILURE);
        }
        int start = r.out.indexOf('{'); // fio may print notes before its JSON
        return json.readTree(start < 0 ? "{}" : r.out.substring(start));
    }

    private static double figure(Job job, JsonNode fio) throws UserException {
        JsonNode side = fio.path("jobs").path(0).path(job.read() ? "read" : "write");
        if (side.isMissingNode()) {
            throw new UserException("bench mount: fio printed no figures for " + job.rw(), ExitCodes.FAILURE);
        }
        return job.iops() ? side.path("iops").asDouble() : side.path("bw_bytes").asDouble() / 1e6;
    }

    private record Result(int exit, String out) {}

    private static Result run(Path cwd, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                return new Result(124, out + "\ntimed out");
            }
            return new Result(p.exitValue(), out);
        } finally {
            p.destroyForcibly();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
