package dev.pmemfs.cli.bench;

import dev.pmemfs.cli.ByteSize;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.stack.PmemStack;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pmemfs bench device}: GB/s of sequential 1 MiB reads and writes through the block and DAX
 * paths, as ratios to a plain MemorySegment copy on the same mapping, and the read overhead with a
 * million badblock ranges elsewhere on the device. Uses two temporary sparse namespaces in {@code --dir}
 * (default: /dev/shm, else the system temporary directory), deleted afterwards.
 */
@Command(name = "device", mixinStandardHelpOptions = true, description = "Block and DAX throughput against a plain mapping copy.")
final class DeviceBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--size", paramLabel = "SIZE", description = "Working set (default 256m).")
    String size = "256m";

    @Option(names = "--seconds", paramLabel = "S", description = "Measured time per case (default 1.0).")
    double seconds = 1.0;

    @Option(names = "--ranges", paramLabel = "N", description = "Badblock ranges for the overhead case (default 1000000; 0 skips it).")
    long ranges = 1_000_000;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the temporary namespace goes.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        long ws = ByteSize.parse("size", size);
        if (ws < DeviceBench.IO || ws % DeviceBench.IO != 0) {
            throw new UserException("--size must be a positive multiple of 1 MiB, not " + size, ExitCodes.USAGE);
        }
        if (!(seconds > 0 && seconds <= 600)) {
            throw new UserException("--seconds must be in (0, 600], not " + seconds, ExitCodes.USAGE);
        }
        if (ranges < 0 || ranges > 10_000_000) {
            throw new UserException("--ranges must be between 0 and 10000000, not " + ranges, ExitCodes.USAGE);
        }
        Path where = dir != null ? dir : PmemStack.memoryBackedDir();
        if (!Files.isDirectory(where)) {
            throw new UserException(where + " is not a directory (give --dir DIR)", ExitCodes.USAGE);
        }
        DeviceBench.Report r = new DeviceBench(ws, seconds, ranges).run(where);
        print(spec.commandLine().getOut(), r);
        return 0;
    }

    static void print(PrintWriter out, DeviceBench.Report r) {
        out.printf("pmemfs bench device: %d MiB working set, sequential 1 MiB I/O, %.2f s per operation, %d interleaved"
                + " rounds; figures: median [min, max] over the rounds%n", r.workingSet() >> 20, r.seconds(), DeviceBench.ROUNDS);
        out.printf("%-13s %-6s %-26s %s%n", "path", "op", "GB/s", "ratio to memsegment (per round)");
        for (DeviceBench.Result x : r.results()) {
            out.printf("%-13s %-6s %-26s %s%n", x.path(), x.op(), x.gbPerSec().text("%.2f"), x.ratio().text("%.2f"));
        }
        if (r.writeFaults() >= 0) {
            out.printf("minor page faults during the write rounds: %,d (every mapping under test was faulted in"
                    + " before; %,d pages in the working set)%n", r.writeFaults(), r.workingSet() >> 12);
        }
        if (!r.rangeOverhead().isEmpty()) {
            out.printf("read overhead with %,d badblock ranges elsewhere on the device (+ranges rows), per round:%n", r.ranges());
            r.rangeOverhead().forEach((path, o) -> out.printf("%-13s %s%n", path, o.map(x -> x * 100).text("%+.1f%%")));
            double readNs = 1e9 / (DeviceBench.find(r.results(), "block", "read").gbPerSec().median() * 1e9 / DeviceBench.IO);
            out.printf("badblocks lookup of a healthy 1 MiB range, %d repetitions: %s ns with no ranges, %s ns with %,d"
                    + " (median +%.3f%% of a %.0f us 1 MiB block read)%n", DeviceBench.LOOKUP_REPEATS,
                    r.lookupNsEmpty().text("%.0f"), r.lookupNsRanges().text("%.0f"), r.ranges(),
                    Math.max(0, r.lookupNsRanges().median() - r.lookupNsEmpty().median()) / readNs * 100, readNs / 1000);
        }
        out.flush();
    }
}
