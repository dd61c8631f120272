package dev.pmemfs.cli.study;

import dev.pmemfs.cli.ByteSize;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.study.Pairing;
import dev.pmemfs.study.ProgressBar;
import dev.pmemfs.study.Study;
import dev.pmemfs.study.StudyConfig;
import dev.pmemfs.study.StudyReport;
import dev.pmemfs.study.StudyResult;
import dev.pmemfs.study.Workload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pmemfs study}: every recovery design on the same seeded workload and poison, each on a fresh
 * namespace under the kernel profile that offers it; writes results.json, results.csv, summary.md and
 * report.html to {@code --out}, shows progress on stderr and prints the summary table.
 */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = {"Run every poison-recovery design on the same seeded workload and poison, and report.",
            "Each strategy runs on a fresh namespace under the mount profile that offers it: "
                + "zeroinit on rfc-zeroinit, zero-range on linux-5.19 and again on rfc-zero-range, "
                + "the others on linux-5.19."})
public final class StudyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--strategies", paramLabel = "LIST", defaultValue = "all",
            description = "Comma list of strategies as 'pmemfs recover' names them (NAME or NAME@PROFILE, the latter "
                    + "optionally followed by format options, e.g. salvage@pmemfs,meta_replicas=2), or all "
                    + "(default: ${DEFAULT-VALUE}).")
    String strategies;

    @Option(names = "--workload", paramLabel = "NAME", defaultValue = "rdma-buffer",
            description = "rdma-buffer, database or small-files (default: ${DEFAULT-VALUE}).")
    String workload;

    // 256 MiB and 64 events: room for 2 MiB mappings and visible fragmentation, under a minute on 2 cores.
    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "256m",
            description = "Namespace size per run, a multiple of 2 MiB from 16m to 8g (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--errors", paramLabel = "N", defaultValue = "64",
            description = "Poison events per run (default: ${DEFAULT-VALUE}).")
    String errors;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the workload and of the poison plan (default: ${DEFAULT-VALUE}).")
    String seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "pmemfs-study",
            description = "Directory for results.json, results.csv, summary.md and report.html (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        StudyConfig config = config();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserException("Invalid --out: " + out + " exists and is not a directory; name a directory",
                    ExitCodes.USAGE);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println("pmemfs study: workload " + config.workload().text() + ", " + size + " per run, "
                + config.errors() + " poison events, seed " + config.seed());
        for (Pairing p : config.pairings()) {
            stdout.println("  " + p.text() + "  (" + p.privilege().text() + ", runs as "
                    + (p.credentials().uid() == 0 ? "root" : "uid " + p.credentials().uid()) + ")");
        }
        stdout.flush();
        StudyResult result;
        PrintStream err = new PrintStream(new WriterStream(spec.commandLine().getErr()), true, StandardCharsets.UTF_8);
        try (ProgressBar bar = ProgressBar.forConsole(err, "study", Study.progressSteps(config), quiet)) {
            result = Study.run(config, Path.of(System.getProperty("java.io.tmpdir")), bar);
        }
        List<Path> files = StudyReport.write(result, out);
        stdout.println();
        stdout.print(Files.readString(out.resolve(StudyReport.MARKDOWN)));
        stdout.println();
        for (Path f : files) {
            stdout.println("wrote " + f);
        }
        return ExitCodes.OK;
    }

    private StudyConfig config() throws UserException {
        Workload w = Workload.byName(workload).orElseThrow(() -> new UserException(
                "Invalid --workload: " + workload + " (valid: " + Workload.names() + ")", ExitCodes.USAGE));
        List<Pairing> pairings;
        try {
            pairings = Pairing.parse(strategies);
        } catch (IllegalArgumentException e) {
            throw new UserException("Invalid --strategies: " + e.getMessage(), ExitCodes.USAGE);
        }
        long bytes = ByteSize.parse("--size", size);
        if (bytes < StudyConfig.MIN_SIZE || bytes > StudyConfig.MAX_SIZE || bytes % (2L << 20) != 0) {
            throw new UserException("Invalid --size: " + size + " (must be a multiple of 2 MiB from 16m to 8g)",
                    ExitCodes.USAGE);
        }
        long n = ByteSize.parseOrInvalid(errors);
        if (n < 0 || n > StudyConfig.MAX_ERRORS || !errors.strip().matches("[0-9]+")) {
            throw new UserException("Invalid --errors: " + errors + " (expected a whole number from 0 to "
                    + StudyConfig.MAX_ERRORS + ")", ExitCodes.USAGE);
        }
        long s;
        try {
            s = Long.decode(seed.strip());
        } catch (NumberFormatException e) {
            throw new UserException("Invalid --seed: " + seed + " (expected a whole number)", ExitCodes.USAGE);
        }
        return new StudyConfig(w, bytes, (int) n, s, pairings);
    }

    /** Bytes printed to a PrintStream, passed on as text to the command's PrintWriter at every flush. */
    private static final class WriterStream extends OutputStream {
        private final PrintWriter writer;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        WriterStream(PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            writer.write(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
            writer.flush();
        }
    }
}
