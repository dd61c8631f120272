/**
 * The DAX filesystem on a pmem device: on-media format, inodes, extents, allocator, journal, reverse
 * map, iomap and fsck, with XFS's DAX semantics (reference §1.4, §4.4, §4.6). Imports {@code dax},
 * {@code block} and {@code errno}; never {@code media} directly. The format is described in
 * docs/FORMAT.md.
 *
 * <p>Entry points: {@link dev.pmemfs.fs.PmemFs#mkfs} and {@link dev.pmemfs.fs.PmemFs#mount} give a
 * {@link dev.pmemfs.fs.FileSystem}; {@code Fsck.check} checks (and repairs) an unmounted device.
 *
 * <p>Lock order: the inode's {@code rwsem} (i_rwsem analogue; read for read(2), write for write,
 * truncate, fallocate and write faults) → the transaction lock of {@code Volume} (the journal; every
 * metadata change and its commit happen under it, so a committed block image never carries another
 * syscall's uncommitted change) → the allocator (used only under the transaction lock). Data copies
 * of overwrites and reads run under the inode lock alone.
 *
 * <p>Crash model: each syscall's metadata change is one journal record (large truncates, punches and
 * preallocations are split per batch of extents, as XFS splits them). Allocating writes zero the new
 * blocks through the block path, copy the data and fence before the record that maps them commits.
 */
package dev.pmemfs.fs;
