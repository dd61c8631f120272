package dev.pmemfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
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
            String spread = "\\d+\\.\\d\\d \\[\\d+\\.\\d\\d, \\d+\\.\\d\\d\\]";
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(row) + " +" + spread + " +" + spread + "$").matcher(r.out()).find(),
                    "row '" + row + "' (median, min-max of GB/s and of the ratio) in\n" + r.out());
        }
        assertTrue(r.out().contains("read overhead with 5,000 badblock ranges"), r.out());
        assertTrue(r.out().matches("(?s).*badblocks lookup of a healthy 1 MiB range, 5 repetitions: \\d+ \\[\\d+, \\d+\\] ns"
                + " with no ranges, \\d+ \\[\\d+, \\d+\\] ns with 5,000.*"), r.out());
        // The write cases must not pay first-touch faults on the mappings they write (they used to:
        // the warm-up faulted a different mapping, and short runs under-reported writes ~5x).
        Matcher faults = Pattern.compile("minor page faults during the write rounds: ([\\d,]+) ").matcher(r.out());
        assertTrue(faults.find(), r.out());
        long pages = (8L << 20) >> 12;
        assertTrue(Long.parseLong(faults.group(1).replace(",", "")) < pages / 4,
                "write rounds faulted pages in: " + faults.group(1) + " of " + pages);
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
