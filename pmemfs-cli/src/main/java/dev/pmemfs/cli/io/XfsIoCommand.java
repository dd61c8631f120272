package dev.pmemfs.cli.io;

import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.CredentialsOption;
import dev.pmemfs.cli.fs.MountedNamespace;
import dev.pmemfs.cli.fs.MountOptionsOption;
import dev.pmemfs.cli.fs.Target;
import dev.pmemfs.vfs.Syscalls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pmemfs io [-afrt] NS:/path -c CMD [-c CMD ...] [--user UID[:GID]] [--cap CAP,...]}: xfs_io on a
 * file of a namespace's filesystem. The file is opened read-write (read-only with -r, created with
 * -f, truncated with -t, O_APPEND with -a) by a process with the given credentials (root by default);
 * the commands run in order with xfs_io's output; the exit status is 0, 1 when a command failed, or
 * 135 when the process took SIGBUS. Timing lines show real elapsed time, as xfs_io's do.
 */
@Command(name = "io", mixinStandardHelpOptions = true,
        description = "Run xfs_io-style commands (pwrite, pread, falloc, fpunch, fzero, fzeroinit, fiemap, seek, "
                + "truncate, fsync, stat, chmod, chattr, mmap, mread, mwrite, madvise -P, ...) on a file.")
public final class XfsIoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HomeOption homeOption;

    @Mixin
    MountOptionsOption mountOptions;

    @Mixin
    CredentialsOption credentials;

    @Option(names = "-r", description = "Open read-only.")
    boolean readOnly;

    @Option(names = "-f", description = "Create the file if it does not exist.")
    boolean create;

    @Option(names = "-t", description = "Truncate the file when opening it.")
    boolean truncate;

    @Option(names = "-a", description = "Open with O_APPEND.")
    boolean append;

    @Option(names = "-c", paramLabel = "CMD", description = "A command to run (repeatable, run in order).")
    List<String> commands = new ArrayList<>();

    @Parameters(index = "0", paramLabel = "NS:/path", description = "The file, e.g. namespace0.0:/data.")
    String target;

    @Override
    public Integer call() throws Exception {
        Target t = Target.parse(target);
        int flags = (readOnly ? Syscalls.O_RDONLY : Syscalls.O_RDWR) | (create ? Syscalls.O_CREAT : 0)
                | (truncate ? Syscalls.O_TRUNC : 0) | (append ? Syscalls.O_APPEND : 0);
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (MountedNamespace m = MountedNamespace.open(homeOption.home(), t.namespace(), mountOptions.text())) {
            try (Syscalls p = m.vfs().process(credentials.credentials())) {
                IoSession s = new IoSession(p, out, err, System::nanoTime);
                if (!s.openInitial(t.path(), flags, 0600)) {
                    err.flush();
                    return 1;
                }
                return s.run(commands);
            }
        }
    }
}
