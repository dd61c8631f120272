/**
 * {@code pmemfs io}: xfs_io's command language and output over a pmemfs file (xfsprogs io/*.c,
 * libxcmd, libfrog/convert.c). Outputs are byte-identical to xfs_io 6.1 where xfs_io prints the same
 * thing (pwrite/pread reports and hexdumps, fiemap plain and -v tables with holes, seek tables, stat's
 * "foreign file" form, lsattr, usage and error lines); timing lines use the session's clock, real time
 * in the command, a fixed step in tests. Additions: {@code fzeroinit} (FALLOC_FL_ZEROINIT_RANGE),
 * {@code madvise -P} (MADV_HWPOISON), {@code chmod MODE}. Not modelled: xfs_io's iteration of a command
 * over every open file, XFS-only commands.
 */
package dev.pmemfs.cli.io;
