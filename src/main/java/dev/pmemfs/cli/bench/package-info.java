/** {@code pmemfs bench}: throughput figures as ratios against a baseline measured in the same run. */
package dev.pmemfs.cli.bench;
