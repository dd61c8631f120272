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
                + "'pmemfs recover' restores a poisoned block byte for byte; costs about 1/(N+1) of the device.",
        "-o also takes meta_replicas=1|2: two copies of every metadata block, so poison or a bad checksum in "
                + "one is healed from the other (docs/FORMAT.md)."})
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
            MkfsOptions opts;
            try {
                // -o takes the format options (data_parity=N, meta_replicas=N, as mkfs.xfs -d/-m) and the
                // mount options stored as defaults.
                opts = MkfsOptions.parse(mountOptions.text(), MkfsOptions.DEFAULTS);
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
            spec.commandLine().getOut().println(PmemFs.mkfs(pmem.dax(), pmem.block(), opts));
            // the kernel the stored profile names owns the driver's badblocks table from now on (as a mount does)
            MountOptions.Profile profile = opts.defaults().profile();
            ns.setLinuxBadblocksTable(profile != null && profile.name().startsWith("LINUX_"));
        }
        return 0;
    }
}
