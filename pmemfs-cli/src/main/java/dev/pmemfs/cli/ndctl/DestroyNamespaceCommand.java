package dev.pmemfs.cli.ndctl;

import dev.pmemfs.cli.Home;
import dev.pmemfs.cli.CredentialsOption;
import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.UserException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ndctl destroy-namespace NS|all [-f]}: deletes namespace images; reports "destroyed N
 * namespace(s)". As ndctl's namespace_destroy, an active (enabled) namespace is destroyed only with
 * {@code --force}: without it the command refuses with EBUSY and destroys nothing; a namespace that
 * {@code disable-namespace} took offline needs no {@code --force}. A namespace someone has open is refused even with
 * {@code -f} (ndctl: "is mounted"; here the owner lock names the holder).
 */
@Command(name = "destroy-namespace", mixinStandardHelpOptions = true, description = "Destroy a namespace (or all).")
final class DestroyNamespaceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HomeOption homeOption;

    @Mixin
    CredentialsOption credentials;

    @Parameters(index = "0", paramLabel = "NS", description = "namespaceN.0, or 'all'.")
    String name;

    @Option(names = {"-f", "--force"}, description = "Destroy even though the namespace is active (enabled), as ndctl requires.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        credentials.requireAdmin("ndctl destroy-namespace");
        Home home = homeOption.home();
        List<String> victims;
        if (name.equals("all")) {
            victims = home.names();
        } else {
            Home.idOf(name);
            if (!home.exists(name)) {
                throw new UserException(name + ": no such namespace in " + home.dir());
            }
            victims = List.of(name);
        }
        if (!force) {
            for (String v : victims) {
                boolean active;
                try (dev.pmemfs.media.Namespace ns = home.open(v)) {
                    active = ns.enabled();
                }
                if (active) {
                    throw new UserException(v + " is active, specify --force for re-configuration "
                            + "(error destroying namespaces: Device or resource busy; destroyed 0 namespaces)");
                }
            }
        }
        for (String v : victims) {
            home.destroy(v);
        }
        spec.commandLine().getErr().println("destroyed " + victims.size() + " namespace" + (victims.size() == 1 ? "" : "s"));
        return 0;
    }
}
