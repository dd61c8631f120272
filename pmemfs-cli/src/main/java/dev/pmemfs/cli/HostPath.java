package dev.pmemfs.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * A path on the host, as the user typed it. Text the host cannot use as a path (a NUL byte, or bytes
 * that are not valid in the file-name encoding) is a usage error in one line, not an
 * {@link InvalidPathException} escaping as an internal error. Registered as picocli's converter for
 * every {@link Path} option and parameter; commands that take a host path as text call {@link #parse}.
 */
public final class HostPath {
    private HostPath() {}

    /** The path; UserException (usage) naming the text and why the host refuses it. */
    public static Path parse(String text) throws UserException {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new UserException("'" + text + "' is not a usable host path: " + e.getReason(), ExitCodes.USAGE);
        }
    }

    /** picocli's converter: the same check, reported as "Invalid value for option '--out': ...". */
    static Path convert(String text) {
        try {
            return parse(text);
        } catch (UserException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
