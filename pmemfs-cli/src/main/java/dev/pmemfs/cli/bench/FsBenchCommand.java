package dev.pmemfs.cli.bench;

import dev.pmemfs.cli.ByteSize;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.stack.PmemStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pmemfs bench fs}: the filesystem's data path, small files and mount time, each against a same-run baseline. */
@Command(name = "fs", mixinStandardHelpOptions = true,
        description = "Filesystem throughput, small-file rate and mount time against same-run baselines.")
final class FsBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--size", paramLabel = "SIZE", description = "File size for the sequential and random cases (default 256m).")
    String size = "256m";

    @Option(names = "--random-ops", paramLabel = "N", description = "4 KiB preads per round (default 200000).")
    long randomOps = 200_000;

    @Option(names = "--files", paramLabel = "N", description = "Small files to create, write and fsync (default 100000).")
    long files = 100_000;

    @Option(names = "--mount-files", paramLabel = "N", description = "Files in the mount-time image (default 1000000; 0 skips).")
    long mountFiles = 1_000_000;

    @Option(names = "--mount-image", paramLabel = "SIZE", description = "Size of the mount-time image (default 64g, sparse).")
    String mountImage = "64g";

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the temporary images go (default /dev/shm).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        FsBenchRun.Settings s = settings(size, randomOps, files, mountFiles, mountImage, dir);
        spec.commandLine().getOut().println("pmemfs bench fs: " + FsBenchRun.ROUNDS
                + " interleaved rounds (throughput), batches (small files), " + FsBenchRun.MOUNT_REPEATS
                + " mounts; ratio = pmemfs / baseline (x: lower is better)");
        BenchRow.print(spec.commandLine().getOut(), new FsBenchRun(s).run());
        return ExitCodes.OK;
    }

    static FsBenchRun.Settings settings(String size, long randomOps, long files, long mountFiles, String mountImage,
                                        Path dir) throws UserException {
        long bytes = ByteSize.parse("--size", size);
        if (bytes < FsBenchRun.IO || bytes % FsBenchRun.IO != 0 || bytes > (64L << 30)) {
            throw new UserException("--size must be a multiple of 1 MiB between 1m and 64g, not " + size, ExitCodes.USAGE);
        }
        if (randomOps < 1 || files < 1 || mountFiles < 0) {
            throw new UserException("--random-ops and --files must be positive and --mount-files not negative",
                    ExitCodes.USAGE);
        }
        long image = ByteSize.parse("--mount-image", mountImage);
        if (image < (64L << 20)) {
            throw new UserException("--mount-image must be at least 64m, not " + mountImage, ExitCodes.USAGE);
        }
        Path where = dir != null ? dir : PmemStack.memoryBackedDir();
        if (!Files.isDirectory(where)) {
            throw new UserException(where + " is not a directory (give --dir DIR)", ExitCodes.USAGE);
        }
        return new FsBenchRun.Settings(bytes, randomOps, files, mountFiles, image, where);
    }
}
