package dev.pmemfs.media;

import dev.pmemfs.errno.ErrnoException;

/**
 * Told when a load consumed latent poison (the machine check): the range, in namespace byte offsets
 * (clear-unit aligned), has just become known and entered badblocks.
 *
 * <p>The media end of {@code memory_failure()} → {@code pmem_pagemap_memory_failure()} (reference
 * §7.1, §7.2): the driver registers one and translates it to a holder notification, so media never
 * depends on the layers above. Called with no media lock held. An error it throws (the holder could
 * not handle the failure) does not undo the consumption: the load that consumed the poison reports it
 * ({@link CopyResult#notifyError()}).
 */
@FunctionalInterface
public interface MemoryFailureListener {
    void memoryFailure(long offset, long len) throws ErrnoException;
}
