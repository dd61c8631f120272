/**
 * A thin binding of libfuse3's low-level API (fuse_lowlevel.h, libfuse 3.x, FUSE_USE_VERSION 35) in
 * java.lang.foreign: {@code fuse_session_new} with a {@code struct fuse_lowlevel_ops} of upcall stubs,
 * {@code fuse_session_mount}, {@code fuse_session_loop} (or its body on several threads), the {@code fuse_reply_*} calls and
 * {@code fuse_req_ctx}. Inodes are the filesystem's node ids; the binding keeps no state of its own.
 *
 * <p>Why our own binding (README "Mounting"): jfuse does not wire fallocate, ioctl or lseek, and
 * jnr-fuse sits on libfuse2 (no lseek) and jnr-ffi; the low-level API gives them all, plus the
 * caller's uid/gid per request and the kernel's inode numbers, in about a thousand lines.
 *
 * <p>Struct offsets are x86-64 glibc's, checked against the installed headers by
 * {@code FuseLayoutTest} (a C program prints {@code offsetof} for every field used here).
 *
 * <p>May import {@code errno} only: it knows nothing of pmemfs.
 */
package dev.pmemfs.fuse;
