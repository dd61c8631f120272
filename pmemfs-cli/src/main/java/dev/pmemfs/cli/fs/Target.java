package dev.pmemfs.cli.fs;

import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.Home;
import dev.pmemfs.cli.UserException;

/**
 * A file inside a namespace's filesystem, written {@code NS:/path} ("namespace0.0:/dir/file",
 * "pmem0:/"), parsed once.
 */
public record Target(String namespace, String path) {
    /** Whether {@code arg} is written as NS:/path with a namespace name before the colon. */
    public static boolean looksLike(String arg) {
        int colon = arg.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        try {
            Home.idOf(arg.substring(0, colon));
            return true;
        } catch (UserException e) {
            return false;
        }
    }

    public static Target parse(String arg) throws UserException {
        int colon = arg.indexOf(':');
        if (colon <= 0) {
            throw new UserException("'" + arg + "' is not NS:/path (for example namespace0.0:/file)", ExitCodes.USAGE);
        }
        String ns = arg.substring(0, colon);
        Home.idOf(ns);
        String path = arg.substring(colon + 1);
        if (!path.startsWith("/")) {
            throw new UserException("'" + arg + "': the path after the colon must be absolute (start with /)",
                    ExitCodes.USAGE);
        }
        return new Target(ns, path);
    }
}
