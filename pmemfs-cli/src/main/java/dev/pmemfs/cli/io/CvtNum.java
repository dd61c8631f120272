package dev.pmemfs.cli.io;

/**
 * xfs_io's {@code cvtnum} (libfrog/convert.c): {@code strtoll(s, 0)} (decimal, 0x hex, 0 octal) with an
 * optional one-letter unit: b (4096-byte block), s (512-byte sector), k, m, g, t, p, e (binary
 * multiples). Anything else, including a negative number's use as a size, is the caller's to refuse:
 * the result is -1 for text that does not parse.
 */
final class CvtNum {
    static final int BLOCK_SIZE = 4096;
    static final int SECTOR_SIZE = 512;

    private CvtNum() {}

    static long parse(String s) {
        Long v = parseSigned(s);
        return v == null ? -1 : v;
    }

    /**
     * The same number with its sign kept, or null when the text does not parse: what a raw syscall
     * argument may be (a negative offset is the caller's to pass on, as LTP's EINVAL cases do).
     */
    static Long parseSigned(String s) {
        ParsedLong p = strtoll(s);
        if (p == null) {
            return null;
        }
        String rest = s.substring(p.end());
        if (rest.isEmpty()) {
            return p.value();
        }
        if (rest.length() != 1) {
            return null;
        }
        long i = p.value();
        return switch (Character.toLowerCase(rest.charAt(0))) {
            case 'b' -> i * BLOCK_SIZE;
            case 's' -> i * SECTOR_SIZE;
            case 'k' -> i << 10;
            case 'm' -> i << 20;
            case 'g' -> i << 30;
            case 't' -> i << 40;
            case 'p' -> i << 50;
            case 'e' -> i << 60;
            default -> null;
        };
    }

    /** A number and where its text ended. */
    record ParsedLong(long value, int end) {}

    /**
     * {@code strtol}-style parse with base 0: leading blanks, a sign, 0x/0 prefixes; null when no digit
     * was consumed; clamps on overflow as strtoll does.
     */
    static ParsedLong strtoll(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean neg = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        int base = 10;
        if (i + 1 < n && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                && i + 2 < n && Character.digit(s.charAt(i + 2), 16) >= 0) {
            base = 16;
            i += 2;
        } else if (i < n && s.charAt(i) == '0') {
            base = 8;
        }
        int start = i;
        java.math.BigInteger v = java.math.BigInteger.ZERO;
        while (i < n && Character.digit(s.charAt(i), base) >= 0) {
            v = v.multiply(java.math.BigInteger.valueOf(base)).add(java.math.BigInteger.valueOf(Character.digit(s.charAt(i), base)));
            i++;
        }
        if (i == start) {
            return null;
        }
        if (neg) {
            v = v.negate();
        }
        long value = v.bitLength() < 64 ? v.longValue() : (neg ? Long.MIN_VALUE : Long.MAX_VALUE);
        return new ParsedLong(value, i);
    }
}
