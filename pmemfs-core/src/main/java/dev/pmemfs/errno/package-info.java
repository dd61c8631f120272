/**
 * Linux error numbers and the checked exception that carries one.
 *
 * <p>A leaf package: every layer may import it (media raises ENXIO, dax EHWPOISON, block EIO, vfs
 * the whole syscall table), and it imports nothing of pmemfs.
 */
package dev.pmemfs.errno;
