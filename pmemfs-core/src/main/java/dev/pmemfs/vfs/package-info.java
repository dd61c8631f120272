/**
 * The syscall surface: file descriptors, credentials, permission checks, argument checks in Linux's
 * order, errno for errno (reference §4.2, §5, §7.3). Imports {@code fs}, {@code dax}, {@code block} and
 * {@code errno}; never {@code media} (a mapping's copies come through dax windows).
 *
 * <p>Entry point: {@link dev.pmemfs.vfs.Vfs} over a mounted {@link dev.pmemfs.fs.FileSystem};
 * {@code Vfs.process(Credentials)} gives a {@link dev.pmemfs.vfs.Syscalls}. What each part models:
 * <ul>
 *   <li>{@code Process}: the system calls — fs/open.c (do_sys_open, may_open, vfs_fallocate,
 *       do_sys_ftruncate), fs/read_write.c (vfs_read/vfs_write, generic_write_checks, lseek),
 *       fs/namei.c (may_delete, may_create, do_renameat2), fs/attr.c (notify_change, setattr_prepare),
 *       fs/ioctl.c (FS_IOC_{GET,SET}FLAGS, FS_IOC_FIEMAP), mm/mmap.c (do_mmap's file checks).</li>
 *   <li>{@code PathWalk}: link_path_walk with search permission on every directory; no symlinks.</li>
 *   <li>{@code InodePermission}: inode_permission / generic_permission and the capability rules.</li>
 *   <li>vfs_fallocate's mode checks (plus the 2021 RFC's ZEROINIT rule) decode the mode word once, into
 *   the fs layer's {@code FallocateMode}, which is what the filesystem receives.</li>
 *   <li>{@code FiemapFill}: fiemap_prep, iomap_fiemap and fiemap_fill_next_extent.</li>
 *   <li>{@code FileMapping}: DAX faults, consumed poison (BUS_MCEERR_AR, lsb 12) and MADV_HWPOISON.</li>
 *   <li>{@code FdTable}, {@code OpenFile}: files_struct and struct file (position, flags).</li>
 *   <li>{@code DeviceNodes}: who may open /dev/pmemN and write its sysfs badblocks file.</li>
 * </ul>
 *
 * <p>Locks: {@code FdTable} and each {@code OpenFile} (f_pos) are leaves; the filesystem's own locks
 * are taken inside its calls, never while a vfs lock is held across a call into another process.
 */
package dev.pmemfs.vfs;
