package dev.pmemfs.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.Falloc;
import dev.pmemfs.testing.MountedVfs;
import dev.pmemfs.vfs.Syscalls;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LTP fallocate02, "check fallocate() with various error conditions that should produce EBADF, EINVAL
 * and EFBIG": its test_data table, in 1 KiB blocks, for the default mode (KEEP_SIZE) and for
 * TEST_DEFAULT (mode 0).
 */
class LtpFallocate02Test {
    static final int BLOCKS_WRITTEN = 12;
    static final int OFFSET = 12;
    static final long BLOCK_SIZE = 1024;
    static final long MAX_FILESIZE = Long.MAX_VALUE / 1024;

    @TempDir
    Path tmp;

    /** One row of test_data: which descriptor, offset and length in blocks, expected errno. */
    record TestData(boolean readOnly, long offset, long len, Errno error) {}

    static final TestData[] TEST_DATA = {
        new TestData(true, 0, 1, Errno.EBADF),
        new TestData(false, -1, 1, Errno.EINVAL),
        new TestData(false, 1, -1, Errno.EINVAL),
        new TestData(false, BLOCKS_WRITTEN, 0, Errno.EINVAL),
        new TestData(false, BLOCKS_WRITTEN, -1, Errno.EINVAL),
        new TestData(false, -(BLOCKS_WRITTEN + OFFSET), 1, Errno.EINVAL),
        new TestData(false, MAX_FILESIZE, 1, Errno.EFBIG),
        new TestData(false, 1, MAX_FILESIZE, Errno.EFBIG),
    };

    @Test
    void fallocate02_errnoTable_bothModes() throws ErrnoException {
        try (MountedVfs m = new MountedVfs(tmp, 32L << 20, MountedVfs.LINUX)) {
            Syscalls sys = m.root();
            // setup(): test_file1 read-only, test_file2 read-write with 12 blocks of 'A'.
            int fdr = sys.open("/test_file1", Syscalls.O_RDONLY | Syscalls.O_CREAT, 0400);
            int fdw = sys.open("/test_file2", Syscalls.O_RDWR | Syscalls.O_CREAT, 0700);
            byte[] buf = new byte[(int) BLOCK_SIZE];
            Arrays.fill(buf, (byte) 'A');
            for (int i = 0; i < BLOCKS_WRITTEN; i++) {
                assertEquals(buf.length, sys.write(fdw, buf, 0, buf.length));
            }
            for (int mode : new int[] {Falloc.FALLOC_FL_KEEP_SIZE, 0}) {
                for (TestData t : TEST_DATA) {
                    int fd = t.readOnly() ? fdr : fdw;
                    ErrnoException e = assertThrows(ErrnoException.class,
                            () -> sys.fallocate(fd, mode, t.offset() * BLOCK_SIZE, t.len() * BLOCK_SIZE), t.toString());
                    assertEquals(t.error(), e.errno(), "fallocate(mode " + mode + ", " + t + ")");
                }
            }
            assertEquals(BLOCKS_WRITTEN * BLOCK_SIZE, sys.fstat(fdw).size());
        }
    }
}
