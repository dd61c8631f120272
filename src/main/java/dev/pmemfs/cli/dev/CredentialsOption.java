package dev.pmemfs.cli.dev;

import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.vfs.Credentials;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Who runs a {@code dev} command: {@code --user UID[:GID]} and {@code --cap CAP,...}; by default root,
 * as from a root shell. A non-root user has only the capabilities named.
 */
public final class CredentialsOption {
    @Option(names = "--user", paramLabel = "UID[:GID]", description = "Run as this user (default: root).")
    String user;

    @Option(names = "--cap", paramLabel = "CAP", split = ",",
            description = "Capabilities of that user, e.g. CAP_SYS_RAWIO (default: none for non-root).")
    java.util.List<String> caps;

    public Credentials credentials() throws UserException {
        int uid = 0;
        int gid = 0;
        if (user != null) {
            String[] parts = user.split(":", -1);
            try {
                uid = Integer.parseInt(parts[0]);
                gid = parts.length > 1 ? Integer.parseInt(parts[1]) : uid;
            } catch (NumberFormatException e) {
                throw new UserException("--user '" + user + "' is not UID[:GID] (numbers)", ExitCodes.USAGE);
            }
            if (parts.length > 2 || uid < 0 || gid < 0) {
                throw new UserException("--user '" + user + "' is not UID[:GID]", ExitCodes.USAGE);
            }
        }
        Set<Credentials.Capability> set = EnumSet.noneOf(Credentials.Capability.class);
        if (caps != null) {
            for (String c : caps) {
                String n = c.strip().toUpperCase(Locale.ROOT);
                if (!n.startsWith("CAP_")) {
                    n = "CAP_" + n;
                }
                try {
                    set.add(Credentials.Capability.valueOf(n));
                } catch (IllegalArgumentException e) {
                    throw new UserException("unknown capability '" + c + "' (known: "
                            + java.util.Arrays.toString(Credentials.Capability.values()) + ")", ExitCodes.USAGE);
                }
            }
        }
        if (uid == 0) {
            return new Credentials(0, gid, Set.of(), EnumSet.allOf(Credentials.Capability.class));
        }
        return new Credentials(uid, gid, Set.of(), set);
    }
}
