package dev.pmemfs.recovery;

/** What a recovery design demands of the user who runs it. */
public enum Privilege {
    /** A descriptor open for writing on the damaged file: any user who may write the file. */
    FILE_WRITE("file write"),
    /**
     * The raw block device opened for writing: {@code /dev/pmemN} is root:disk 0660, so root, group disk,
     * CAP_DAC_OVERRIDE, or pmemfs's CAP_SYS_RAWIO (the label names the capability the study runs with).
     */
    RAW_DEVICE("raw device (CAP_SYS_RAWIO)"),
    /** The filesystem unmounted and the namespace taken offline: an administrator's job. */
    ADMIN("admin (namespace offline)");

    private final String text;

    Privilege(String text) {
        this.text = text;
    }

    /** How reports and tables name it. */
    public String text() {
        return text;
    }
}
