package dev.pmemfs.media;

import java.util.Locale;

/** The namespace modes of {@code ndctl create-namespace -m}, with ndctl's names. */
public enum NamespaceMode {
    /** No info block: the block device exposes the whole namespace. */
    RAW(0),
    /** The default: an info block and memmap reservation precede the data area (a "pfn" device). */
    FSDAX(1),
    /** Like fsdax, but exposed as a character device {@code daxN.0}: no block device. */
    DEVDAX(2);

    private final int code;

    NamespaceMode(int code) {
        this.code = code;
    }

    /** The value stored in the media header. */
    int code() {
        return code;
    }

    static NamespaceMode ofCode(int code) {
        for (NamespaceMode m : values()) {
            if (m.code == code) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown namespace mode code " + code);
    }

    /** ndctl's spelling ("fsdax"). */
    public String ndctlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether an info block reserves the start of the namespace. */
    public boolean hasInfoBlock() {
        return this != RAW;
    }

    /** Parses ndctl's spelling; "memory" and "dax" are ndctl's old aliases. */
    public static NamespaceMode parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "raw" -> RAW;
            case "fsdax", "memory" -> FSDAX;
            case "devdax", "dax" -> DEVDAX;
            default -> throw new IllegalArgumentException("unknown mode '" + s + "' (expected fsdax, raw or devdax)");
        };
    }
}
