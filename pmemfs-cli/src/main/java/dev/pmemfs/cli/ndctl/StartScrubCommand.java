package dev.pmemfs.cli.ndctl;

import dev.pmemfs.cli.Home;
import dev.pmemfs.cli.CredentialsOption;
import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.media.Namespace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ndctl start-scrub [BUS]}: starts an address range scrub of every namespace on the bus and
 * prints the bus with {@code "scrub_state":"active"} (reference §8.3). Each pmemfs command is its own
 * process, so the scrub also completes before this command exits: a following {@code wait-scrub}
 * finds the bus idle, with every latent error known and in badblocks.
 */
@Command(name = "start-scrub", mixinStandardHelpOptions = true, description = "Start an address range scrub.")
final class StartScrubCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HomeOption homeOption;

    @Mixin
    CredentialsOption credentials;

    @Parameters(arity = "0..*", paramLabel = "BUS", description = "ndbus0, nfit_test.0 or all (default).")
    List<String> buses = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        credentials.requireAdmin("ndctl start-scrub");
        ScrubJson.checkBuses(buses);
        Home home = homeOption.home();
        List<Namespace> open = new ArrayList<>();
        try {
            for (String n : home.names()) {
                open.add(home.open(n));
            }
            for (Namespace ns : open) {
                ns.startScrub();
            }
            spec.commandLine().getOut().println(JsonC.displayArray(ScrubJson.bus("active"), false));
            for (Namespace ns : open) {
                ns.waitScrub();
            }
        } finally {
            for (Namespace ns : open) {
                ns.close();
            }
        }
        return 0;
    }
}
