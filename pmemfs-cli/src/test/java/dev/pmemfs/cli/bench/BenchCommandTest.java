package dev.pmemfs.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.study.Pairing;
import dev.pmemfs.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fs and recovery benchmark commands run small, print every row with a ratio, and clean up after themselves. */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void benchFs_smallRun_printsEveryRowAndLeavesNoFiles() throws IOException {
        Cli.Result r = Cli.runRaw("bench", "fs", "--size", "8m", "--random-ops", "2000", "--files", "50",
                "--mount-files", "200", "--mount-image", "64m", "--dir", dir.toString());
        assertEquals(0, r.exit(), r.err());
        for (String row : new String[] {"sequential 1 MiB pwrite", "sequential 1 MiB pread", "random 4 KiB pread",
                "create + 4 KiB write + fsync, 49 files in 7 batches", "mount, 0 GiB image, 200 files",
                "sequential 1 MiB pwrite, new file, with meta_replicas=2", "random 4 KiB pwrite into holes, with "
                + "meta_replicas=2", "create + 4 KiB write + fsync, 7 files, with meta_replicas=2",
                "the same without meta_replicas=2"}) {
            assertTrue(r.out().contains(row), row + " missing in\n" + r.out());
        }
        assertEverRowHasItsSpread(r.out(), 8);
        assertNoImagesLeft();
    }

    /** Each data row prints its figure and its ratio as "median [min, max]". */
    private static void assertEverRowHasItsSpread(String out, int rows) {
        String spread = "[\\d,.]+ \\[[\\d,.]+, [\\d,.]+\\]";
        long withSpread = out.lines().filter(l -> l.matches("\\S+ .* " + spread + " .* " + spread + "x?")).count();
        assertEquals(rows, withSpread, out);
    }

    @Test
    void benchRecovery_smallRun_timesEveryDesign() throws IOException {
        Cli.Result r = Cli.runRaw("bench", "recovery", "--repeats", "2", "--dir", dir.toString());
        assertEquals(0, r.exit(), r.err());
        for (String s : new String[] {"punch-pwrite", "punch-falloc", "fiemap-blkzeroout", "unmount-clear", "zero-range",
                "zeroinit @ rfc-zeroinit", "recovery-write @ linux-5.19", "zero-range @ rfc-zero-range"}) {
            assertTrue(r.out().contains(s), s + " missing in\n" + r.out());
        }
        assertEverRowHasItsSpread(r.out(), Pairing.defaults().size());
        assertNoImagesLeft();
    }

    @Test
    void bench_badArguments_areOneLineErrors() {
        for (String[] args : new String[][] {
                {"bench", "fs", "--size", "3k"},
                {"bench", "fs", "--files", "0"},
                {"bench", "fs", "--dir", dir.resolve("nope").toString()},
                {"bench", "recovery", "--repeats", "0"},
                {"bench", "--dir", dir.resolve("nope").toString()}}) {
            Cli.Result r = Cli.runRaw(args);
            assertNotEquals(0, r.exit(), String.join(" ", args));
            assertEquals(1, r.err().lines().count(), r.err());
        }
    }

    private void assertNoImagesLeft() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().startsWith("pmemfs-bench")).count());
        }
    }
}
