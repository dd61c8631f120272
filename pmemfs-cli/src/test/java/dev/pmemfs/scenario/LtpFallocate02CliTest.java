package dev.pmemfs.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmemfs.testing.Cli;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LTP fallocate02 as a user reproduces it from the shell, with the raw mode command
 * {@code pmemfs io -c 'fallocate MODE OFF LEN'}: setup() makes a read-only test_file1 and a
 * read-write test_file2 of 12 one-KiB blocks of 'A'; each row of test_data runs for the default mode
 * (FALLOC_FL_KEEP_SIZE) and for TEST_DEFAULT (mode 0) and must fail with the row's errno; the file
 * keeps its size. The same table as {@link LtpFallocate02Test}, through the command line.
 */
class LtpFallocate02CliTest {
    private static final String NS = "namespace0.0";

    @TempDir
    Path home;

    @Test
    void fallocate02_throughTheRawFallocateCommand() {
        Cli cli = new Cli(home);
        cli.run("ndctl", "create-namespace", "--size", "32m").ok();
        cli.run("mkfs", NS, "-o", "linux-5.19").ok();
        // setup()
        cli.run("io", "-f", NS + ":/test_file1", "-c", "chmod 0400").ok();
        cli.run("io", "-f", NS + ":/test_file2", "-c", "pwrite -q -S 0x41 0 12k").ok();
        for (String mode : List.of("FALLOC_FL_KEEP_SIZE", "0")) {
            // test_data[0]: the read-only descriptor.
            Cli.Result ro = cli.run("io", "-r", NS + ":/test_file1", "-c", "fallocate " + mode + " 0 1k");
            assertEquals(1, ro.exit(), ro.err());
            assertEquals("fallocate: Bad file descriptor\n", ro.err());
            // test_data[1..7] on test_file2, offsets and lengths in 1 KiB blocks as LTP writes them.
            long max = Long.MAX_VALUE / 1024;
            String[][] rows = {
                {"-1", "1", "Invalid argument"},
                {"1", "-1", "Invalid argument"},
                {"12", "0", "Invalid argument"},
                {"12", "-1", "Invalid argument"},
                {"-24", "1", "Invalid argument"},
                {Long.toString(max), "1", "File too large"},
                {"1", Long.toString(max), "File too large"},
            };
            List<String> argv = new ArrayList<>(List.of("io", NS + ":/test_file2"));
            StringBuilder expected = new StringBuilder();
            for (String[] row : rows) {
                argv.add("-c");
                argv.add("fallocate " + mode + " " + row[0] + "k " + row[1] + "k");
                expected.append("fallocate: ").append(row[2]).append('\n');
            }
            argv.add("-c");
            argv.add("stat");
            Cli.Result rw = cli.run(argv.toArray(String[]::new));
            assertEquals(1, rw.exit(), rw.err());
            assertEquals(expected.toString(), rw.err(), "mode " + mode);
            assertEquals(List.of("stat.size = 12288"), rw.out().lines().filter(l -> l.startsWith("stat.size")).toList());
        }
    }
}
