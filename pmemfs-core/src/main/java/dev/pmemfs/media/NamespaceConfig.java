package dev.pmemfs.media;

/**
 * How to create a namespace: its raw size (what {@code ndctl create-namespace --size} asks for), mode,
 * number N ({@code namespaceN.0}, {@code regionN}, {@code pmemN}), the platform's
 * {@code clear_err_unit}, and the size of each of the two media-error-log areas (0 = default).
 *
 * <p>Sizes: a multiple of 4 KiB for raw, of 2 MiB (the fsdax/devdax alignment) otherwise.
 */
public record NamespaceConfig(long size, NamespaceMode mode, int id, int clearErrUnit, long errorLogBytes) {
    public static final int DEFAULT_CLEAR_ERR_UNIT = 256;
    public static final long ALIGN = 2L << 20;

    public NamespaceConfig {
        if (mode == null) {
            throw new IllegalArgumentException("mode is null");
        }
        if (id < 0) {
            throw new IllegalArgumentException("namespace number " + id + " is negative");
        }
        if (clearErrUnit < 8 || Integer.bitCount(clearErrUnit) != 1 || clearErrUnit > 4096) {
            throw new IllegalArgumentException(
                    "clear_err_unit " + clearErrUnit + " is not a power of two between 8 and 4096");
        }
        long unit = mode == NamespaceMode.RAW ? 4096 : ALIGN;
        if (size <= 0 || size % unit != 0) {
            throw new IllegalArgumentException("namespace size " + size + " is not a positive multiple of "
                    + unit + " bytes (the " + mode.ndctlName() + " alignment)");
        }
        if (mode.hasInfoBlock() && size <= Layout.dataOffset(size)) {
            throw new IllegalArgumentException("namespace size " + size + " leaves no data area after the "
                    + Layout.dataOffset(size) + "-byte info-block reservation of " + mode.ndctlName());
        }
        if (errorLogBytes != 0 && (errorLogBytes < 4096 || errorLogBytes % 4096 != 0)) {
            throw new IllegalArgumentException("error log size " + errorLogBytes + " is not a multiple of 4096");
        }
    }

    /** A namespace of {@code size} bytes, fsdax (ndctl's default), number 0, 256-byte clear unit. */
    public static NamespaceConfig of(long size) {
        return new NamespaceConfig(size, NamespaceMode.FSDAX, 0, DEFAULT_CLEAR_ERR_UNIT, 0);
    }

    /** A namespace of {@code size} bytes in mode {@code m}, number 0, 256-byte clear unit. */
    public static NamespaceConfig of(long size, NamespaceMode m) {
        return new NamespaceConfig(size, m, 0, DEFAULT_CLEAR_ERR_UNIT, 0);
    }

    public NamespaceConfig withMode(NamespaceMode m) {
        return new NamespaceConfig(size, m, id, clearErrUnit, errorLogBytes);
    }

    public NamespaceConfig withId(int n) {
        return new NamespaceConfig(size, mode, n, clearErrUnit, errorLogBytes);
    }

    public NamespaceConfig withClearErrUnit(int unit) {
        return new NamespaceConfig(size, mode, id, unit, errorLogBytes);
    }

    public NamespaceConfig withErrorLogBytes(long bytes) {
        return new NamespaceConfig(size, mode, id, clearErrUnit, bytes);
    }

    /** Bytes before the data area: 0 for raw, the info block plus memmap reservation otherwise. */
    public long dataOffset() {
        return mode.hasInfoBlock() ? Layout.dataOffset(size) : 0;
    }

    /** Each log area's size: as configured, else 1/64 of the namespace clamped to [1 MiB, 64 MiB]. */
    public long logAreaBytes() {
        if (errorLogBytes != 0) {
            return errorLogBytes;
        }
        long wanted = (size / 64) & ~4095L;
        return Math.clamp(wanted, 1L << 20, 64L << 20);
    }
}
