package dev.pmemfs.differential;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.testing.Gen;
import dev.pmemfs.testing.fileops.FileOp;
import dev.pmemfs.testing.xfs.XfsScratch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.pmemfs.testing.fileops.OpGenerator;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tool, not a check: runs many seeds of {@link XfsDifferentialTest}'s comparison, keeps going past
 * divergences, and prints each distinct kind once with its shortest minimized reproducer. Runs only
 * with {@code -Dpmemfs.survey=SEEDS} (otherwise skipped, saying so), e.g.
 * {@code ./test.sh -Dtest=XfsDivergenceSurvey -Dpmemfs.survey=200}. To look past a known divergence,
 * leave kinds of op out with {@code -Dpmemfs.survey.exclude=Fcollapse,Finsert} (FileOp record names);
 * {@code -Dpmemfs.survey.large=true} grows files to 32 MiB with ops up to 4 MiB (many more extents);
 * {@code -Dpmemfs.survey.ops=N} sets the ops per seed.
 */
class XfsDivergenceSurvey {
    @TempDir
    Path dir;

    @Test
    void survey_manySeeds_printsDistinctDivergences() throws IOException, ErrnoException {
        String seeds = System.getProperty("pmemfs.survey");
        Assumptions.assumeTrue(seeds != null, "survey runs only with -Dpmemfs.survey=SEEDS");
        boolean large = Boolean.getBoolean("pmemfs.survey.large");
        try (XfsScratch xfs = XfsScratch.mountOrSkip(Files.createDirectory(dir.resolve("xfs")));
             PmemfsMount pmemfs = PmemfsMount.create(Files.createDirectory(dir.resolve("pmem")),
                     large ? 512L << 20 : XfsDifferentialTest.NAMESPACE_SIZE, PmemfsMount.LINUX_BEHAVIOUR)) {
            DifferentialCase c = new DifferentialCase(DifferentialCase.Files.onXfs(xfs),
                    DifferentialCase.Files.onPmemfs(pmemfs::sys), XfsScratch.BLOCK_SIZE,
                    generator(large, System.getProperty("pmemfs.survey.exclude", "")), 10_000);
            Map<String, DifferentialCase.Outcome.Diverged> kinds = new LinkedHashMap<>();
            Map<String, Integer> counts = new LinkedHashMap<>();
            int n = Integer.parseInt(seeds);
            for (int i = 0; i < n; i++) {
                long seed = 0x5EED0000L + i;
                if (c.explore(new Gen(seed), Integer.getInteger("pmemfs.survey.ops", XfsDifferentialTest.OPS),
                        XfsDifferentialTest.CHECK_EVERY)
                        instanceof DifferentialCase.Outcome.Diverged d) {
                    String kind = kind(d.reason());
                    counts.merge(kind, 1, Integer::sum);
                    DifferentialCase.Outcome.Diverged best = kinds.get(kind);
                    if (best == null || d.minimal().size() < best.minimal().size()) {
                        kinds.put(kind, d);
                    }
                    System.out.println("SURVEY seed " + seed + ": " + d.minimal().size() + " ops, " + d.reason());
                }
            }
            StringBuilder sb = new StringBuilder("SURVEY of " + n + " seeds: " + kinds.size() + " kinds of divergence");
            kinds.forEach((kind, d) -> {
                sb.append("\n\n[").append(counts.get(kind)).append(" seeds] ").append(kind).append("\n  shortest: ")
                        .append(d.reason());
                for (FileOp op : d.minimal()) {
                    sb.append("\n    ").append(op);
                }
            });
            System.out.println(sb);
        }
    }

    @SuppressWarnings("unchecked")
    private static OpGenerator generator(boolean large, String exclude) {
        Set<Class<? extends FileOp>> kinds = new HashSet<>();
        for (String name : exclude.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            Class<?> kind = Arrays.stream(FileOp.class.getPermittedSubclasses())
                    .filter(c -> c.getSimpleName().equals(name.strip())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no FileOp named " + name + " (pmemfs.survey.exclude)"));
            kinds.add((Class<? extends FileOp>) kind);
        }
        System.out.println("SURVEY excluding " + kinds);
        OpGenerator base = large ? new OpGenerator(XfsScratch.BLOCK_SIZE, 32L << 20, 4 << 20) : OpGenerator.standard();
        return base.excluding(kinds);
    }

    /** The op name and what differed, numbers blanked: "truncate: ... block map differs ... 'U' vs '.'". */
    private static String kind(String reason) {
        String op = reason.replaceFirst("^op #\\d+ \\((\\w+).*", "$1");
        String what = reason.replaceFirst("^op #\\d+ \\([^)]*\\): ", "").replaceAll("-?\\d+", "N");
        return op + ": " + what;
    }
}
