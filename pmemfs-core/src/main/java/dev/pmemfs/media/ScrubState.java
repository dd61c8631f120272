package dev.pmemfs.media;

/** ARS state as ndctl prints it in {@code scrub_state}. */
public enum ScrubState {
    IDLE,
    ACTIVE;

    public String ndctlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
