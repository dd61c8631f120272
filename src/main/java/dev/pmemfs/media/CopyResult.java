package dev.pmemfs.media;

/**
 * What a machine-check-safe copy achieved: how many bytes it copied before it stopped, and where the
 * poison that stopped it begins (a device byte offset), or {@code -1} when it copied everything.
 *
 * <p>Mirrors the return of {@code copy_mc_to_kernel} (bytes left uncopied), turned the right way up.
 */
public record CopyResult(long bytesCopied, long poisonedAt) {
    public static CopyResult complete(long bytes) {
        return new CopyResult(bytes, -1);
    }

    public boolean isComplete() {
        return poisonedAt < 0;
    }
}
