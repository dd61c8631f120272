package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's figures are produced and sane on a small device (the real run is `pmemfs bench fs`). */
class FsBenchTest {
    @TempDir
    Path dir;

    @Test
    void allFigures_smallDevice_positiveAndConsistent() throws Exception {
        try (FsFixture f = new FsFixture(dir, 64 * TestNamespaces.MIB, MountOptions.DEFAULTS)) {
            if (Boolean.getBoolean("pmemfs.bench.print")) {
                System.out.println(f.fs.statfs());
            }
            FsBench.SeqResult s = FsBench.sequential(f.fs, f.dax, 8L << 20);
            assertTrue(s.fsReadMiBs() > 0 && s.rawReadMiBs() > 0 && s.writeRatio() > 0, s.toString());
            FsBench.Rate r = FsBench.randomRead4k(f.fs, 4L << 20, 2000);
            assertEquals(2000, r.ops());
            FsBench.Rate small = FsBench.smallFiles(f.fs, Long.getLong("pmemfs.bench.small", 300));
            assertTrue(small.opsPerSecond() > 0);
            if (Boolean.getBoolean("pmemfs.bench.print")) {
                System.out.println(s + " read ratio " + s.readRatio() + " write ratio " + s.writeRatio());
                System.out.println("4k random read " + r + ", small files " + small);
            }
            f.fs.close();
            double mount = FsBench.mountSeconds(f.dax, f.bdev, 500);
            assertTrue(mount > 0);
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
            assertEquals(FsckReport.CLEAN, Fsck.check(f.dax, f.bdev, false).exitCode());
        }
    }
}
