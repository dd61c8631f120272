package dev.pmemfs.cli.io;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * xfs_io's number and timing formats, reproduced byte for byte: {@code report_io_times}
 * (libxcmd/command.c), {@code cvtstr} (libfrog/convert.c), {@code timestr} and {@code tdiv}
 * (libxcmd/input.c) and {@code dump_buffer} (io/pread.c). C's {@code printf("%.Nf")} rounds the exact
 * binary value half-to-even and prints infinities and NaNs as {@code inf} and {@code -nan}; so does
 * this class.
 */
final class IoFormat {
    private IoFormat() {}

    /**
     * The two lines xfs_io prints after pread/pwrite: "{@code verb total/count bytes at offset off}" and
     * "{@code size, N ops; time (rate/sec and ops/sec)}", for an operation that took {@code elapsedNanos}.
     */
    static String reportIoTimes(String verb, long elapsedNanos, long offset, long count, long total, int ops) {
        long sec = elapsedNanos / 1_000_000_000L;
        long usec = (elapsedNanos % 1_000_000_000L) / 1000;
        double seconds = sec + usec / 1_000_000.0;
        return verb + " " + total + "/" + count + " bytes at offset " + offset + "\n"
                + cvtstr(total) + ", " + ops + " ops; " + timestr(sec, usec) + " (" + cvtstr(total / seconds)
                + "/sec and " + fixed(ops / seconds, 4) + " ops/sec)\n";
    }

    /** {@code cvtstr}: binary units with 3 decimals, none when the value is a whole number of bytes. */
    static String cvtstr(double value) {
        // (double)(int)value: C truncates, and x86 turns out-of-range conversions into INT_MIN.
        boolean precise = !Double.isNaN(value) && value == Math.floor(value)
                && value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
        String[] units = {"EiB", "PiB", "TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            int shift = 60 - 10 * i;
            double unit = (double) (1L << shift);
            if (value >= unit) {
                return fixed(value / unit, precise ? 0 : 3) + " " + units[i];
            }
        }
        return fixed(value, 6) + " bytes";
    }

    /** {@code timestr} without flags: "0.0123 sec" under a second, "H:MM:SS.hh" from one second on. */
    static String timestr(long sec, long usec) {
        if (sec != 0) {
            return String.format("%d:%02d:%02d.%02d", sec / 3600, (sec % 3600) / 60, sec % 60, usec / 1000 / 10);
        }
        return String.format("0.%04d sec", usec / 100);
    }

    /** C's {@code %.Nf}. */
    static String fixed(double v, int decimals) {
        if (Double.isNaN(v)) {
            // 0.0/0.0 on x86 yields the negative quiet NaN, which glibc prints with its sign.
            return "-nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    /**
     * {@code dump_buffer}: 16 bytes a line, "{@code %08llx:  }" then "{@code %02x }" per byte, a space, and
     * the bytes again with non-alphanumerics as dots.
     */
    static String dumpBuffer(long offset, byte[] buf, int off, int len) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < len; i += 16) {
            s.append(String.format("%08x:  ", offset + i));
            int n = Math.min(16, len - i);
            for (int j = 0; j < n; j++) {
                s.append(String.format("%02x ", buf[off + i + j] & 0xFF));
            }
            s.append(' ');
            for (int j = 0; j < n; j++) {
                int c = buf[off + i + j] & 0xFF;
                boolean alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
                s.append(alnum ? (char) c : '.');
            }
            s.append('\n');
        }
        return s.toString();
    }
}
