package dev.pmemfs.media;

/**
 * What a machine-check-safe copy achieved: how many bytes it copied before it stopped, and where the
 * poison that stopped it begins (a device byte offset), or {@code -1} when it copied everything.
 * When the copy consumed latent poison and the {@link MemoryFailureListener} (the driver, for its
 * holder) answered with an error, that error is {@code notifyError}; otherwise it is null.
 *
 * <p>Mirrors the return of {@code copy_mc_to_kernel} (bytes left uncopied), turned the right way up,
 * together with what memory_failure() answered for the consumed page.
 */
public record CopyResult(long bytesCopied, long poisonedAt, dev.pmemfs.errno.ErrnoException notifyError) {
    public CopyResult(long bytesCopied, long poisonedAt) {
        this(bytesCopied, poisonedAt, null);
    }

    public static CopyResult complete(long bytes) {
        return new CopyResult(bytes, -1);
    }

    public boolean isComplete() {
        return poisonedAt < 0;
    }
}
