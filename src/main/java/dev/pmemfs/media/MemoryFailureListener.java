package dev.pmemfs.media;

/**
 * Told when a load consumed latent poison (the machine check): the range, in namespace byte offsets
 * (clear-unit aligned), has just become known and entered badblocks.
 *
 * <p>The media end of {@code memory_failure()} → {@code pmem_pagemap_memory_failure()} (reference
 * §7.1, §7.2): the driver registers one and translates it to a holder notification, so media never
 * depends on the layers above. Called with no media lock held.
 */
@FunctionalInterface
public interface MemoryFailureListener {
    void memoryFailure(long offset, long len);
}
