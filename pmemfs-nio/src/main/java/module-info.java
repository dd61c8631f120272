/**
 * pmemfs as a Java library: a {@code java.nio.file} provider (scheme {@code pmemfs}) on an emulated pmem
 * namespace with media errors. Exports the provider's public API only.
 */
module dev.pmemfs.nio {
    requires transitive dev.pmemfs.core;
    exports dev.pmemfs.nio;
    provides java.nio.file.spi.FileSystemProvider with dev.pmemfs.nio.PmemFileSystemProvider;
}
