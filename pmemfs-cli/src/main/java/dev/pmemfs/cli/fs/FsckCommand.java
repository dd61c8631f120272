package dev.pmemfs.cli.fs;

import dev.pmemfs.cli.CredentialsOption;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.fs.Fsck;
import dev.pmemfs.fs.FsckReport;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.pmem.Pmem;
import dev.pmemfs.vfs.DeviceNodes;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code pmemfs fsck NS [--repair]}: checks every invariant of an unmounted pmemfs and prints what it
 * found in plain words, one finding a line; exits as e2fsck does (0 clean, 1 errors corrected, 4 errors
 * left, 8 the check could not run).
 */
@Command(name = "fsck", mixinStandardHelpOptions = true, description = "Check (and with --repair, fix) a pmemfs.")
public final class FsckCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HomeOption homeOption;

    @Mixin
    CredentialsOption credentials;

    @Parameters(index = "0", paramLabel = "NS", description = "namespaceN.0 or pmemN.")
    String name;

    @Option(names = {"-y", "--repair"}, description = "Fix what can be fixed safely.")
    boolean repair;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Namespace ns = homeOption.home().open(name)) {
            Pmem pmem = Pmem.probe(ns);
            if (pmem.blockDevice().isEmpty()) {
                throw new UserException(name + " is a devdax namespace: it holds no filesystem to check");
            }
            // fsck opens the block device: for reading, or for writing to repair (DeviceNodes' rules).
            DeviceNodes.open(pmem.block(), credentials.credentials(), repair).close();
            String dev = pmem.dax().name();
            FsckReport r;
            try {
                r = Fsck.check(pmem.dax(), pmem.block(), repair);
            } catch (RuntimeException bug) {
                // A bug in the checker, not a verdict on the image: say so, with the trace a report needs,
                // and exit with neither "clean" nor "cannot check" (8).
                PrintWriter err = spec.commandLine().getErr();
                err.println("pmemfs fsck: internal error in the checker while checking " + dev + " (a bug in pmemfs, "
                        + "not a finding about the filesystem; please report it with this trace):");
                bug.printStackTrace(err);
                err.flush();
                return ExitCodes.SOFTWARE;
            }
            for (String f : r.findings()) {
                out.println(dev + ": " + f);
            }
            out.println(dev + ": " + summary(r));
            if (r.exitCode() == FsckReport.UNCORRECTED && !repair) {
                spec.commandLine().getErr().println("pmemfs fsck: " + dev + " has " + r.errors()
                        + " error(s); run 'pmemfs fsck " + name + " --repair' to fix what can be fixed");
            }
            return r.exitCode();
        }
    }

    private static String summary(FsckReport r) {
        return switch (r.exitCode()) {
            case FsckReport.CLEAN -> "clean";
            case FsckReport.CORRECTED -> r.errors() + " error(s) found, all corrected";
            case FsckReport.UNCORRECTED -> r.errors() + " error(s) found, " + r.corrected() + " corrected";
            default -> "check could not complete";
        };
    }
}
