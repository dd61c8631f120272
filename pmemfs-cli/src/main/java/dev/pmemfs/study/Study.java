package dev.pmemfs.study;

import dev.pmemfs.errno.ErrnoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The experiment driver of {@code pmemfs study}: every pairing of a {@link StudyConfig} run one after
 * another, each on a fresh namespace in a temporary directory that is deleted at the end, failure or not.
 * The poison plan is drawn once from the seed, so every strategy meets the same events on the same
 * workload; the same configuration gives the same figures, latencies aside.
 */
public final class Study {
    private Study() {}

    /** Steps of progress a study reports (a set-up and one per event, per pairing), for a progress bar. */
    public static long progressSteps(StudyConfig config) {
        return (long) config.pairings().size() * (config.errors() + 1L);
    }

    /**
     * Runs the study with namespaces in a fresh directory under {@code tempRoot}; {@code bar} advances one
     * step per set-up and per event (a run that stops early jumps ahead).
     */
    public static StudyResult run(StudyConfig config, Path tempRoot, ProgressBar bar) throws IOException, ErrnoException {
        Objects.requireNonNull(config, "config");
        Path dir = Files.createTempDirectory(tempRoot, "pmemfs-study-");
        // An interrupted study (Ctrl-C) must not leave namespace images behind either.
        Thread cleanup = new Thread(() -> deleteQuietly(dir), "pmemfs-study-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            List<PoisonEvent> plan = PoisonEvent.plan(config.errors(), config.seed());
            List<StrategyRun> runs = new ArrayList<>();
            long per = config.errors() + 1L;
            for (int i = 0; i < config.pairings().size(); i++) {
                Pairing p = config.pairings().get(i);
                runs.add(new Experiment(config, p, plan, bar::step).run(dir));
                bar.advanceTo((i + 1) * per, p.text() + ": done");
            }
            return new StudyResult(config.workload().text(), config.sizeBytes(), config.errors(), config.seed(), runs);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or about to: it deletes the directory.
            }
            deleteTree(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException e) {
            System.err.println("pmemfs study: could not delete " + dir + ": " + e.getMessage());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
