package dev.pmemfs.testing.fileops;

import dev.pmemfs.errno.Errno;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/** What one {@link FileOp} returned: a value, the bytes a read returned, or an errno. */
public sealed interface OpResult {
    /** The syscall's return value (0 for calls that return nothing). */
    record Value(long value) implements OpResult {
        @Override
        public String toString() {
            return "= " + value;
        }
    }

    /** The bytes a pread returned; their count is its return value. */
    record Data(byte[] bytes) implements OpResult {
        public Data {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Data d && Arrays.equals(bytes, d.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        /** Index of the first byte that differs from {@code other}, or -1 when equal. */
        public int mismatch(Data other) {
            return Arrays.mismatch(bytes, other.bytes);
        }

        @Override
        public String toString() {
            CRC32C crc = new CRC32C();
            crc.update(bytes);
            return "= " + bytes.length + " bytes, crc32c " + Long.toHexString(crc.getValue());
        }
    }

    record Failed(Errno errno) implements OpResult {
        public Failed {
            Objects.requireNonNull(errno, "errno");
        }

        @Override
        public String toString() {
            return "-1 " + errno.name();
        }
    }

    /** A readable account of how {@code a} and {@code b} differ (for failure messages). */
    static String describeDifference(OpResult a, OpResult b) {
        if (a instanceof Data da && b instanceof Data db && da.bytes.length == db.bytes.length) {
            int at = da.mismatch(db);
            return "same length, first differing byte at read offset " + at + ": "
                    + (da.bytes[at] & 0xff) + " vs " + (db.bytes[at] & 0xff);
        }
        return a + " vs " + b;
    }
}
