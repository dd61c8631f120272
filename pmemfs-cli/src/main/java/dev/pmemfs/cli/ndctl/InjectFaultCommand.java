package dev.pmemfs.cli.ndctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pmemfs.cli.CredentialsOption;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.Home;
import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.media.ClearFault;
import dev.pmemfs.media.Namespace;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ndctl inject-fault NS}: the emulated firmware's Clear Uncorrectable Error behaviour and clear
 * unit, set persistently for the namespace as nfit_test's module parameters are set for the module
 * (tools/testing/nvdimm/test/nfit.c; reference §1.2, §1.3): {@code --clear-fails} makes every clear
 * fail, {@code --clear-limit BYTES} makes each clear clear at most that many bytes ("poison cleared
 * only N out of M bytes"), {@code --uninject} restores full clears, {@code --clear-err-unit} sets what
 * ARS Capabilities reports. Named after ndctl's {@code inject-error}/{@code inject-smart}; prints the
 * settings as JSON, as inject-smart prints the health it set.
 */
@Command(name = "inject-fault", mixinStandardHelpOptions = true,
        description = "Set the emulated firmware's clear-error behaviour and clear unit (persistent, as nfit_test's module parameters).")
final class InjectFaultCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HomeOption homeOption;

    @Mixin
    CredentialsOption credentials;

    @Parameters(index = "0", paramLabel = "NS", description = "The namespace (namespaceN.0).")
    String name;

    @Option(names = "--clear-fails", description = "Every Clear Uncorrectable Error fails (the DSM returns an error).")
    boolean fails;

    @Option(names = "--clear-limit", paramLabel = "BYTES",
            description = "Each Clear Uncorrectable Error clears at most BYTES (rounded down to the clear unit; 0 clears nothing).")
    String limit;

    @Option(names = {"-U", "--uninject"}, description = "Clears clear everything asked again.")
    boolean uninject;

    @Option(names = "--clear-err-unit", paramLabel = "BYTES",
            description = "The clear_err_unit ARS Capabilities reports (a power of two, 8 to 4096).")
    String unit;

    @Override
    public Integer call() throws Exception {
        credentials.requireAdmin("ndctl inject-fault");
        if ((fails ? 1 : 0) + (limit != null ? 1 : 0) + (uninject ? 1 : 0) > 1) {
            throw new UserException("--clear-fails, --clear-limit and --uninject exclude each other", ExitCodes.USAGE);
        }
        long lim = 0;
        if (limit != null) {
            lim = InjectErrorCommand.strtoull(limit);
            if (lim < 0) {
                throw new UserException("Invalid --clear-limit: '" + limit + "' (bytes: decimal, 0x hex or 0 octal)",
                        ExitCodes.USAGE);
            }
        }
        long u = -1;
        if (unit != null) {
            u = InjectErrorCommand.strtoull(unit);
            if (u < 8 || u > 4096 || Long.bitCount(u) != 1) {
                throw new UserException("Invalid --clear-err-unit: '" + unit + "' (a power of two from 8 to 4096 bytes)",
                        ExitCodes.USAGE);
            }
        }
        Home home = homeOption.home();
        Home.idOf(name);
        if (!home.exists(name)) {
            throw new UserException(name + ": no such namespace in " + home.dir());
        }
        try (Namespace ns = home.open(name)) {
            ClearFault fault = ns.firmwareClearFault();
            if (fails) {
                fault = new ClearFault.Fail();
            } else if (limit != null) {
                fault = new ClearFault.Partial(lim);
            } else if (uninject) {
                fault = ClearFault.NONE;
            }
            int newUnit = u < 0 ? ns.clearErrUnit() : (int) u;
            if (!fault.equals(ns.firmwareClearFault()) || newUnit != ns.clearErrUnit()) {
                ns.configureFirmware(newUnit, fault);
            }
            spec.commandLine().getOut().println(JsonC.pretty(json(ns)));
        }
        return 0;
    }

    /** {@code {"dev", "clear_err_unit", "clear_error": "ok"|"fails"|"limited", "clear_limit"}}. */
    static ObjectNode json(Namespace ns) {
        ObjectNode o = JsonC.object();
        o.put("dev", ns.name());
        o.put("clear_err_unit", ns.clearErrUnit());
        switch (ns.firmwareClearFault()) {
            case ClearFault.None n -> o.put("clear_error", "ok");
            case ClearFault.Fail f -> o.put("clear_error", "fails");
            case ClearFault.Partial p -> {
                o.put("clear_error", "limited");
                o.put("clear_limit", p.limitBytes());
            }
        }
        return o;
    }
}
