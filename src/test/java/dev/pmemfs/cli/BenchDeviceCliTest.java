package dev.pmemfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A quick run of {@code pmemfs bench device}: the table has every row and cleans up after itself. */
class BenchDeviceCliTest {
    @TempDir
    Path dir;

    @Test
    void benchDevice_smallRun_printsEveryRowAndLeavesNoFiles() throws Exception {
        Cli.Result r = Cli.runRaw("bench", "device", "--size", "8m", "--seconds", "0.05", "--ranges", "5000",
                "--dir", dir.toString()).ok();
        for (String row : new String[] {"memsegment    write", "block         write", "dax           write",
                "memsegment    read", "block         read", "dax           read", "block+ranges  read", "dax+ranges    read"}) {
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(row) + " +\\d+\\.\\d\\d  \\d+\\.\\d\\d$").matcher(r.out()).find(),
                    "row '" + row + "' in\n" + r.out());
        }
        assertTrue(r.out().contains("read overhead with 5,000 badblock ranges"), r.out());
        assertTrue(r.out().matches("(?s).*badblocks lookup of a healthy 1 MiB range: \\d+ ns with no ranges, \\d+ ns with 5,000.*"), r.out());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "temporary namespaces are deleted");
        }
    }

    @Test
    void benchDevice_badArguments_refused() {
        assertNotEquals(0, Cli.runRaw("bench", "device", "--size", "1000").exit());
        assertNotEquals(0, Cli.runRaw("bench", "device", "--seconds", "-1").exit());
        assertNotEquals(0, Cli.runRaw("bench", "device", "--dir", "/nonexistent/x").exit());
    }
}
