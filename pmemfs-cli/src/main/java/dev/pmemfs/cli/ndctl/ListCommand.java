package dev.pmemfs.cli.ndctl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.pmemfs.cli.Home;
import dev.pmemfs.cli.CredentialsOption;
import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.media.Namespace;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ndctl list [-R] [-N] [-M] [-n NS] [-u]}: namespace and region objects (reference §8.2). As
 * ndctl: with no object type asked for, namespaces are listed ({@code -N} is the default); {@code -R}
 * lists regions instead, and {@code -R -N} lists regions with their namespaces nested under
 * {@code "namespaces"}. Disabled ones are left out unless {@code -i} asks for them ({@code "state":"disabled"}). Printed as {@code util_display_json_array} does: an array, except one object
 * with {@code -u}; nothing at all when there is nothing to list.
 */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List namespaces as JSON.")
final class ListCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HomeOption homeOption;

    @Mixin
    CredentialsOption credentials;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Only this namespace.")
    String namespace;

    @Option(names = {"-M", "--media-errors"}, description = "Include the badblocks array.")
    boolean mediaErrors;

    @Option(names = {"-N", "--namespaces"}, description = "List namespaces (the default when no type is given; nested in regions with -R).")
    boolean namespaces;

    @Option(names = {"-R", "--regions"}, description = "List regions (with -N: their namespaces nested).")
    boolean regions;

    @Option(names = {"-u", "--human"}, description = "Human-friendly number formats.")
    boolean human;

    @Option(names = {"-i", "--idle"}, description = "Include disabled (idle) regions and namespaces.")
    boolean idle;

    @Override
    public Integer call() throws Exception {
        Home home = homeOption.home();
        List<String> names;
        if (namespace != null) {
            Home.idOf(namespace);
            if (!home.exists(namespace)) {
                throw new UserException(namespace + ": no such namespace in " + home.dir());
            }
            names = List.of("namespace" + Home.idOf(namespace) + ".0");
        } else {
            names = home.names();
        }
        if (names.isEmpty()) {
            return 0;
        }
        ArrayNode arr = JsonC.array();
        for (String n : names) {
            try (Namespace ns = home.open(n)) {
                if (!regions) {
                    if (idle || ns.enabled()) {
                        arr.add(NamespaceJson.of(ns, mediaErrors, human));
                    }
                    continue;
                }
                if (!idle && !ns.regionEnabled()) {
                    continue;
                }
                ArrayNode nested = null;
                if (namespaces && (idle || ns.enabled())) {
                    nested = JsonC.array();
                    nested.add(NamespaceJson.of(ns, mediaErrors, human));
                }
                arr.add(RegionJson.of(ns, mediaErrors, human, nested));
            }
        }
        if (arr.isEmpty()) {
            return 0;
        }
        spec.commandLine().getOut().println(JsonC.displayArray(arr, human));
        return 0;
    }
}
