package dev.pmemfs.dax;

/** {@code enum dax_access_mode}, include/linux/dax.h; reference §1.1. */
public enum DaxAccessMode {
    /** Nominal access: fail when any known bad sector lies in the requested range. */
    ACCESS,
    /** Ignore poison and hand out a window suitable for {@link DaxDevice#recoveryWrite}. */
    RECOVERY_WRITE
}
