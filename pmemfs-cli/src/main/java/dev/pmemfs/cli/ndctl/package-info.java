/**
 * {@code pmemfs ndctl}: ndctl's create-namespace, destroy-namespace, list, inject-error,
 * start-scrub, wait-scrub and clear-errors over the namespaces of {@code $PMEMFS_HOME}, with ndctl's
 * flags, validation messages and json-c pretty JSON (reference §8; ecosystem §3).
 */
package dev.pmemfs.cli.ndctl;
