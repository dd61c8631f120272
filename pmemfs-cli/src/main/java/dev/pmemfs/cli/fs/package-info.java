/**
 * Filesystem commands on a namespace of {@code $PMEMFS_HOME}: {@code mkfs}, {@code fsck}, {@code ls}
 * and {@code cp}, and the {@code NS:/path} notation with the open-attach-mount sequence they share
 * ({@link dev.pmemfs.cli.fs.MountedNamespace}).
 */
package dev.pmemfs.cli.fs;
