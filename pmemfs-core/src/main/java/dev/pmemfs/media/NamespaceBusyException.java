package dev.pmemfs.media;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Another opener owns the namespace image (see {@link OwnerLock}); nothing was changed. Carries the
 * holder, when it could be named, so a command can say who to wait for.
 */
public final class NamespaceBusyException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient OwnerLock.Owner holder;

    NamespaceBusyException(Path image, OwnerLock.Owner holder) {
        super(image + " is in use by " + (holder == null ? "another process" : holder.toString()));
        this.holder = holder;
    }

    /** The holder, or null when it did not name itself in time (it was just starting). */
    public OwnerLock.Owner holder() {
        return holder;
    }
}
