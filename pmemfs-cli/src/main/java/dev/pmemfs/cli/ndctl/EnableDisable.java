package dev.pmemfs.cli.ndctl;

import dev.pmemfs.cli.CredentialsOption;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.Home;
import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.Namespace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ndctl disable-region|enable-region|disable-namespace|enable-namespace}: whether a region and
 * its namespace are enabled, kept in the namespace image so that every later command sees it
 * (ndctl/region.c, ndctl/namespace.c; reference §1.2, §9.1). A disabled namespace has no driver: every
 * command that needs {@code /dev/pmemN} or the filesystem is refused with one line saying how to
 * enable it. Enabling is a probe: the driver's badblocks are read again from the platform's error
 * records ({@code nvdimm_badblocks_populate}), so errors cleared through the firmware stay gone and
 * errors the platform still reports come back; for fsdax and devdax the errors in the memmap
 * reservation are cleared ({@code nd_pfn_clear_memmap_errors}, ndctl test/pfn-meta-errors.sh), and when
 * the firmware cannot clear them the namespace stays disabled. Disabling a region disables its
 * namespace; enabling it enables both, as ndctl's region commands act on every namespace below.
 */
final class EnableDisable {
    private EnableDisable() {}

    /** What one command does to one namespace: whether it counts ("enabled N namespaces"). */
    private interface Action {
        boolean apply(Namespace ns) throws UserException;
    }

    /** The namespaces {@code target} names: "all", "regionN"/"N" (regions) or "namespaceN.0" (namespaces). */
    private static List<String> select(Home home, String target, boolean region, String verb) throws UserException {
        if (target.equals("all")) {
            return home.names();
        }
        String name = target;
        if (region && target.matches("\\d{1,9}")) {
            name = "region" + target;
        }
        if (region != name.startsWith("region")) {
            throw new UserException("'" + target + "' is not a " + (region ? "region (regionN, N or all)"
                    : "namespace (namespaceN.0 or all)"), ExitCodes.USAGE);
        }
        String ns = "namespace" + Home.idOf(name) + ".0";
        if (!home.exists(ns)) {
            throw new UserException(target + ": no such " + (region ? "region" : "namespace") + " in " + home.dir()
                    + " (error " + verb.replaceAll("e$", "") + "ing " + (region ? "regions" : "namespaces")
                    + ": No such device or address)");
        }
        return List.of(ns);
    }

    private static int run(CommandLine.Model.CommandSpec spec, HomeOption homeOption, CredentialsOption credentials,
            List<String> targets, boolean region, String verb, Action action) throws UserException {
        credentials.requireAdmin("ndctl " + verb + "-" + (region ? "region" : "namespace"));
        Home home = homeOption.home();
        List<String> names = new ArrayList<>();
        for (String t : targets) {
            for (String n : select(home, t, region, verb)) {
                if (!names.contains(n)) {
                    names.add(n);
                }
            }
        }
        int done = 0;
        String noun = region ? "region" : "namespace";
        try {
            for (String n : names) {
                try (Namespace ns = home.open(n)) {
                    if (action.apply(ns)) {
                        done++;
                    }
                }
            }
        } catch (UserException e) {
            throw new UserException(e.getMessage() + " (" + verb + "d " + done + " " + noun + (done == 1 ? "" : "s") + ")",
                    e.exitCode());
        }
        spec.commandLine().getErr().println(verb + "d " + done + " " + noun + (done == 1 ? "" : "s"));
        return 0;
    }

    /** The probe at enable: error records re-read, memmap errors cleared; a failure leaves the namespace disabled. */
    private static void probe(Namespace ns, boolean region) throws UserException {
        try {
            ns.revalidateBadblocks();
            ns.clearMemmapErrors();
        } catch (ErrnoException e) {
            ns.setEnabled(region || ns.regionEnabled(), false);
            throw new UserException(ns.name() + ": probe failed, the namespace stays disabled: " + e.getMessage());
        }
        ns.setEnabled(true, true);
    }

    /** What the four commands share: the home, the caller's credentials and picocli's spec (for output). */
    abstract static class Toggle implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        HomeOption homeOption;

        @Mixin
        CredentialsOption credentials;
    }

    @Command(name = "disable-region", mixinStandardHelpOptions = true,
            description = "Disable regions and their namespaces (the driver lets go; the error records stay with the platform).")
    static final class DisableRegion extends Toggle {
        @Parameters(arity = "1..*", paramLabel = "REGION", description = "regionN, N, or all.")
        List<String> regions;

        @Override
        public Integer call() throws Exception {
            return run(spec, homeOption, credentials, regions, true, "disable",
                    ns -> {
                        ns.setEnabled(false, ns.namespaceEnabled());
                        return true;
                    });
        }
    }

    @Command(name = "enable-region", mixinStandardHelpOptions = true,
            description = "Enable regions and their namespaces (a probe: badblocks re-read from the platform's error records).")
    static final class EnableRegion extends Toggle {
        @Parameters(arity = "1..*", paramLabel = "REGION", description = "regionN, N, or all.")
        List<String> regions;

        @Override
        public Integer call() throws Exception {
            return run(spec, homeOption, credentials, regions, true, "enable", ns -> {
                if (!ns.enabled()) {
                    probe(ns, true);
                }
                return true;
            });
        }
    }

    @Command(name = "disable-namespace", mixinStandardHelpOptions = true,
            description = "Disable namespaces (no /dev/pmemN until enabled again).")
    static final class DisableNamespace extends Toggle {
        @Parameters(arity = "1..*", paramLabel = "NS", description = "namespaceN.0, or all.")
        List<String> namespaces;

        @Override
        public Integer call() throws Exception {
            return run(spec, homeOption, credentials, namespaces, false, "disable",
                    ns -> {
                        if (!ns.regionEnabled()) {
                            return false; // no namespace device exists below a disabled region
                        }
                        ns.setEnabled(true, false);
                        return true;
                    });
        }
    }

    @Command(name = "enable-namespace", mixinStandardHelpOptions = true,
            description = "Enable namespaces (a probe: badblocks re-read from the platform's error records).")
    static final class EnableNamespace extends Toggle {
        @Parameters(arity = "1..*", paramLabel = "NS", description = "namespaceN.0, or all.")
        List<String> namespaces;

        @Override
        public Integer call() throws Exception {
            return run(spec, homeOption, credentials, namespaces, false, "enable", ns -> {
                if (!ns.regionEnabled()) {
                    if (namespaces.contains("all")) {
                        return false; // "all" means the namespaces that exist: none below a disabled region
                    }
                    throw new UserException(ns.name() + ": " + ns.regionName() + " is disabled, so the namespace does "
                            + "not exist; 'pmemfs ndctl enable-region " + ns.regionName() + "' enables both");
                }
                if (!ns.namespaceEnabled()) {
                    probe(ns, false);
                }
                return true;
            });
        }
    }
}
