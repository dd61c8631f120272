/**
 * The DAX filesystem on a pmem device: on-media format, inodes, extents, allocator, journal, reverse
 * map, iomap and fsck, with XFS's DAX semantics (reference §1.4, §4.4, §4.6, §7.2). Imports
 * {@code dax}, {@code block} and {@code errno}; never {@code media} directly. The format is described
 * in docs/FORMAT.md.
 *
 * <p>Public surface: {@link dev.pmemfs.fs.PmemFs} ({@code mkfs}, {@code mount}, {@code journalReplay})
 * gives a {@link dev.pmemfs.fs.FileSystem}; {@link dev.pmemfs.fs.Fsck#check} checks and repairs an
 * unmounted device. Everything else is package-private:
 * {@code MountedFs} (the contract, the dax holder), {@code Namei} (namespace), {@code FileIo}
 * (dax_iomap_iter / fault), {@code FileSpace} (truncate, fallocate), {@code FileMap} (FIEMAP, SEEK_DATA/SEEK_HOLE), {@code Volume}
 * (struct xfs_mount: shared state and the transaction lock), {@code MetaStore} + {@code Journal}
 * (verified metadata I/O, redo log, checkpoints), {@code Allocator} (bitmap + busy extents),
 * {@code InodeTable} (inodes and extent lists), {@code Directory}, {@code Rmap}, {@code OrphanList}.
 *
 * <p>Lock order: the inode's {@code rwsem} (i_rwsem analogue; read for read(2) and FIEMAP, write for
 * write, truncate, fallocate and write faults) → the transaction lock of {@code Volume} (the journal;
 * every metadata change and its commit happen under it, so a committed block image never carries
 * another syscall's uncommitted change) → the allocator (used only under the transaction lock). Data
 * copies of overwrites and reads run under the inode lock alone. An operation pins its in-core inode
 * (so the cache never evicts it and an unlink never frees it underneath); the last unpin of an
 * unlinked inode tears it down.
 *
 * <p>Crash model: each syscall's metadata change is one journal record (large truncates, punches,
 * preallocations, writes and shifts are split per batch, as XFS splits them, each step consistent).
 * Allocating writes zero the new blocks through the block path, copy the data and fence before the
 * record that maps them (and moves the size) commits. In-place overwrites are durable at the next
 * fence (fsync), like any DAX store.
 */
package dev.pmemfs.fs;
