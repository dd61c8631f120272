package dev.pmemfs.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TrackingPersistenceTest extends PersistenceDomainContract {
    @Override
    PersistenceDomain newDomain() {
        return new TrackingPersistence();
    }

    private static final long A = 4096;
    private static final long B = 8192;

    /** A store is durable only once flushed and fenced; unfenced ones survive only when chosen. */
    @Test
    void crashImage_flushFenceRules_decideWhatSurvives() throws Exception {
        TrackingPersistence t = new TrackingPersistence();
        Path image = dir.resolve("t.img");
        int k0;
        try (Namespace ns = Namespace.create(image, NamespaceConfig.of(4L << 20, NamespaceMode.RAW), t)) {
            k0 = t.fenceCount();
            ns.storeLong(A, 1);          // flushed + fenced below: durable at k0+1
            ns.flush(A, 8);
            ns.storeLong(B, 2);          // never flushed
            ns.fence();
            ns.storeLong(A, 3);          // flushed, not fenced
            ns.flush(A, 8);
        }
        assertEquals(k0 + 1, t.fenceCount());
        assertEquals(0, valueAt(t, k0, TrackingPersistence.DURABLE_ONLY, A));
        assertEquals(1, valueAt(t, k0 + 1, TrackingPersistence.DURABLE_ONLY, A));
        assertEquals(0, valueAt(t, k0 + 1, TrackingPersistence.DURABLE_ONLY, B));
        assertEquals(2, valueAt(t, k0 + 1, TrackingPersistence.ALL_ISSUED, B));
        assertEquals(3, valueAt(t, k0 + 1, TrackingPersistence.ALL_ISSUED, A));
        // Cut before the fence: the first store of A may or may not have made it.
        assertEquals(1, valueAt(t, k0, TrackingPersistence.ALL_ISSUED, A));
        assertEquals(2, t.volatileStores(k0 + 1));
        assertThrows(IllegalArgumentException.class, () -> t.crashImage(k0 + 2, i -> true, dir.resolve("x")));
    }

    private long valueAt(TrackingPersistence t, int k, java.util.function.IntPredicate keep, long off) throws Exception {
        Path out = dir.resolve("cut-" + k + "-" + System.nanoTime() + ".img");
        t.crashImage(k, keep, out);
        try (Namespace ns = Namespace.open(out)) {
            return ns.loadLong(off);
        }
    }
}
