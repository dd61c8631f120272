/**
 * Poison recovery, every design side by side: each {@link dev.pmemfs.recovery.Strategy} repairs the
 * poisoned ranges of a file through the paths a user's program has — fallocate and pwrite on the
 * file, FIEMAP plus BLKZEROOUT on the raw device, or ndctl's clear-errors with the namespace offline —
 * never by reaching into the filesystem's internals. A frontend layer: it uses vfs, block and the
 * namespace tools.
 */
package dev.pmemfs.recovery;
