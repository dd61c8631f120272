package dev.pmemfs.cli.ndctl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.UserException;
import java.util.List;

/** The bus objects start-scrub and wait-scrub print ({@code util_bus_to_json}), and their bus filter. */
final class ScrubJson {
    private ScrubJson() {}

    static ArrayNode bus(String state) {
        ArrayNode arr = JsonC.array();
        ObjectNode o = arr.addObject();
        o.put("provider", NdctlCommand.PROVIDER);
        o.put("dev", NdctlCommand.BUS);
        o.put("scrub_state", state);
        return arr;
    }

    /** Accepts no filter, "all", the bus name or the provider; anything else names no bus. */
    static void checkBuses(List<String> buses) throws UserException {
        for (String b : buses) {
            if (!b.equals("all") && !b.equals(NdctlCommand.BUS) && !b.equals(NdctlCommand.PROVIDER) && !b.equals("0")) {
                throw new UserException("no such bus '" + b + "' (the emulated platform has one: "
                        + NdctlCommand.BUS + ", provider " + NdctlCommand.PROVIDER + ")", ExitCodes.USAGE);
            }
        }
    }
}
