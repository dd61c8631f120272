/**
 * {@code pmemfs study}: parses the study's options, runs {@link dev.pmemfs.study.Study} with a
 * progress bar, and writes the report files.
 */
package dev.pmemfs.cli.study;
