package dev.pmemfs.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.fs.BlockOwner;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.media.ByteRange;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of poison event lands where it says, on a real testbed. */
class PlacementTest {
    @TempDir
    Path dir;

    private static BlockOwner ownerOf(Testbed t, ByteRange r) throws Exception {
        return t.fs().owner((r.offset() - t.ns.dataOffset()) / FileModel.BLOCK * FileModel.BLOCK);
    }

    @Test
    void inject_eachKind_landsOnThatKindOfBlock() throws Exception {
        try (Testbed t = Testbed.create(dir, 16L << 20, MountOptions.Profile.LINUX_5_19.options())) {
            WorkloadRun w = Workload.RDMA_BUFFER.start(t.fs().statfs().freeBlocks() * FileModel.BLOCK, 1);
            w.setUp(t.owner());
            for (long pick = 0; pick < 20; pick++) {
                ByteRange sector = Placement.inject(t, w, new PoisonEvent(1, PoisonEvent.Kind.FILE_SECTOR, true, pick * 7919, 1, 3));
                assertEquals(512, sector.length());
                assertEquals(3 * 512, (sector.offset() - t.ns.dataOffset()) % FileModel.BLOCK);
                assertInstanceOf(BlockOwner.FileData.class, ownerOf(t, sector));

                ByteRange free = Placement.inject(t, w, new PoisonEvent(2, PoisonEvent.Kind.FREE, true, pick, 1, 0));
                assertInstanceOf(BlockOwner.Free.class, ownerOf(t, free));

                ByteRange meta = Placement.inject(t, w, new PoisonEvent(3, PoisonEvent.Kind.METADATA, false, pick, 1, 0));
                BlockOwner m = ownerOf(t, meta);
                assertInstanceOf(BlockOwner.Metadata.class, m);
                assertNotEquals("journal", ((BlockOwner.Metadata) m).structure());
                assertTrue(t.ns.poisonRecords(meta.offset(), meta.length()).stream().noneMatch(p -> p.known()),
                        "a latent event stays latent until the scrub");
            }
            ByteRange cluster = Placement.inject(t, w, new PoisonEvent(4, PoisonEvent.Kind.FILE_CLUSTER, true, 12345, 9, 0));
            assertNotNull(cluster);
            assertEquals(9L * FileModel.BLOCK, cluster.length());
            assertEquals(0, (cluster.offset() - t.ns.dataOffset()) % FileModel.BLOCK);
        }
    }
}
