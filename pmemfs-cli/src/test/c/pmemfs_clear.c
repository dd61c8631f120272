/*
 * pmemfs_clear [-l] FILE: what a C program does to repair its own file on a pmemfs FUSE mount, as an
 * ordinary user. Lists the file's known media errors (PMEMFS_IOC_BADBLOCKS), prints its mapping
 * (PMEMFS_IOC_FIEMAP), clears each bad range in place with PMEMFS_FALLOC_FL_ZEROINIT_RANGE through
 * PMEMFS_IOC_FALLOCATE (the kernel's FUSE would refuse that fallocate(2) mode), then lists the errors
 * and the mapping again and reads every cleared byte back as zero. Exits 0 when all of that holds.
 * Built by MountRecoveryTest with gcc -Iinclude.
 */
#define _GNU_SOURCE
#include "pmemfs.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int badblocks(int fd, struct pmemfs_badblocks *bb)
{
	memset(bb, 0, sizeof(*bb));
	if (ioctl(fd, PMEMFS_IOC_BADBLOCKS, bb) < 0) {
		perror("ioctl(PMEMFS_IOC_BADBLOCKS)");
		return -1;
	}
	for (__u32 i = 0; i < bb->count; i++)
		printf("badblock %llu %llu\n", (unsigned long long)bb->ranges[i].offset,
		       (unsigned long long)bb->ranges[i].length);
	printf("badblocks %u\n", bb->count);
	return 0;
}

static int fiemap(int fd)
{
	struct pmemfs_fiemap fm;
	memset(&fm, 0, sizeof(fm));
	fm.fm_length = ~0ULL;
	fm.fm_extent_count = PMEMFS_FIEMAP_MAX;
	if (ioctl(fd, PMEMFS_IOC_FIEMAP, &fm) < 0) {
		perror("ioctl(PMEMFS_IOC_FIEMAP)");
		return -1;
	}
	for (__u32 i = 0; i < fm.fm_mapped_extents; i++)
		printf("extent %llu %llu %llu 0x%x\n", (unsigned long long)fm.fm_extents[i].fe_logical,
		       (unsigned long long)fm.fm_extents[i].fe_physical,
		       (unsigned long long)fm.fm_extents[i].fe_length, fm.fm_extents[i].fe_flags);
	return 0;
}

int main(int argc, char **argv)
{
	int list_only = argc == 3 && strcmp(argv[1], "-l") == 0;
	if (argc != 2 && !list_only) {
		fprintf(stderr, "usage: %s [-l] FILE   (-l: list the bad ranges and extents only)\n", argv[0]);
		return 2;
	}
	int fd = open(argv[argc - 1], list_only ? O_RDONLY : O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	struct pmemfs_badblocks bb;
	if (badblocks(fd, &bb) || fiemap(fd))
		return 1;
	if (list_only)
		return 0;
	/* fallocate(2) itself cannot carry the mode through FUSE: */
	if (bb.count > 0 && fallocate(fd, FALLOC_FL_KEEP_SIZE | PMEMFS_FALLOC_FL_ZEROINIT_RANGE,
				      bb.ranges[0].offset, bb.ranges[0].length) == 0) {
		fprintf(stderr, "fallocate(ZEROINIT_RANGE) passed FUSE's filter: unexpected\n");
		return 1;
	}
	printf("fallocate(0x%x): %s\n", FALLOC_FL_KEEP_SIZE | PMEMFS_FALLOC_FL_ZEROINIT_RANGE, strerror(errno));
	struct pmemfs_badblocks found = bb;
	for (__u32 i = 0; i < found.count; i++) {
		struct pmemfs_fallocate fa = {
			.offset = found.ranges[i].offset,
			.length = found.ranges[i].length,
			.mode = FALLOC_FL_KEEP_SIZE | PMEMFS_FALLOC_FL_ZEROINIT_RANGE,
		};
		if (ioctl(fd, PMEMFS_IOC_FALLOCATE, &fa) < 0) {
			perror("ioctl(PMEMFS_IOC_FALLOCATE, ZEROINIT_RANGE)");
			return 1;
		}
		printf("cleared %llu %llu\n", (unsigned long long)fa.offset, (unsigned long long)fa.length);
	}
	if (badblocks(fd, &bb) || fiemap(fd))
		return 1;
	for (__u32 i = 0; i < found.count; i++) {
		size_t len = found.ranges[i].length;
		char *buf = malloc(len);
		if (pread(fd, buf, len, found.ranges[i].offset) != (ssize_t)len) {
			perror("pread");
			return 1;
		}
		for (size_t j = 0; j < len; j++)
			if (buf[j] != 0) {
				fprintf(stderr, "byte %zu of range %u is not zero\n", j, i);
				return 1;
			}
		free(buf);
	}
	printf("ok\n");
	return bb.count == 0 ? 0 : 1;
}
