package dev.pmemfs.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.testing.MountedVfs;
import dev.pmemfs.testing.XfsIoHarness;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fstests generic/008, "Makes calls to fallocate zero range and checks tossed ranges":
 * {@code _test_block_boundaries BS fzero _filter_xfs_io_unique} for BS = 1024, 2048, 4096, 65536. The
 * expected text ({@code generic-008.out}) was produced by running the same xfs_io command lines with
 * xfsprogs 6.1 on Linux (ext4) through fstests' filters; it is generic/008.out without its first line.
 */
class Generic008ScenarioTest {
    @TempDir
    Path tmp;

    /** common/punch {@code _test_block_boundaries}: A-block then B-block, zero a range, dump both blocks. */
    private static String testBlockBoundaries(XfsIoHarness h, int bs, String zeroCmd, String testfile) {
        StringBuilder out = new StringBuilder();
        long[][] ranges = {{0, 1}, {0, bs - 1}, {0, bs}, {0, bs + 1}, {bs - 1, bs}, {bs - 1, bs + 1}, {bs - 1, bs + 2},
            {bs, bs}, {bs / 2, bs}};
        for (long[] r : ranges) {
            out.append(r[0] == bs / 2 ? "zero " + r[0] + " , " + r[1] : "zero " + r[0] + ", " + r[1]).append('\n');
            out.append(XfsIoHarness.filterXfsIoUnique(h.xfsIo(true, testfile,
                    "pwrite -S 0x41 0 " + bs,
                    "pwrite -S 0x42 " + bs + " " + bs,
                    zeroCmd + " " + r[0] + " " + r[1],
                    "pread -v 0 " + (bs * 2))));
        }
        return out.toString();
    }

    @Test
    void generic008_zeroRangeBlockBoundaries_matchLinux() throws ErrnoException, IOException {
        String expected;
        try (InputStream in = Generic008ScenarioTest.class.getResourceAsStream("generic-008.out")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (MountedVfs m = new MountedVfs(tmp, 32L << 20, MountedVfs.LINUX)) {
            XfsIoHarness h = new XfsIoHarness(m.vfs);
            String testfile = "/008.test";
            String out = testBlockBoundaries(h, 1024, "fzero", testfile)
                    + testBlockBoundaries(h, 2048, "fzero", testfile)
                    + testBlockBoundaries(h, 4096, "fzero", testfile)
                    + testBlockBoundaries(h, 65536, "fzero", testfile);
            assertEquals(expected, out);
        }
    }

    @Test
    void generic008_onThePmemfsDefaultMount_givesTheSameBytes() throws ErrnoException, IOException {
        // zero_range=zeroinit zeroes in place instead of converting to unwritten: the bytes must not change.
        String expected;
        try (InputStream in = Generic008ScenarioTest.class.getResourceAsStream("generic-008.out")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (MountedVfs m = new MountedVfs(tmp, 32L << 20, dev.pmemfs.fs.MountOptions.DEFAULTS)) {
            XfsIoHarness h = new XfsIoHarness(m.vfs);
            String out = testBlockBoundaries(h, 1024, "fzero", "/f") + testBlockBoundaries(h, 2048, "fzero", "/f")
                    + testBlockBoundaries(h, 4096, "fzero", "/f") + testBlockBoundaries(h, 65536, "fzero", "/f");
            assertEquals(expected, out);
        }
    }
}
