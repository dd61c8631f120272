/**
 * One pmemfs stack, built and torn down in one place: the namespace (an image file), the pmem driver
 * bound to it, mkfs, the mount and the syscall layer, in the order Linux brings a pmem filesystem up
 * (ndctl create-namespace or region probe, pmem_attach_disk, mkfs, mount(2)) and in the reverse
 * order down. Every frontend (cli, study, bench, the tests' fixtures) starts here instead of wiring
 * the layers by hand.
 *
 * <p>Imports {@code errno}, {@code media}, {@code block}, {@code dax}, {@code fs} and {@code vfs}; it
 * sits above the syscall layer and below the frontends (recovery, study, cli).
 */
package dev.pmemfs.stack;
