/**
 * The DAX filesystem on a pmem device: on-media format, inodes, extents, allocator, journal, reverse
 * map, iomap and fsck, with XFS's DAX semantics (reference §1.4, §4.4, §4.6). Imports {@code dax},
 * {@code block} and {@code errno}; never {@code media} directly.
 */
package dev.pmemfs.fs;
