package dev.pmemfs.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench mount --quick} (shortened further) prints, for each fio job, the pmemfs figure with its
 * spread and its ratio to bindfs, the bindfs figure, and the stack's share of the time; it leaves no
 * mount and no file behind. Its figures are not checked: they depend on the machine.
 */
class MountBenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void quickRunPrintsEveryJobAgainstBindfsAndCleansUp() throws Exception {
        String why = MountBenchRun.unavailable();
        if (why != null) {
            System.out.println("bench mount cannot run here, skipping: " + why);
            Assumptions.assumeTrue(false, why);
        }
        Cli.Result r = Cli.runRaw("bench", "mount", "--quick", "--rounds", "2", "--seconds", "0.3", "--size", "8m",
                "--dir", dir.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("pmemfs bench mount: 2 interleaved rounds of 0.3 s fio jobs on a 8 MiB file"),
                r.out());
        String spread = "[\\d,.]+ \\[[\\d,.]+, [\\d,.]+\\]";
        for (String job : List.of("fio 4 KiB random read", "fio 1 MiB sequential read", "fio 1 MiB sequential write")) {
            String unit = job.contains("4 KiB") ? "IOPS" : "MB/s";
            assertTrue(lines.stream().anyMatch(l -> l.matches("mount +" + job + " \\(psync, O_DIRECT\\) on pmemfs +"
                    + spread + " +" + unit + " +the same job on bindfs over tmpfs +\\d+\\.\\d\\d \\[\\d+\\.\\d\\d, \\d+\\.\\d\\d\\]")),
                    job + " on pmemfs:\n" + r.out());
            assertTrue(lines.stream().anyMatch(l -> l.matches("mount +" + job + " \\(psync, O_DIRECT\\) on bindfs +"
                    + spread + " +" + unit + " +- +-")), job + " on bindfs:\n" + r.out());
            assertTrue(lines.stream().anyMatch(l -> l.matches("mount +" + job
                    + " \\(psync, O_DIRECT\\): time in the pmemfs stack +[\\d.]+ +% wall +- +-")), job + " share:\n" + r.out());
        }
        assertFalse(Files.readString(Path.of("/proc/mounts")).contains(dir.toString()), "a mount was left behind");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "scratch files left behind");
        }
    }

    @Test
    void badArgumentsAreOneLineUsageErrors() {
        for (String[] args : new String[][] {{"bench", "mount", "--threads", "0"}, {"bench", "mount", "--rounds", "0"},
                {"bench", "mount", "--size", "3k"}, {"bench", "mount", "--seconds", "0"},
                {"bench", "mount", "--dir", dir.resolve("nope").toString()}}) {
            Cli.Result r = Cli.runRaw(args);
            assertEquals(2, r.exit(), String.join(" ", args) + "\n" + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
