package dev.pmemfs.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench nio} runs JMH small, prints the three rows with both ratios and their errors, and cleans up. */
class NioBenchCommandTest {
    @TempDir
    Path dir;

    @Test
    @Tag("slow")
    void benchNio_smallRun_printsRatiosWithErrors() throws IOException {
        Cli.Result r = Cli.runRaw("bench", "nio", "--quick", "--size", "4m", "--forks", "0", "--dir", dir.toString());
        assertEquals(0, r.exit(), r.err());
        for (String row : new String[] {"FileChannel 4 KiB random read", "FileChannel 1 MiB sequential read",
                "FileChannel 1 MiB sequential write"}) {
            String line = r.out().lines().filter(l -> l.startsWith(row)).findFirst().orElse("");
            assertTrue(line.matches(".*\\d+(\\.\\d+)?x ± \\d+\\.\\d+ +\\d+(\\.\\d+)?x ± \\d+\\.\\d+ *"),
                    row + ": two ratios with errors expected in\n" + r.out());
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "scratch files left behind");
        }
    }

    @Test
    void benchNio_badArguments_areOneLineErrors() {
        for (String[] args : new String[][] {{"bench", "nio", "--size", "3k"}, {"bench", "nio", "--forks", "-1"},
                {"bench", "nio", "--dir", dir.resolve("nope").toString()}}) {
            Cli.Result r = Cli.runRaw(args);
            assertEquals(2, r.exit(), String.join(" ", args) + "\n" + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
