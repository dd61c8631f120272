package dev.pmemfs.pmem;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;

/**
 * The parse rules of {@code badblocks_store} (block/badblocks.c; reference §2.3):
 * {@code sscanf(page, "%llu %d%c", &sector, &length, &newline)}; fewer than two fields → EINVAL, a
 * third field that is not {@code '\n'} → EINVAL, {@code length <= 0} → EINVAL.
 *
 * <p>Follows the kernel's vsscanf: numeric conversions skip leading white space; {@code %llu} takes
 * only digits (no sign); {@code %d} takes an optional '-'; the space in the format matches any run of
 * white space, including none; {@code %c} takes the very next character. Sectors beyond 2^54 (the
 * kernel's 54-bit entry field) are refused with EINVAL.
 */
final class BadblocksStore {
    private static final long MAX_SECTOR = 1L << 54;

    record Parsed(long sector, int length) {}

    private BadblocksStore() {}

    static Parsed parse(String dev, String text) throws ErrnoException {
        int[] pos = {0};
        Long sector = number(text, pos, false);
        if (sector == null) {
            throw invalid(dev, text, "no start sector");
        }
        skipSpace(text, pos);
        Long length = number(text, pos, true);
        if (length == null) {
            throw invalid(dev, text, "no length");
        }
        if (pos[0] < text.length() && text.charAt(pos[0]) != '\n') {
            throw invalid(dev, text, "trailing characters after the length");
        }
        if (length <= 0 || length > Integer.MAX_VALUE) {
            throw invalid(dev, text, "length must be positive");
        }
        if (sector >= MAX_SECTOR || sector + length > MAX_SECTOR) {
            throw invalid(dev, text, "sector beyond the 54-bit badblocks range");
        }
        return new Parsed(sector, length.intValue());
    }

    private static ErrnoException invalid(String dev, String text, String why) {
        return new ErrnoException(Errno.EINVAL, "badblocks_store",
                dev + ": '" + text.strip() + "': " + why + " (expected \"<sector> <length>\")");
    }

    private static void skipSpace(String s, int[] pos) {
        while (pos[0] < s.length() && isSpace(s.charAt(pos[0]))) {
            pos[0]++;
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    /** A base-10 number after optional white space; null when there are no digits. Saturates on overflow. */
    private static Long number(String s, int[] pos, boolean signed) {
        skipSpace(s, pos);
        int i = pos[0];
        boolean negative = false;
        if (signed && i < s.length() && s.charAt(i) == '-') {
            negative = true;
            i++;
        }
        if (i >= s.length() || !Character.isDigit(s.charAt(i)) || s.charAt(i) > '9') {
            return null;
        }
        long v = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            int d = s.charAt(i) - '0';
            v = v > (Long.MAX_VALUE - d) / 10 ? Long.MAX_VALUE : v * 10 + d;
            i++;
        }
        pos[0] = i;
        return negative ? -v : v;
    }
}
