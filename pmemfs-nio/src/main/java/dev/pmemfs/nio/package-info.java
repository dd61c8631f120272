/**
 * pmemfs as a Java library: a {@code java.nio.file} provider (scheme {@code pmemfs}) over an emulated
 * pmem namespace, so any JVM code that takes a {@link java.nio.file.Path} runs on it, and media
 * errors reach that code as Java exceptions.
 *
 * <p>Public: {@link dev.pmemfs.nio.PmemFileSystemProvider} (found by {@code FileSystems.newFileSystem}),
 * {@link dev.pmemfs.nio.PmemFiles} (fallocate modes, bad ranges, recovery, poison injection, DAX
 * mappings), {@link dev.pmemfs.nio.MediaErrorException}, {@link dev.pmemfs.nio.PmemMapping} and the
 * {@code pmem} attribute view. Everything else is package-private, as jimfs keeps its internals.
 *
 * <p>A frontend: it assembles the stack (namespace, pmem driver, filesystem, vfs) and calls only the
 * vfs layer's system calls for file operations, so every rule (permissions, errno, semantics) is the
 * vfs layer's; it adds the Java contracts (exception types per method, channel states). The recovery
 * package's strategies serve {@code PmemFiles.recover}.
 */
package dev.pmemfs.nio;
