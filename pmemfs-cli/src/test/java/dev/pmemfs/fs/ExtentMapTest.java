package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Gen;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seeded property tests of the extent map against a per-block model. */
class ExtentMapTest {
    static final int N = 160;

    /** Per file block: device block or -1, and the unwritten flag. */
    static final class Model {
        long[] dev = new long[N * 3];
        boolean[] unwritten = new boolean[N * 3];

        Model() {
            java.util.Arrays.fill(dev, -1);
        }
    }

    @Test
    void randomOperations_matchBlockModelAndStayCanonical() {
        Gen.forAll("extent-map", 300, g -> {
            ExtentMap m = new ExtentMap();
            Model model = new Model();
            long nextDev = 1000;
            for (int step = 0; step < 40; step++) {
                int op = g.intBetween(0, 4);
                int from = g.intBetween(0, N - 1);
                int to = Math.min(N, from + g.intBetween(1, 20));
                switch (op) {
                    case 0 -> {
                        // map the first hole run inside [from, to)
                        int s = from;
                        while (s < to && model.dev[s] >= 0) {
                            s++;
                        }
                        int e = s;
                        while (e < to && model.dev[e] < 0) {
                            e++;
                        }
                        if (s < e) {
                            boolean uw = g.chance(0.4);
                            // sometimes continue the device run of the left neighbour, to exercise merging
                            long dev = s > 0 && model.dev[s - 1] >= 0 && g.chance(0.5) ? model.dev[s - 1] + 1 : nextDev;
                            nextDev = Math.max(nextDev, dev + (e - s)) + g.intBetween(0, 2);
                            m.insert(new Extent(s, dev, e - s, uw));
                            for (int i = s; i < e; i++) {
                                model.dev[i] = dev + (i - s);
                                model.unwritten[i] = uw;
                            }
                        }
                    }
                    case 1 -> {
                        long removed = 0;
                        for (Extent x : m.remove(from, to)) {
                            removed += x.count();
                            for (long i = x.fileBlock(); i < x.end(); i++) {
                                assertEquals(model.dev[(int) i], x.devBlock() + (i - x.fileBlock()));
                            }
                        }
                        long expected = 0;
                        for (int i = from; i < to; i++) {
                            if (model.dev[i] >= 0) {
                                expected++;
                            }
                            model.dev[i] = -1;
                        }
                        assertEquals(expected, removed);
                    }
                    case 2 -> {
                        boolean uw = g.chance(0.5);
                        m.setState(from, to, uw);
                        for (int i = from; i < to; i++) {
                            if (model.dev[i] >= 0) {
                                model.unwritten[i] = uw;
                            }
                        }
                    }
                    case 3 -> {
                        int by = to - from;
                        m.remove(from, to);
                        m.shiftDown(from, by);
                        for (int i = from; i < model.dev.length; i++) {
                            int src = i + by;
                            model.dev[i] = src < model.dev.length ? model.dev[src] : -1;
                            model.unwritten[i] = src < model.dev.length && model.unwritten[src];
                        }
                    }
                    default -> {
                        int by = to - from;
                        if (m.endBlock() + by >= model.dev.length) {
                            continue;
                        }
                        m.shiftUp(from, by);
                        for (int i = model.dev.length - 1; i >= from; i--) {
                            int src = i - by;
                            boolean moved = src >= from;
                            model.dev[i] = moved ? model.dev[src] : -1;
                            model.unwritten[i] = moved && model.unwritten[src];
                        }
                    }
                }
                check(m, model);
            }
        });
    }

    private static void check(ExtentMap m, Model model) {
        List<Extent> all = m.all();
        for (int i = 1; i < all.size(); i++) {
            Extent a = all.get(i - 1);
            Extent b = all.get(i);
            assertTrue(a.end() <= b.fileBlock(), "overlap " + a + " " + b);
            assertFalse(a.mergeableWith(b), "unmerged neighbours " + a + " " + b);
        }
        for (int i = 0; i < model.dev.length; i++) {
            Extent x = m.find(i);
            if (model.dev[i] < 0) {
                assertNull(x, "block " + i + " should be a hole");
            } else {
                assertEquals(model.dev[i], x.devBlock() + (i - x.fileBlock()), "device of block " + i);
                assertEquals(model.unwritten[i], x.unwritten(), "state of block " + i);
            }
        }
    }

    @Test
    void insert_overlapping_throws() {
        ExtentMap m = new ExtentMap();
        m.insert(new Extent(10, 100, 5, false));
        assertThrows(IllegalStateException.class, () -> m.insert(new Extent(14, 200, 2, false)));
    }

    @Test
    void insert_contiguous_merges() {
        ExtentMap m = new ExtentMap();
        m.insert(new Extent(0, 100, 5, false));
        m.insert(new Extent(10, 110, 5, false));
        m.insert(new Extent(5, 105, 5, false));
        assertEquals(List.of(new Extent(0, 100, 15, false)), m.all());
    }
}
