package dev.pmemfs.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Gen;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RangeSetTest {
    /** The model: one bit per value of a small universe. */
    private static List<long[]> runs(BitSet bits) {
        List<long[]> out = new ArrayList<>();
        int i = bits.nextSetBit(0);
        while (i >= 0) {
            int end = bits.nextClearBit(i);
            out.add(new long[] {i, end});
            i = bits.nextSetBit(end);
        }
        return out;
    }

    private static void assertSame(BitSet model, RangeSet set, long seedInfo) {
        List<long[]> want = runs(model);
        List<long[]> got = set.toList();
        assertEquals(want.size(), got.size(), "range count");
        assertEquals(want.size(), set.size(), "size()");
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i), got.get(i), "range " + i);
        }
        assertEquals(model.cardinality(), set.totalLength(), "total length");
    }

    @Test
    void addRemove_randomOperations_matchBitModel() {
        Gen.forAll("rangeset-model", 200, g -> {
            int universe = g.intBetween(16, 5000);
            BitSet model = new BitSet();
            RangeSet set = new RangeSet();
            int ops = g.intBetween(1, 600);
            for (int k = 0; k < ops; k++) {
                int s = g.intBetween(0, universe - 1);
                int len = g.chance(0.8) ? g.intBetween(1, 8) : g.intBetween(1, universe / 4 + 1);
                int e = Math.min(universe, s + len);
                if (g.chance(0.65)) {
                    set.add(s, e);
                    model.set(s, e);
                } else {
                    set.remove(s, e);
                    model.clear(s, e);
                }
                // Queries agree with the model on a random window.
                int qs = g.intBetween(0, universe - 1);
                int qe = Math.min(universe, qs + g.intBetween(1, 64));
                int first = model.nextSetBit(qs);
                boolean any = first >= 0 && first < qe;
                assertEquals(any, set.overlaps(qs, qe), "overlaps " + qs + ".." + qe);
                long[] r = set.firstOverlap(qs, qe);
                if (any) {
                    assertTrue(r[0] <= first && r[1] > first, "firstOverlap covers the first set bit");
                    assertEquals(model.nextClearBit(first), r[1]);
                } else {
                    assertNull(r);
                }
                assertEquals(model.get(qs, qe).cardinality() == qe - qs, set.covers(qs, qe), "covers");
            }
            assertSame(model, set, g.seed());
            List<long[]> w = set.within(universe / 3, universe / 2 + 1);
            BitSet clipped = model.get(0, universe / 2 + 1);
            clipped.clear(0, universe / 3);
            List<long[]> want = runs(clipped);
            assertEquals(want.size(), w.size(), "within count");
        });
    }

    @Test
    void add_millionDisjointRanges_staysCompactAndFindsEach() {
        RangeSet set = new RangeSet();
        int n = 1_000_000;
        for (long i = 0; i < n; i++) {
            set.add(i * 4, i * 4 + 1);
        }
        assertEquals(n, set.size());
        assertTrue(set.overlaps(4L * 765_432, 4L * 765_432 + 1));
        assertFalse(set.overlaps(4L * 765_432 + 1, 4L * 765_432 + 4));
        // Filling the gaps merges everything into one range.
        for (long i = 0; i < n - 1; i++) {
            set.add(i * 4 + 1, i * 4 + 4);
        }
        assertEquals(1, set.size());
        assertArrayEquals(new long[] {0, 4L * (n - 1) + 1}, set.toList().get(0));
    }

    @Test
    void add_outOfOrderInserts_splitChunksCorrectly() {
        RangeSet set = new RangeSet();
        BitSet model = new BitSet();
        for (int i = 5000; i >= 0; i--) {
            set.add(i * 3L, i * 3L + 1);
            model.set(i * 3, i * 3 + 1);
        }
        assertSame(model, set, 0);
        set.remove(10, 14000);
        model.clear(10, 14000);
        assertSame(model, set, 0);
    }
}
