package dev.pmemfs.media;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;

/**
 * The Address Range Scrub state machine of one namespace: idle → active (a background thread scrubs
 * the whole namespace, making latent poison known and adding it to badblocks) → idle.
 *
 * <p>Models the nfit bus {@code scrub} attribute and acpi_nfit_ars_rescan (reference §8.3).
 */
final class Scrubber {
    private final Namespace ns;
    // Guarded by this.
    private Thread running;
    private ErrnoException failure;
    private long count;

    Scrubber(Namespace ns) {
        this.ns = ns;
    }

    synchronized void start() throws ErrnoException {
        if (running != null) {
            throw new ErrnoException(Errno.EBUSY, "ars_start", ns.name() + ": a scrub is already running");
        }
        failure = null;
        running = Thread.ofVirtual().name("ars-" + ns.name()).start(this::run);
    }

    private void run() {
        ErrnoException err = null;
        try {
            ns.scrub();
        } catch (ErrnoException e) {
            err = e;
        }
        synchronized (this) {
            failure = err;
            count++;
            running = null;
            notifyAll();
        }
    }

    synchronized void await() throws ErrnoException {
        boolean interrupted = false;
        while (running != null) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            ErrnoException f = failure;
            failure = null;
            throw f;
        }
    }

    void awaitQuietly() {
        try {
            await();
        } catch (ErrnoException e) {
            // Closing: a failed scrub has nothing left to report to.
        }
    }

    synchronized ScrubState state() {
        return running != null ? ScrubState.ACTIVE : ScrubState.IDLE;
    }

    synchronized long count() {
        return count;
    }
}
