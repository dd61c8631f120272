/**
 * {@code pmemfs mount} and {@code pmemfs umount}: a namespace's filesystem as a Linux mount (FUSE,
 * {@code dev.pmemfs.mount}), served by one background process that owns the namespace, and the
 * registry file ({@code $PMEMFS_HOME/NS.mount}) by which other commands find that process.
 */
package dev.pmemfs.cli.mount;
