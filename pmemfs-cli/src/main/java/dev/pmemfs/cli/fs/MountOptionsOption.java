package dev.pmemfs.cli.fs;

import picocli.CommandLine.Option;

/**
 * A picocli mixin: {@code -o OPTIONS}, mount options over the defaults mkfs stored — a profile
 * ({@code linux-5.15}, {@code linux-5.19}, {@code rfc-zero-range}, {@code rfc-zeroinit}, {@code pmemfs})
 * and/or switches ({@code recovery_write=on|off}, {@code zero_range=unwritten|zeroinit},
 * {@code zeroinit=on|off}), comma separated, as {@code mount -o} takes them.
 */
public final class MountOptionsOption {
    @Option(names = {"-o", "--mount-options"}, paramLabel = "OPTIONS",
            description = "Mount options over the stored defaults: a profile (linux-5.15, linux-5.19, rfc-zero-range, "
                    + "rfc-zeroinit, pmemfs) and/or recovery_write=on|off, zero_range=unwritten|zeroinit, zeroinit=on|off.")
    String text;

    /** The option text, or null when none was given. */
    public String text() {
        return text;
    }
}
