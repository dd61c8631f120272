/**
 * The syscall surface: file descriptors, credentials, permission checks, argument checks in Linux's
 * order, errno for errno (reference §4.2, §5, §7.3). Imports {@code fs} and below.
 */
package dev.pmemfs.vfs;
