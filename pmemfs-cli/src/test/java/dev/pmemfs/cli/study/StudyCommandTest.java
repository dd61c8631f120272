package dev.pmemfs.cli.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.cli.InProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pmemfs study} in-process: a small run and its outputs, and every kind of bad input. */
class StudyCommandTest {
    @TempDir
    Path dir;

    private static InProcess.Result run(String... args) {
        return InProcess.run(args);
    }

    @Test
    void study_smallRun_writesFourFilesPrintsPairingsTableAndProgress() throws Exception {
        Path out = dir.resolve("out");
        InProcess.Result r = run("study", "--size", "16m", "--errors", "3", "--strategies", "zeroinit,punch-pwrite",
                "--workload", "database", "--seed", "9", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        for (String f : new String[] {"results.json", "results.csv", "summary.md", "report.html"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
            assertTrue(r.out().contains("wrote " + out.resolve(f)), r.out());
        }
        assertTrue(r.out().contains("  zeroinit @ rfc-zeroinit  (file write, runs as uid 1000)"), r.out());
        assertTrue(r.out().contains("| zeroinit | rfc-zeroinit | file write | 3 |"), r.out());
        assertTrue(r.out().contains("| punch-pwrite | linux-5.19 | file write | 3 |"), r.out());
        assertTrue(r.out().contains("Workload `database`, device 16 MiB, 3 poison events, seed 9."), r.out());
        assertTrue(r.err().contains("study: 100% (8/8)"), "progress on stderr: " + r.err());
        String csv = Files.readString(out.resolve("results.csv"));
        assertTrue(csv.startsWith("strategy,profile,metric,value\nzeroinit,rfc-zeroinit,privilege,file write\n"), csv);
    }

    @Test
    void study_quiet_noProgress() {
        InProcess.Result r = run("study", "-q", "--size", "16m", "--errors", "0", "--strategies", "recovery-write",
                "--out", dir.resolve("q").toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
    }

    private void assertUsageError(String expected, String... args) {
        Path out = dir.resolve("bad");
        String[] argv = new String[args.length + 3];
        argv[0] = "study";
        System.arraycopy(args, 0, argv, 1, args.length);
        argv[args.length + 1] = "--out";
        argv[args.length + 2] = out.toString();
        InProcess.Result r = run(argv);
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(Files.exists(out), "bad input writes nothing");
    }

    @Test
    void study_unknownStrategy_oneLineWithValidNames() {
        assertUsageError("pmemfs study: Invalid --strategies: unknown strategy 'punch' (valid: punch-pwrite|punch-falloc|"
                + "fiemap-blkzeroout|unmount-clear|zero-range|zeroinit|recovery-write|salvage, all", "--strategies", "zeroinit,punch");
        assertUsageError("unknown mount profile 'linux-9'", "--strategies", "zeroinit@linux-9");
    }

    @Test
    void study_unknownWorkload_oneLineWithValidNames() {
        assertUsageError("Invalid --workload: oltp (valid: rdma-buffer|database|small-files)", "--workload", "oltp");
    }

    @Test
    void study_badSizeErrorsSeed_oneLineEach() {
        assertUsageError("Invalid --size: 3m (must be a multiple of 2 MiB from 16m to 8g)", "--size", "3m");
        assertUsageError("Invalid --size: 17m", "--size", "17m");
        assertUsageError("Invalid --size: lots", "--size", "lots");
        assertUsageError("Invalid --size: 16g", "--size", "16g");
        assertUsageError("Invalid --errors: -1", "--errors", "-1");
        assertUsageError("Invalid --errors: 1k", "--errors", "1k");
        assertUsageError("Invalid --seed: x1", "--seed", "x1");
    }

    @Test
    void study_outIsAFile_oneLineAndFileUntouched() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "keep");
        InProcess.Result r = run("study", "--size", "16m", "--errors", "1", "--out", file.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Invalid --out: " + file + " exists and is not a directory"), r.err());
        assertEquals("keep", Files.readString(file));
    }
}
