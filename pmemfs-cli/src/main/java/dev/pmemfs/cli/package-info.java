/**
 * The {@code pmemfs} command line (picocli): ndctl-like, dd-like and xfs_io-like commands, mkfs,
 * fsck, demo. A frontend: it may call any layer and uses the highest one that can do the job.
 */
package dev.pmemfs.cli;
