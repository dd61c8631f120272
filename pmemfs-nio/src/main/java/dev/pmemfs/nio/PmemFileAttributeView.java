package dev.pmemfs.nio;

import java.io.IOException;
import java.nio.file.attribute.FileAttributeView;
import java.util.List;

/**
 * The {@code pmem} attribute view: what a pmem file has that other files do not. Also readable by
 * name: {@code Files.getAttribute(path, "pmem:badRanges")}, {@code "pmem:extents"}, {@code "pmem:*"}.
 */
public interface PmemFileAttributeView extends FileAttributeView {
    /** "pmem". */
    @Override
    String name();

    /**
     * The file's known media errors, in file order, whole filesystem blocks (libpmem2's badblock
     * iterator over FIEMAP and the device's badblocks list). Listing them needs no privilege.
     */
    List<PmemFiles.BadRange> badRanges() throws IOException;

    /** The file's extents (FS_IOC_FIEMAP): where its bytes lie on the device, and which are unwritten. */
    List<PmemFiles.Extent> extents() throws IOException;
}
