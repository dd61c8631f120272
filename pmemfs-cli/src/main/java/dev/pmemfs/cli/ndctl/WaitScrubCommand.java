package dev.pmemfs.cli.ndctl;

import dev.pmemfs.cli.CredentialsOption;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.UserException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ndctl wait-scrub [BUS]}: waits until no scrub runs and prints the bus with
 * {@code "scrub_state":"idle"}. Scrubs finish within the command that started them (see
 * start-scrub), so there is never anything left to wait for across processes.
 */
@Command(name = "wait-scrub", mixinStandardHelpOptions = true, description = "Wait for an address range scrub to finish.")
final class WaitScrubCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HomeOption homeOption;

    @Mixin
    CredentialsOption credentials;

    @Parameters(arity = "0..*", paramLabel = "BUS", description = "ndbus0, nfit_test.0 or all (default).")
    List<String> buses = new ArrayList<>();

    @Option(names = {"-p", "--poll"}, paramLabel = "SECONDS",
            description = "Refused: a scrub ends within the start-scrub that began it, so there is nothing to poll.")
    String poll;

    @Override
    public Integer call() throws Exception {
        if (poll != null) {
            // ndctl polls the bus scrub attribute every -p seconds while a scrub runs; here no scrub
            // outlives its start-scrub command, so an interval would change nothing: say so.
            throw new UserException("wait-scrub: -p/--poll is not supported: a scrub finishes within the start-scrub "
                    + "that began it, so there is never one to poll; run wait-scrub without -p", ExitCodes.USAGE);
        }
        ScrubJson.checkBuses(buses);
        homeOption.home();
        spec.commandLine().getOut().println(JsonC.displayArray(ScrubJson.bus("idle"), false));
        return 0;
    }
}
