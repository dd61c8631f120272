package dev.pmemfs.cli;

import java.util.Locale;

/**
 * Sizes and counts as ndctl's {@code parse_size64} reads them: decimal or {@code 0x} hex, with an
 * optional binary suffix k, m, g or t (either case); anything else is invalid.
 */
public final class ByteSize {
    private ByteSize() {}

    /** The value, or -1 when {@code text} is not a valid size. */
    public static long parseOrInvalid(String text) {
        if (text == null) {
            return -1;
        }
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            return -1;
        }
        int shift = 0;
        char last = s.charAt(s.length() - 1);
        switch (last) {
            case 'k' -> shift = 10;
            case 'm' -> shift = 20;
            case 'g' -> shift = 30;
            case 't' -> shift = 40;
            default -> shift = 0;
        }
        if (shift != 0) {
            s = s.substring(0, s.length() - 1);
        }
        long v;
        try {
            v = s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
        if (v < 0 || (shift > 0 && v > (Long.MAX_VALUE >> shift))) {
            return -1;
        }
        return v << shift;
    }

    /** The value; UserException naming {@code what} when invalid. */
    public static long parse(String what, String text) throws UserException {
        long v = parseOrInvalid(text);
        if (v < 0) {
            throw new UserException("Invalid " + what + ": " + text
                    + " (expected a number, optionally 0x hex, with an optional k, m, g or t suffix)", ExitCodes.USAGE);
        }
        return v;
    }
}
