package dev.pmemfs.media;

/**
 * A fault setting of the emulated firmware's Clear Uncorrectable Error command, for tests: clear
 * normally, fail outright, or clear at most {@code limitBytes} per call (the short clear the kernel
 * must handle, reference §1.2 "poison cleared only %ld out of %zu bytes").
 */
public sealed interface ClearFault {
    ClearFault NONE = new None();

    record None() implements ClearFault {}

    /** Every clear fails with EIO (the DSM returned an error status). */
    record Fail() implements ClearFault {}

    /** Each clear clears at most {@code limitBytes} (rounded down to the clear unit). */
    record Partial(long limitBytes) implements ClearFault {
        public Partial {
            if (limitBytes < 0) {
                throw new IllegalArgumentException("negative clear limit " + limitBytes);
            }
        }
    }
}
