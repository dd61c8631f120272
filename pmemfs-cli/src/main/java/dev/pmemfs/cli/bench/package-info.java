/**
 * {@code pmemfs bench}: throughput figures as ratios against a baseline measured in the same run; each
 * filesystem case runs on a temporary {@code stack.PmemStack} in /dev/shm.
 */
package dev.pmemfs.cli.bench;
