package dev.pmemfs.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench micro --quick} runs every JMH case small, in this JVM, and prints each row's shape:
 * ns/op with JMH's error, GB/s for the copies, the ratio to the plain copy, and the cost of the
 * ranges; the figures themselves are not checked. It leaves no image behind.
 */
class MicroBenchCommandTest {
    private static final String SCORE = "[\\d,]+\\.\\d ± [\\d,]+\\.\\d";
    private static final String RATIO = "\\d+\\.\\d\\dx ± [\\d,]+\\.\\d\\d";
    private static final String GBS = "\\d+\\.\\d\\d ± [\\d,]+\\.\\d\\d";

    @TempDir
    Path dir;

    @Test
    void benchMicroQuick_printsEveryCaseWithJmhErrors() throws IOException {
        Cli.Result r = Cli.runRaw("bench", "micro", "--quick", "--size", "4m", "--ranges", "2000", "--forks", "0",
                "--dir", dir.toString());
        assertEquals(0, r.exit(), r.err());
        for (String copy : List.of("memsegment write 1 MiB", "dax write 1 MiB", "block write 1 MiB",
                "memsegment read 1 MiB", "dax read 1 MiB", "block read 1 MiB")) {
            String vsBaseline = copy.startsWith("memsegment") ? "baseline" : RATIO;
            assertRow(r.out(), copy, "0", SCORE, GBS, vsBaseline, "-");
            assertRow(r.out(), copy, "2,000", SCORE, GBS, vsBaseline, RATIO);
        }
        for (String lookup : List.of("badblocks lookup, healthy 1 MiB", "poison lookup, healthy 1 MiB")) {
            assertRow(r.out(), lookup, "0", SCORE, "-", "-", "-");
            assertRow(r.out(), lookup, "2,000", SCORE, "-", "-", RATIO);
        }
        assertRow(r.out(), "recovery write 4 KiB over poison", "-", SCORE, GBS, "-", "-");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "temporary images left behind");
        }
    }

    private static void assertRow(String out, String name, String ranges, String... columns) {
        String row = "(?m)^" + Pattern.quote(name) + " +" + Pattern.quote(ranges) + " +" + String.join(" +", columns) + " *$";
        assertTrue(Pattern.compile(row).matcher(out).find(), "row '" + name + "' with " + ranges + " ranges in\n" + out);
    }

    @Test
    void benchMicro_badArguments_areOneLineUsageErrors() {
        for (String[] args : new String[][] {{"bench", "micro", "--size", "3k"}, {"bench", "micro", "--forks", "-1"},
                {"bench", "micro", "--ranges", "0"}, {"bench", "micro", "--dir", dir.resolve("nope").toString()}}) {
            Cli.Result r = Cli.runRaw(args);
            assertEquals(2, r.exit(), String.join(" ", args) + "\n" + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
