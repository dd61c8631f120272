package dev.pmemfs.cli.ndctl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pmemfs.cli.CredentialsOption;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.Home;
import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceMode;
import dev.pmemfs.media.PoisonRange;
import dev.pmemfs.media.ScrubState;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The bus commands ndctl itself sends for error handling ({@code ND_CMD_ARS_CAP}, {@code ND_CMD_ARS_START},
 * {@code ND_CMD_ARS_STATUS}, {@code ND_CMD_CLEAR_ERROR} on {@code /dev/ndctl0}; what ndctl's
 * test/daxdev-errors.c does and what {@code ndctl clear-errors} is built from), one command each, with the
 * kernel's rules (drivers/nvdimm/bus.c {@code __nd_ioctl}, {@code nd_cmd_clear_to_send}; reference §1.3,
 * §1.6). Addresses are byte offsets in the region (each pmemfs region holds one namespace, so region
 * offset = namespace offset; the kernel takes system physical addresses). Output is the command's
 * output structure as JSON.
 *
 * <p>Where pmemfs departs from the kernel, on purpose: the kernel's EBUSY check for a clear compares an
 * enabled namespace with {@code [address, address + cleared)} using the {@code cleared} field the
 * caller passes in (libndctl passes 0, so through ndctl the check never fires); pmemfs applies the
 * check's intent to the requested length: clearing a range that holds a whole enabled raw or fsdax
 * namespace is EBUSY ("require clear error to go through the pmem driver"). And a bus clear drops the
 * region's and the namespace's badblocks at once, where Linux rebuilds the namespace's list only at
 * the next enable.
 */
final class BusCommands {
    private BusCommands() {}

    /** The region argument and the range every bus command takes. */
    static final class Target {
        @Mixin
        HomeOption homeOption;

        @Mixin
        CredentialsOption credentials;

        @Parameters(index = "0", paramLabel = "REGION", description = "regionN (or its namespaceN.0, pmemN).")
        String region;

        @Option(names = {"-a", "--address"}, paramLabel = "ADDR", description = "Start, a byte offset in the region (decimal or 0x hex).")
        String address;

        @Option(names = {"-l", "--length"}, paramLabel = "LEN", description = "Length in bytes (decimal or 0x hex).")
        String length;

        Namespace open(String what) throws UserException {
            credentials.requireAdmin("ndctl " + what);
            Home home = homeOption.home();
            String ns = "namespace" + Home.idOf(region) + ".0";
            if (!home.exists(ns)) {
                throw new UserException(region + ": no such region in " + home.dir());
            }
            return home.open(ns);
        }

        /** {address, length}: as given (both, or neither for the whole region), inside the region. */
        long[] range(Namespace ns, String what, boolean required) throws UserException {
            if (address == null && length == null && !required) {
                return new long[] {0, ns.size()};
            }
            if (address == null || length == null) {
                throw new UserException(what + ": --address and --length go together" + (required ? " and are required" : ""),
                        ExitCodes.USAGE);
            }
            long a = InjectErrorCommand.strtoull(address);
            long l = InjectErrorCommand.strtoull(length);
            if (a < 0) {
                throw new UserException(what + ": Invalid address: '" + address + "'", ExitCodes.USAGE);
            }
            if (l <= 0) {
                throw new UserException(what + ": Invalid length: '" + length + "' (bytes, more than 0)", ExitCodes.USAGE);
            }
            if (a >= ns.size() || l > ns.size() - a) {
                throw new UserException(String.format("%s: %s: Invalid argument: address %#x length %#x is not inside "
                        + "the region (%#x bytes)", what, ns.regionName(), a, l, ns.size()));
            }
            return new long[] {a, l};
        }
    }

    private static ObjectNode header(long[] r) {
        ObjectNode o = JsonC.object();
        o.put("address", r[0]);
        o.put("length", r[1]);
        return o;
    }

    @Command(name = "ars-cap", mixinStandardHelpOptions = true,
            description = "ARS Capabilities (ND_CMD_ARS_CAP): the scrub types, clear unit and output size for a range.")
    static final class ArsCap implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Target target;

        @Override
        public Integer call() throws Exception {
            try (Namespace ns = target.open("ars-cap")) {
                long[] r = target.range(ns, "ars-cap", false);
                long records = ns.poisonRecords(r[0], r[1]).size();
                ObjectNode o = header(r);
                o.put("status", 0);
                o.putArray("ars_types").add("persistent");
                o.put("clear_err_unit", ns.clearErrUnit());
                // the ARS Status output that holds every record the platform has for the range
                o.put("max_ars_out", ArsStatus.HEADER_BYTES + ArsStatus.RECORD_BYTES * records);
                spec.commandLine().getOut().println(JsonC.pretty(o));
            }
            return 0;
        }
    }

    @Command(name = "ars-start", mixinStandardHelpOptions = true,
            description = "ARS Start (ND_CMD_ARS_START): scrub a range (default: the whole region); latent errors there become known.")
    static final class ArsStart implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Target target;

        @Override
        public Integer call() throws Exception {
            try (Namespace ns = target.open("ars-start")) {
                long[] r = target.range(ns, "ars-start", false);
                if (ns.scrubState() == ScrubState.ACTIVE) {
                    throw new ErrnoException(Errno.EBUSY, "ars_start", ns.regionName() + ": a scrub is in progress");
                }
                ns.scrub(r[0], r[1]);
                ObjectNode o = header(r);
                o.put("type", "persistent");
                o.put("status", 0);
                // pmemfs's scrub completes within the command
                o.put("scrub_time", 0);
                spec.commandLine().getOut().println(JsonC.pretty(o));
            }
            return 0;
        }
    }

    @Command(name = "ars-status", mixinStandardHelpOptions = true,
            description = "ARS Status (ND_CMD_ARS_STATUS): the error records the platform reports for the region.")
    static final class ArsStatus implements Callable<Integer> {
        /** nd_cmd_ars_status before its records, and one nd_ars_record. */
        static final long HEADER_BYTES = 48;
        static final long RECORD_BYTES = 24;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        HomeOption homeOption;

        @Mixin
        CredentialsOption credentials;

        @Parameters(index = "0", paramLabel = "REGION", description = "regionN (or its namespaceN.0, pmemN).")
        String region;

        @Override
        public Integer call() throws Exception {
            Target t = new Target();
            t.homeOption = homeOption;
            t.credentials = credentials;
            t.region = region;
            try (Namespace ns = t.open("ars-status")) {
                ObjectNode o = JsonC.object();
                o.put("status", 0);
                o.put("address", 0);
                o.put("length", ns.size());
                o.put("restart_address", 0);
                o.put("restart_length", 0);
                o.put("type", "persistent");
                ArrayNode recs = JsonC.array();
                for (PoisonRange p : ns.poisonRecords()) {
                    if (p.known()) {
                        ObjectNode e = recs.addObject();
                        e.put("handle", 0);
                        e.put("err_address", p.range().offset());
                        e.put("length", p.range().length());
                    }
                }
                o.put("num_records", recs.size());
                o.set("records", recs);
                spec.commandLine().getOut().println(JsonC.pretty(o));
            }
            return 0;
        }
    }

    @Command(name = "clear-error", mixinStandardHelpOptions = true,
            description = "Clear Uncorrectable Error (ND_CMD_CLEAR_ERROR) over a clear-unit aligned range; prints the bytes cleared.")
    static final class ClearError implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Target target;

        @Override
        public Integer call() throws Exception {
            try (Namespace ns = target.open("clear-error")) {
                long[] r = target.range(ns, "clear-error", true);
                int unit = ns.clearErrUnit();
                if (((r[0] | r[1]) & (unit - 1)) != 0) {
                    throw new UserException(String.format("clear-error: %s: request unaligned: address %#x and length %#x "
                            + "must be multiples of clear_err_unit %d (see 'pmemfs ndctl ars-cap')", ns.regionName(), r[0], r[1], unit));
                }
                // nd_cmd_clear_to_send: "require clear error to go through the pmem driver"
                if (ns.enabled() && ns.mode() != NamespaceMode.DEVDAX && r[0] == 0 && r[1] == ns.size()) {
                    throw new ErrnoException(Errno.EBUSY, "clear_error", ns.name() + " is enabled and lies wholly inside "
                            + String.format("%#x+%#x", r[0], r[1]) + ": clear its errors through the pmem driver (write the "
                            + "blocks), or 'pmemfs ndctl disable-namespace " + ns.name() + "' first");
                }
                long cleared;
                try {
                    cleared = ns.clearPoison(r[0], r[1]);
                } catch (ErrnoException e) {
                    throw new UserException("clear-error: " + ns.regionName() + ": " + e.getMessage());
                }
                ObjectNode o = header(r);
                o.put("status", 0);
                o.put("cleared", cleared);
                spec.commandLine().getOut().println(JsonC.pretty(o));
            }
            return 0;
        }
    }
}
