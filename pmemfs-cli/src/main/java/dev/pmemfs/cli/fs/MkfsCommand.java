package dev.pmemfs.cli.fs;

import dev.pmemfs.cli.CredentialsOption;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.fs.MkfsOptions;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.fs.PmemFs;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.pmem.Pmem;
import dev.pmemfs.vfs.DeviceNodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code pmemfs mkfs [-f] NS}: formats the namespace's block device with a fresh pmemfs. Like mkfs.xfs it
 * refuses to overwrite an existing pmemfs unless forced, so a mistyped name does not destroy a
 * filesystem.
 */
@Command(name = "mkfs", mixinStandardHelpOptions = true, description = {"Make a pmemfs filesystem on a namespace.",
        "-o also takes the format option data_parity=N: one parity block per N data blocks (RAID-4), so "
                + "'pmemfs recover' restores a poisoned block byte for byte; costs about 1/(N+1) of the device."})
public final class MkfsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HomeOption homeOption;

    @Mixin
    CredentialsOption credentials;

    @Mixin
    MountOptionsOption mountOptions;

    @Parameters(index = "0", paramLabel = "NS", description = "namespaceN.0 or pmemN (fsdax or raw).")
    String name;

    @Option(names = {"-f", "--force"}, description = "Overwrite an existing pmemfs.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        try (Namespace ns = homeOption.home().open(name)) {
            Pmem pmem = Pmem.probe(ns);
            if (pmem.blockDevice().isEmpty()) {
                throw new UserException(name + " is a devdax namespace: it has no block device to format; reconfigure "
                        + "it with 'pmemfs ndctl create-namespace -f -e " + ns.name() + " -m fsdax'");
            }
            // mkfs writes the block device: it must be able to open it for writing (DeviceNodes' rules).
            DeviceNodes.open(pmem.block(), credentials.credentials(), true).close();
            MountOptions defaults;
            int dataParity = 0;
            try {
                // data_parity=N is a format option (mkfs.xfs -d style), the rest are stored mount options.
                StringBuilder rest = new StringBuilder();
                if (mountOptions.text() != null) {
                    for (String o : mountOptions.text().split(",", -1)) {
                        if (o.startsWith(DATA_PARITY)) {
                            dataParity = parseDataParity(o.substring(DATA_PARITY.length()));
                        } else {
                            rest.append(rest.isEmpty() ? "" : ",").append(o);
                        }
                    }
                }
                defaults = MountOptions.parse(mountOptions.text() == null ? null : rest.toString(),
                        MkfsOptions.DEFAULTS.defaults());
            } catch (IllegalArgumentException e) {
                throw new UserException(name + ": " + e.getMessage(), ExitCodes.USAGE);
            }
            // Decided from the superblock copies alone, never from fsck's verdict: a bug in the checker
            // must not be able to make mkfs overwrite a filesystem.
            var existing = force ? java.util.Optional.<String>empty() : PmemFs.existingFilesystem(pmem.dax());
            if (existing.isPresent()) {
                throw new UserException(name + ": " + existing.get() + "; use 'pmemfs mkfs -f " + name
                        + "' to overwrite it (its files are lost)");
            }
            spec.commandLine().getOut().println(PmemFs.mkfs(pmem.dax(), pmem.block(),
                    new MkfsOptions(0, 0, defaults, dataParity)));
        }
        return 0;
    }

    private static final String DATA_PARITY = "data_parity=";

    /** N of {@code data_parity=N}: 0 (none) or 1..64 data blocks per parity block. */
    private static int parseDataParity(String v) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad data_parity value '" + v + "' (expected 0 for none, or 1..64 "
                    + "data blocks per parity block, e.g. data_parity=8)");
        }
        if (n < 0 || n > 64) {
            throw new IllegalArgumentException("data_parity=" + n + " is out of range (0 for none, 1..64 data blocks "
                    + "per parity block)");
        }
        return n;
    }
}
