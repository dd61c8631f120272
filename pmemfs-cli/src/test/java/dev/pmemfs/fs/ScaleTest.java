package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.media.Namespace;
import dev.pmemfs.pmem.Pmem;
import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 64 GiB image: mount reads the superblock, the journal head, the orphan list and the two bitmaps
 * and nothing else, however many files there are (the full 1M-file figure is `pmemfs bench fs`).
 */
class ScaleTest {
    @TempDir
    Path dir;

    @Test
    void mount_64GiBWithManyFiles_readsOnlyBitmapsAndHeaders() throws Exception {
        try (Namespace ns = TestNamespaces.fsdax(dir, 64L << 30)) {
            Pmem p = Pmem.attach(ns);
            PmemFs.mkfs(p.dax(), p.block(), MkfsOptions.DEFAULTS);
            FileSystem fs = PmemFs.mount(p.dax(), p.block(), null);
            for (int d = 0; d < 4; d++) {
                long dir = fs.create(fs.rootIno(), "d" + d, FileType.DIRECTORY, 0755, 0, 0);
                for (int i = 0; i < 3000; i++) {
                    fs.create(dir, "f" + i, FileType.REGULAR, 0644, 0, 0);
                }
            }
            fs.close();
            Geometry g = PmemFs.readSuperblock(p.dax()).geometry();
            long t0 = System.nanoTime();
            MountedFs again = (MountedFs) PmemFs.mount(p.dax(), p.block(), null);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long bound = g.bbmLen() + g.ibmLen() + 4;
            assertTrue(again.metadataReads() <= bound, again.metadataReads() + " metadata blocks read at mount, bound "
                    + bound);
            assertTrue(seconds < 5, "mount took " + seconds + " s");
            assertEquals(3000, again.readdir(again.lookup(again.rootIno(), "d3")).size());
            again.close();
        }
    }
}
