package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Gen;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seeded property tests of the allocator: no block handed out twice, busy blocks never reused early. */
class AllocatorTest {
    @Test
    void randomAllocFree_neverDoubleAllocatesOrReusesBusy() {
        Gen.forAll("allocator", 80, g -> {
            int total = g.intBetween(100, 3000);
            int dataStart = g.intBetween(1, 50);
            Bitmap used = new Bitmap(total);
            used.setRange(0, dataStart, true);
            Allocator a = new Allocator(used, dataStart);
            boolean[] owned = new boolean[total];
            boolean[] busy = new boolean[total];
            List<long[]> runs = new ArrayList<>();
            for (int step = 0; step < 200; step++) {
                int op = g.intBetween(0, 9);
                if (op < 5) {
                    long[] r = a.allocate(g.between(0, total), g.between(1, 64));
                    if (r == null) {
                        for (int b = dataStart; b < total; b++) {
                            assertTrue(owned[b] || busy[b], "allocation failed with block " + b + " available");
                        }
                        continue;
                    }
                    for (long b = r[0]; b < r[0] + r[1]; b++) {
                        assertTrue(b >= dataStart, "metadata block " + b + " handed out");
                        assertFalse(owned[(int) b], "block " + b + " handed out twice");
                        assertFalse(busy[(int) b], "busy block " + b + " reused before the free was forced");
                        owned[(int) b] = true;
                    }
                    runs.add(r);
                } else if (op < 8 && !runs.isEmpty()) {
                    long[] r = runs.remove(g.intBetween(0, runs.size() - 1));
                    a.free(r[0], r[1]);
                    for (long b = r[0]; b < r[0] + r[1]; b++) {
                        owned[(int) b] = false;
                        busy[(int) b] = true;
                    }
                } else {
                    a.releaseBusy(false);
                    java.util.Arrays.fill(busy, false);
                }
                long free = 0;
                for (int b = dataStart; b < total; b++) {
                    if (!owned[b]) {
                        free++;
                    }
                    assertEquals(owned[b], a.isUsed(b), "bitmap bit of block " + b);
                }
                assertEquals(free, a.freeBlocks());
            }
        });
    }

    @Test
    void free_journaledMetadata_staysBusyUntilCheckpoint() {
        Bitmap used = new Bitmap(20);
        used.setRange(0, 10, true);
        Allocator a = new Allocator(used, 10);
        long[] r = a.allocate(10, 10);
        assertEquals(10, r[1]);
        a.free(10, 1, true);
        a.releaseBusy(false);
        assertNull(a.allocate(10, 1));
        a.releaseBusy(true);
        assertEquals(10, a.allocate(10, 1)[0]);
    }

    @Test
    void bitmap_storeLoad_roundTrips() {
        Gen.forAll("bitmap-roundtrip", 50, g -> {
            int n = g.intBetween(1, 40000);
            Bitmap b = new Bitmap(n);
            for (int i = 0; i < n / 3; i++) {
                b.set(g.between(0, n - 1), true);
            }
            byte[] img = new byte[n / 8 + 2];
            b.store(0, n, img, 1);
            Bitmap c = new Bitmap(n);
            c.load(0, n, img, 1);
            for (int i = 0; i < n; i++) {
                assertEquals(b.get(i), c.get(i));
            }
            assertEquals(b.cardinality(), c.cardinality());
            long first = b.nextSet(0);
            assertEquals(first, c.nextSet(0));
        });
    }
}
