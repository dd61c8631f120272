/**
 * Real Linux XFS as a reference filesystem: {@link dev.pmemfs.testing.xfs.XfsScratch} (a scratch XFS
 * on a loop device, always unmounted and detached) and {@link dev.pmemfs.testing.xfs.NativeFile} (a
 * file on it driven by in-process libc calls through FFM, errno as {@code ErrnoException}).
 *
 * <p>The loop-backed XFS is a page-cache filesystem while pmemfs is DAX. Two normalizations make its
 * answers those of DAX XFS, and nothing else is normalized: the {@code allocsize=4k} mount option
 * (no speculative preallocation that a later truncate-up would pull inside EOF as unwritten extents)
 * and {@link dev.pmemfs.testing.xfs.NativeFile#settle()} (fsync, then drop the clean page cache, so
 * SEEK_DATA does not report cached pages of unwritten extents as data). Needs root, xfsprogs and loop
 * devices; tests skip with a printed reason without them.
 */
package dev.pmemfs.testing.xfs;
