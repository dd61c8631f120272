package dev.pmemfs.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.Falloc;
import dev.pmemfs.testing.MountedVfs;
import dev.pmemfs.vfs.Syscalls;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LTP fallocate04: a file of three blocks 'a', 'b', 'c' (st_blksize each), then PUNCH_HOLE, ZERO_RANGE
 * and COLLAPSE_RANGE, checking SEEK_HOLE, st_blocks and the data after each.
 */
class LtpFallocate04Test {
    static final int NUM_OF_BLOCKS = 3;

    @TempDir
    Path tmp;
    MountedVfs m;
    Syscalls sys;
    int fd;
    int blockSize;
    int bufSize;

    @BeforeEach
    void setup() throws ErrnoException {
        m = new MountedVfs(tmp, 32L << 20, MountedVfs.LINUX);
        sys = m.root();
        fd = sys.open("/fallocate04.txt", Syscalls.O_RDWR | Syscalls.O_CREAT, 0700);
        blockSize = sys.fstat(fd).blksize();
        bufSize = NUM_OF_BLOCKS * blockSize;
    }

    @AfterEach
    void cleanup() throws ErrnoException {
        m.close();
    }

    private long getAllocsize() throws ErrnoException {
        return sys.fstat(fd).blocks() * 512;
    }

    private byte[] fillTstBuf() {
        byte[] buf = new byte[bufSize];
        for (int i = 0; i < NUM_OF_BLOCKS; i++) {
            Arrays.fill(buf, i * blockSize, (i + 1) * blockSize, (byte) ('a' + i));
        }
        return buf;
    }

    private void checkFileData(byte[] expected) throws ErrnoException {
        sys.lseek(fd, 0, Syscalls.SEEK_SET);
        byte[] rbuf = new byte[expected.length];
        assertEquals(expected.length, sys.read(fd, rbuf, 0, rbuf.length));
        assertArrayEquals(expected, rbuf, "not expected file data");
    }

    @Test
    void fallocate04_punchZeroCollapse() throws ErrnoException {
        // test01: allocate, then write the three blocks.
        sys.fallocate(fd, 0, 0, bufSize);
        byte[] buf = fillTstBuf();
        assertEquals(bufSize, sys.write(fd, buf, 0, bufSize));

        // test02: make a hole with FALLOC_FL_PUNCH_HOLE.
        long allocSize0 = getAllocsize();
        sys.fallocate(fd, Falloc.FALLOC_FL_PUNCH_HOLE | Falloc.FALLOC_FL_KEEP_SIZE, blockSize, blockSize);
        assertEquals(blockSize, sys.lseek(fd, 0, Syscalls.SEEK_HOLE), "the hole is at block 1");
        assertEquals(allocSize0 - blockSize, getAllocsize(), "not expected allocated size");
        byte[] exp = fillTstBuf();
        Arrays.fill(exp, blockSize, 2 * blockSize, (byte) 0);
        checkFileData(exp);

        // test03: zeroing file space with FALLOC_FL_ZERO_RANGE re-allocates the hole.
        allocSize0 = getAllocsize();
        sys.fallocate(fd, Falloc.FALLOC_FL_ZERO_RANGE, blockSize - 1, blockSize + 2);
        assertEquals(allocSize0 + blockSize, getAllocsize(), "not expected allocated size");
        exp = fillTstBuf();
        Arrays.fill(exp, blockSize - 1, 2 * blockSize + 1, (byte) 0);
        checkFileData(exp);

        // test04: collapsing file space with FALLOC_FL_COLLAPSE_RANGE.
        allocSize0 = getAllocsize();
        sys.fallocate(fd, Falloc.FALLOC_FL_COLLAPSE_RANGE, blockSize, blockSize);
        assertEquals(allocSize0 - blockSize, getAllocsize(), "not expected allocated size");
        byte[] tmpBuf = fillTstBuf();
        byte[] expBuf = new byte[bufSize - blockSize];
        System.arraycopy(tmpBuf, 0, expBuf, 0, blockSize);
        System.arraycopy(tmpBuf, bufSize - blockSize, expBuf, blockSize, blockSize);
        // test03 zeroed the last byte of block 0 and the first of block 2 (LTP compares only sizeof(pointer)
        // bytes and so never sees them); block 2 moved down with the collapse.
        expBuf[blockSize] = 0;
        expBuf[blockSize - 1] = 0;
        checkFileData(expBuf);
        assertEquals(bufSize - blockSize, sys.fstat(fd).size());
    }
}
