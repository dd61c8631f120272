package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mount-time figure is produced on a small device and the device stays clean (the real run is `pmemfs bench fs`). */
class FsBenchTest {
    @TempDir
    Path dir;

    @Test
    void mountSeconds_populatedDevice_positiveAndLeavesItClean() throws Exception {
        try (FsFixture f = new FsFixture(dir, 64 * TestNamespaces.MIB, MountOptions.DEFAULTS)) {
            f.fs.close();
            double mount = FsBench.mountSeconds(f.dax, f.bdev, 500);
            assertTrue(mount > 0);
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
            assertEquals(FsckReport.CLEAN, Fsck.check(f.dax, f.bdev, false).exitCode());
        }
    }
}
