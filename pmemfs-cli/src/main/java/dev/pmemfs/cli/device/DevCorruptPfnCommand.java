package dev.pmemfs.cli.device;

import dev.pmemfs.cli.CredentialsOption;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.Home;
import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.cli.fs.MountedNamespace;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.dax.DaxHolder;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.BlockOwner;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.fs.MediaFailure;
import dev.pmemfs.fs.PmemFs;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceMode;
import dev.pmemfs.pmem.Pmem;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code pmemfs dev corrupt-pfn NS PFN}: {@code echo PFN > /sys/kernel/debug/hwpoison/corrupt-pfn}
 * (mm/hwpoison-inject.c) on a page of {@code pmemN}: {@code memory_failure(pfn, MF_SW_SIMULATED)}
 * marks the page poisoned (software poison in the driver's badblocks; the media is untouched) and, when
 * the namespace holds a pmemfs filesystem, mounts it so that it is the dax holder and hears
 * {@code notify_failure} (reference §7.1, §7.2): it names the owner from its reverse map and acts as
 * XFS does: metadata shuts the filesystem down (EUCLEAN, as xfs_dax_notify_failure's
 * xfs_force_shutdown), file data is unmapped from every mapping (the next access of any process
 * mapping it takes SIGBUS BUS_MCEERR_AR), free space needs nothing. The lines printed are the
 * kernel's log lines and the owner. PFN is a page number of {@code pmemN} (0 is the first page of
 * its data area), not a physical frame number; debugfs is root's, so this needs an administrator.
 */
@Command(name = "corrupt-pfn", mixinStandardHelpOptions = true,
        description = "Inject a memory failure at one page of pmemN, as hwpoison-inject's corrupt-pfn; the filesystem holder names and handles the owner.")
final class DevCorruptPfnCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HomeOption homeOption;

    @Mixin
    CredentialsOption credentials;

    @Parameters(index = "0", paramLabel = "NS", description = "namespaceN.0 or pmemN.")
    String name;

    @Parameters(index = "1", paramLabel = "PFN", description = "Page of pmemN (decimal or 0x hex).")
    String pfnText;

    @Override
    public Integer call() throws Exception {
        credentials.requireAdmin("dev corrupt-pfn");
        long pfn = parse(pfnText);
        if (pfn < 0) {
            throw new UserException("Invalid PFN: '" + pfnText + "' (a page number of pmemN: decimal or 0x hex)",
                    ExitCodes.USAGE);
        }
        Home home = homeOption.home();
        boolean filesystem;
        java.util.Optional<MountedNamespace> served = MountedNamespace.served(home, name);
        if (served.isPresent()) {
            filesystem = true;
        } else {
            try (Namespace ns = home.open(name)) {
                Pmem pmem = Pmem.probe(ns);
                if (pfn >= pmem.dax().nrPages()) {
                    throw new UserException(String.format("dev corrupt-pfn: pfn %#x: No such device or address: %s has "
                            + "%#x pages", pfn, pmem.dax().name(), pmem.dax().nrPages()));
                }
                filesystem = ns.mode() != NamespaceMode.DEVDAX && PmemFs.existingFilesystem(pmem.dax()).isPresent();
                if (!filesystem) {
                    return inject(pmem.dax(), null, pfn);
                }
            }
        }
        try (MountedNamespace m = MountedNamespace.open(home, name)) {
            if (pfn >= m.pmem().dax().nrPages()) {
                throw new UserException(String.format("dev corrupt-pfn: pfn %#x: No such device or address: %s has "
                        + "%#x pages", pfn, m.pmem().dax().name(), m.pmem().dax().nrPages()));
            }
            return inject(m.pmem().dax(), m.vfs().fileSystem(), pfn);
        }
    }

    private int inject(DaxDevice dax, FileSystem fs, long pfn) throws UserException, ErrnoException {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Injecting memory failure at pfn %#x%n", pfn);
        int before = fs == null ? 0 : fs.mediaFailures().size();
        ErrnoException failed = null;
        try {
            dax.memoryFailure(pfn, DaxHolder.MF_SW_SIMULATED);
        } catch (ErrnoException e) {
            failed = e;
        }
        if (fs == null) {
            out.printf("%s: page %#x: no filesystem holds the device: the page is poisoned, mappings of it take SIGBUS%n",
                    dax.name(), pfn);
        } else {
            List<MediaFailure> heard = fs.mediaFailures();
            for (MediaFailure f : heard.subList(before, heard.size())) {
                out.printf("%s: page %#x: %s%n", dax.name(), pfn, describe(fs, f.owner()));
            }
        }
        out.printf("Memory failure: %#x: recovery action for dax page: %s%n", pfn, failed == null ? "Recovered" : "Failed");
        out.flush();
        if (failed != null) {
            throw new UserException("dev corrupt-pfn: " + failed.getMessage());
        }
        return 0;
    }

    /** A page number: decimal or 0x hex, nothing else; -1 when it is not one. */
    private static long parse(String s) {
        try {
            long v = s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
            return v < 0 ? -1 : v;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String describe(FileSystem fs, BlockOwner o) {
        return switch (o) {
            case BlockOwner.FileData d -> {
                String path;
                try {
                    path = fs.path(d.ino());
                } catch (ErrnoException e) {
                    path = "inode " + d.ino();
                }
                yield "file " + path + " offset " + d.fileOffset() + (d.unwritten() ? " (unwritten)" : "")
                        + ": unmapped from every mapping, whose next access takes SIGBUS (BUS_MCEERR_AR)";
            }
            case BlockOwner.Metadata m -> "metadata (" + m.structure() + ")";
            case BlockOwner.Free f -> "free space: nothing to do";
        };
    }
}
