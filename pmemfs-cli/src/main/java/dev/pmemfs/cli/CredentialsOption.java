package dev.pmemfs.cli;

import dev.pmemfs.vfs.Credentials;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Who runs a command: {@code --user UID[:GID]} and {@code --cap CAP,...}; by default root, as from a
 * root shell. A non-root user has only the capabilities named. Every command that touches a namespace
 * takes it, so the privilege each operation needs can be seen and tried.
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

    /**
     * The credentials, when they are an administrator's (root, or CAP_SYS_ADMIN): what ndctl's commands
     * that change a namespace or its media need, since they drive the platform firmware and take
     * namespaces offline.
     */
    public Credentials requireAdmin(String what) throws UserException {
        Credentials c = credentials();
        if (c.uid() != 0 && !c.has(Credentials.Capability.CAP_SYS_ADMIN)) {
            throw new UserException(what + ": Operation not permitted: needs an administrator (root or CAP_SYS_ADMIN); "
                    + "uid " + c.uid() + " has neither");
        }
        return c;
    }
}
