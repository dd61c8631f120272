/* SPDX-License-Identifier: MIT */
/*
 * pmemfs.h - the ioctls of a file on a pmemfs FUSE mount (`pmemfs mount NS DIR`).
 *
 * The kernel's FUSE passes only FALLOC_FL_KEEP_SIZE, PUNCH_HOLE and ZERO_RANGE to a FUSE server
 * (fs/fuse/file.c, fuse_file_fallocate: anything else is EOPNOTSUPP before the server sees it), and
 * it forwards ioctls on regular files only in "restricted" form: the argument size is the one
 * encoded in the command (_IOR/_IOW/_IOWR), copied in and out by the kernel, with no pointers
 * inside. So the recovery calls a DAX filesystem would offer through fallocate(2) and FS_IOC_FIEMAP
 * come here as fixed-size ioctls on an open file descriptor:
 *
 *   PMEMFS_IOC_FALLOCATE   fallocate(2) with any mode word, e.g. PMEMFS_FALLOC_FL_ZEROINIT_RANGE
 *                          (0x100): clears poison in place and zeroes the range, unprivileged; the
 *                          descriptor must be open for writing (EBADF otherwise), errno as fallocate(2)
 *   PMEMFS_IOC_BADBLOCKS   the file's known media errors, file offsets in bytes (libpmem2's
 *                          pmem2_badblock_next), PMEMFS_BADBLOCKS_MAX per call, from `start` on
 *   PMEMFS_IOC_FIEMAP      FS_IOC_FIEMAP with room for PMEMFS_FIEMAP_MAX extents (struct
 *                          fiemap_extent of <linux/fiemap.h>; fe_physical is the pmem device offset)
 *
 * FS_IOC_GETFLAGS / FS_IOC_SETFLAGS (lsattr, chattr) are answered too. All structures are the same on
 * every 64-bit Linux ABI (explicit padding, naturally aligned).
 */
#ifndef PMEMFS_H
#define PMEMFS_H

#include <linux/ioctl.h>
#include <linux/types.h>
#include <linux/fiemap.h>

#define PMEMFS_IOC_MAGIC 'p'

/* fallocate(2) mode bits that FUSE drops; FALLOC_FL_* of <linux/falloc.h> for the others. */
#define PMEMFS_FALLOC_FL_ZEROINIT_RANGE 0x100

struct pmemfs_fallocate {
	__u64 offset;	/* in: file offset */
	__u64 length;	/* in: bytes */
	__u32 mode;	/* in: fallocate mode word (FALLOC_FL_KEEP_SIZE | PMEMFS_FALLOC_FL_ZEROINIT_RANGE ...) */
	__u32 reserved;	/* must be 0 */
};

#define PMEMFS_BADBLOCKS_MAX 64

struct pmemfs_badblock {
	__u64 offset;	/* file offset of a known bad range, filesystem-block aligned */
	__u64 length;	/* bytes */
};

struct pmemfs_badblocks {
	__u64 start;	/* in: report ranges ending after this file offset */
	__u32 count;	/* out: entries filled in ranges[] */
	__u32 more;	/* out: 1 when more ranges follow the last one (ask again from its end) */
	struct pmemfs_badblock ranges[PMEMFS_BADBLOCKS_MAX];
};

#define PMEMFS_FIEMAP_MAX 32

struct pmemfs_fiemap {
	__u64 fm_start;			/* in: first logical byte */
	__u64 fm_length;		/* in: bytes */
	__u32 fm_flags;			/* in: FIEMAP_FLAG_SYNC */
	__u32 fm_mapped_extents;	/* out: extents filled */
	__u32 fm_extent_count;		/* in: room in fm_extents, at most PMEMFS_FIEMAP_MAX; 0 counts only */
	__u32 fm_reserved;
	struct fiemap_extent fm_extents[PMEMFS_FIEMAP_MAX];
};

#define PMEMFS_IOC_FALLOCATE	_IOW(PMEMFS_IOC_MAGIC, 1, struct pmemfs_fallocate)
#define PMEMFS_IOC_BADBLOCKS	_IOWR(PMEMFS_IOC_MAGIC, 2, struct pmemfs_badblocks)
#define PMEMFS_IOC_FIEMAP	_IOWR(PMEMFS_IOC_MAGIC, 3, struct pmemfs_fiemap)

#endif /* PMEMFS_H */
