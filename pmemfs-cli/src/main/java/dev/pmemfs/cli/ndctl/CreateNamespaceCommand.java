package dev.pmemfs.cli.ndctl;

import dev.pmemfs.cli.ByteSize;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.Home;
import dev.pmemfs.cli.CredentialsOption;
import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceConfig;
import dev.pmemfs.media.NamespaceMode;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ndctl create-namespace}: a new namespace (fsdax by default, as ndctl), or with
 * {@code -f -e NS} the reconfiguration of an existing one to another mode in place, keeping its media,
 * poison and region badblocks (ndctl test/clear.sh converts raw to fsdax this way).
 */
@Command(name = "create-namespace", mixinStandardHelpOptions = true,
        description = "Create a namespace, or reconfigure one with -e.")
final class CreateNamespaceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HomeOption homeOption;

    @Mixin
    CredentialsOption credentials;

    @Option(names = {"-s", "--size"}, paramLabel = "SIZE", description = "Namespace size (k, m, g, t suffixes).")
    String size;

    @Option(names = {"-m", "--mode"}, paramLabel = "MODE", description = "fsdax (default), raw or devdax.")
    String mode;

    @Option(names = {"-e", "--reconfig"}, paramLabel = "NS", description = "Reconfigure this existing namespace.")
    String reconfig;

    @Option(names = {"-f", "--force"}, description = "Allow reconfiguring an existing namespace.")
    boolean force;

    @Option(names = {"-u", "--human"}, description = "Human-friendly number formats.")
    boolean human;

    @Option(names = "--clear-err-unit", hidden = true, paramLabel = "BYTES",
            description = "The emulated platform's clear_err_unit (default 256).")
    Integer clearErrUnit;

    @Override
    public Integer call() throws Exception {
        credentials.requireAdmin("ndctl create-namespace");
        NamespaceMode m;
        try {
            m = mode == null ? NamespaceMode.FSDAX : NamespaceMode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw new UserException("invalid mode '" + mode + "' (expected fsdax, raw or devdax)", ExitCodes.USAGE);
        }
        Home home = homeOption.home();
        if (reconfig != null) {
            return reconfigure(home, m);
        }
        if (size == null) {
            throw new UserException("missing --size: pmemfs namespaces have no region to fill; give one, e.g. --size 64m",
                    ExitCodes.USAGE);
        }
        long bytes = ByteSize.parse("size", size);
        NamespaceConfig cfg;
        try {
            cfg = new NamespaceConfig(bytes, m, home.nextId(),
                    clearErrUnit == null ? NamespaceConfig.DEFAULT_CLEAR_ERR_UNIT : clearErrUnit, 0);
        } catch (IllegalArgumentException e) {
            throw new UserException("cannot create a " + m.ndctlName() + " namespace: " + e.getMessage(), ExitCodes.USAGE);
        }
        try (Namespace ns = home.create(cfg)) {
            spec.commandLine().getOut().println(JsonC.pretty(NamespaceJson.of(ns, false, human)));
        }
        return 0;
    }

    private int reconfigure(Home home, NamespaceMode m) throws UserException {
        if (size != null || clearErrUnit != null) {
            throw new UserException("--size and --clear-err-unit cannot change when reconfiguring " + reconfig, ExitCodes.USAGE);
        }
        int id = Home.idOf(reconfig);
        if (!home.exists(reconfig)) {
            throw new UserException(reconfig + ": no such namespace in " + home.dir());
        }
        if (!force) {
            throw new UserException(reconfig + " is active, specify --force for re-configuration", ExitCodes.USAGE);
        }
        try (Namespace ns = home.open(reconfig)) {
            ns.config().withMode(m);
        } catch (IllegalArgumentException e) {
            throw new UserException("cannot reconfigure " + reconfig + " as " + m.ndctlName() + ": " + e.getMessage());
        }
        try {
            Namespace.reconfigure(home.imagePath(id), m);
        } catch (IOException e) {
            throw new UserException("cannot reconfigure " + reconfig + ": " + e.getMessage());
        }
        try (Namespace ns = home.open(reconfig)) {
            spec.commandLine().getOut().println(JsonC.pretty(NamespaceJson.of(ns, false, human)));
        }
        return 0;
    }
}
