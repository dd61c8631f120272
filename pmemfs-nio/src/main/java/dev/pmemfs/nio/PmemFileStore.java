package dev.pmemfs.nio;

import dev.pmemfs.fs.StatFs;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;

/**
 * The mounted filesystem as a FileStore: its space figures are statfs(2)'s (blocks times block size;
 * pmemfs reserves nothing for root, so usable equals unallocated).
 */
final class PmemFileStore extends FileStore {
    private final PmemFileSystem fs;

    PmemFileStore(PmemFileSystem fs) {
        this.fs = fs;
    }

    private StatFs statfs() {
        return fs.stack().fs().statfs();
    }

    @Override
    public String name() {
        return fs.stack().block().name();
    }

    @Override
    public String type() {
        return "pmemfs";
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public long getTotalSpace() throws IOException {
        StatFs s = statfs();
        return s.totalBlocks() * s.blockSize();
    }

    @Override
    public long getUsableSpace() throws IOException {
        StatFs s = statfs();
        return s.freeBlocks() * s.blockSize();
    }

    @Override
    public long getUnallocatedSpace() throws IOException {
        return getUsableSpace();
    }

    @Override
    public long getBlockSize() {
        return statfs().blockSize();
    }

    @Override
    public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
        return type == BasicFileAttributeView.class || type == PosixFileAttributeView.class
                || type == FileOwnerAttributeView.class || type == PmemFileAttributeView.class;
    }

    @Override
    public boolean supportsFileAttributeView(String name) {
        return PmemAttributes.VIEWS.contains(name);
    }

    @Override
    public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
        return null;
    }

    @Override
    public Object getAttribute(String attribute) throws IOException {
        return switch (attribute) {
            case "totalSpace" -> getTotalSpace();
            case "usableSpace" -> getUsableSpace();
            case "unallocatedSpace" -> getUnallocatedSpace();
            default -> throw new UnsupportedOperationException("file store attribute '" + attribute + "'");
        };
    }

    @Override
    public String toString() {
        return "/ (" + name() + ")";
    }
}
