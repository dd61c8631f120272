package dev.pmemfs.cli.ndctl;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code pmemfs ndctl}: ndctl's namespace and error commands over the namespaces in
 * {@code $PMEMFS_HOME}, with ndctl's flags, messages and JSON (reference §8; ecosystem §3). The
 * emulated platform plays the part of the kernel's nfit_test bus ({@code nfit_test.0}, {@code ndbus0}):
 * every namespace is its own region N on that one bus.
 */
@Command(name = "ndctl", mixinStandardHelpOptions = true,
        description = "Manage emulated pmem namespaces and their media errors (ndctl-compatible).",
        subcommands = {
            CreateNamespaceCommand.class,
            DestroyNamespaceCommand.class,
            ListCommand.class,
            InjectErrorCommand.class,
            StartScrubCommand.class,
            WaitScrubCommand.class,
            ClearErrorsCommand.class,
            InjectFaultCommand.class,
            EnableDisable.DisableRegion.class,
            EnableDisable.EnableRegion.class,
            EnableDisable.DisableNamespace.class,
            EnableDisable.EnableNamespace.class,
            BusCommands.ArsCap.class,
            BusCommands.ArsStart.class,
            BusCommands.ArsStatus.class,
            BusCommands.ClearError.class,
        })
public final class NdctlCommand implements Runnable {
    /** The one emulated bus, as ndctl names it. */
    static final String PROVIDER = "nfit_test.0";
    static final String BUS = "ndbus0";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: create-namespace, destroy-namespace, list, inject-error, start-scrub, wait-scrub, clear-errors, inject-fault, disable-region, enable-region, disable-namespace, enable-namespace, ars-cap, ars-start, ars-status or clear-error");
    }
}
