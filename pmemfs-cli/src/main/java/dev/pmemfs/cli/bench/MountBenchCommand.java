package dev.pmemfs.cli.bench;

import dev.pmemfs.cli.ByteSize;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.mount.FuseMount;
import dev.pmemfs.stack.PmemStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pmemfs bench mount}: fio's 4 KiB random read and 1 MiB sequential read and write on a pmemfs
 * FUSE mount, each as a ratio to the same fio job on bindfs over tmpfs in the same run (issue 8.7).
 */
@Command(name = "mount", mixinStandardHelpOptions = true,
        description = "fio on a pmemfs FUSE mount against the same fio jobs on bindfs over tmpfs, in the same run.")
final class MountBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "Short jobs and 3 rounds (about half a minute) instead of 5 rounds of 5 s.")
    boolean quick;

    @Option(names = "--size", paramLabel = "SIZE", description = "The fio file's size (default 256m; 64m with --quick).")
    String size;

    @Option(names = "--rounds", paramLabel = "N", description = "Interleaved rounds, pmemfs then bindfs (default 5; 3 with --quick).")
    Integer rounds;

    @Option(names = "--seconds", paramLabel = "S", description = "Run time of each fio job (default 5; 1 with --quick).")
    Double seconds;

    @Option(names = "--threads", paramLabel = "N", description = "FUSE worker threads serving pmemfs (default: as pmemfs mount, "
            + FuseMount.DEFAULT_THREADS + "; 1 is the single-threaded loop).")
    int threads = FuseMount.DEFAULT_THREADS;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the image, the tmpfs directory and the mount points go (default /dev/shm).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        long bytes = ByteSize.parse("--size", size != null ? size : quick ? "64m" : "256m");
        if (bytes < (1L << 20) || bytes % (1L << 20) != 0 || bytes > (16L << 30)) {
            throw new UserException("--size must be a multiple of 1 MiB between 1m and 16g, not " + size, ExitCodes.USAGE);
        }
        int n = rounds != null ? rounds : quick ? 3 : 5;
        if (n < 1 || n > 100) {
            throw new UserException("--rounds must be between 1 and 100, not " + n, ExitCodes.USAGE);
        }
        double secs = seconds != null ? seconds : quick ? 1.0 : 5.0;
        if (!(secs >= 0.1 && secs <= 600)) {
            throw new UserException("--seconds must be between 0.1 and 600, not " + seconds, ExitCodes.USAGE);
        }
        if (threads < 1 || threads > 64) {
            throw new UserException("--threads must be between 1 and 64, not " + threads, ExitCodes.USAGE);
        }
        Path where = dir != null ? dir : PmemStack.memoryBackedDir();
        if (!Files.isDirectory(where)) {
            throw new UserException(where + " is not a directory (give --dir DIR)", ExitCodes.USAGE);
        }
        String why = MountBenchRun.unavailable();
        if (why != null) {
            throw new UserException("bench mount: " + why, ExitCodes.FAILURE);
        }
        var out = spec.commandLine().getOut();
        out.printf("pmemfs bench mount: %d interleaved rounds of %s fio jobs on a %s file, pmemfs (FUSE threads: %d)"
                + " then bindfs over tmpfs; ratio = pmemfs / bindfs%n", n, secs + " s", (bytes >> 20) + " MiB",
                threads);
        out.flush();
        BenchRow.print(out, new MountBenchRun(new MountBenchRun.Settings(bytes, secs, n, threads, where)).run());
        return ExitCodes.OK;
    }
}
