package dev.pmemfs.cli.ndctl;

import dev.pmemfs.cli.Home;
import dev.pmemfs.cli.CredentialsOption;
import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.ClearErrors;
import dev.pmemfs.media.Namespace;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ndctl clear-errors NS [--scrub]}: with the namespace offline, sends Clear Uncorrectable Error
 * for every region badblocks entry wholly inside the data area, then prints the namespace with its
 * media errors (ndctl/namespace.c; reference §8.4). {@code --scrub} runs a scrub first so that latent
 * errors are cleared too. The data of cleared blocks stays what the poison left ("platform defined").
 */
@Command(name = "clear-errors", mixinStandardHelpOptions = true, description = "Clear the known media errors of a namespace.")
final class ClearErrorsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HomeOption homeOption;

    @Mixin
    CredentialsOption credentials;

    @Parameters(index = "0", paramLabel = "NS", description = "The namespace (namespaceN.0).")
    String name;

    @Option(names = {"-s", "--scrub"}, description = "Scrub first, to find latent errors too.")
    boolean scrub;

    @Override
    public Integer call() throws Exception {
        credentials.requireAdmin("ndctl clear-errors");
        Home home = homeOption.home();
        Home.idOf(name);
        if (!home.exists(name)) {
            throw new UserException(name + ": no such namespace in " + home.dir());
        }
        try (Namespace ns = home.open(name)) {
            if (scrub) {
                ns.startScrub();
            }
            ns.waitScrub();
            try {
                ClearErrors.run(ns);
            } catch (ErrnoException e) {
                throw new UserException(name + ": " + e.getMessage());
            }
            spec.commandLine().getOut().println(JsonC.pretty(NamespaceJson.of(ns, true, false)));
        }
        spec.commandLine().getErr().println("cleared 1 namespace");
        return 0;
    }
}
