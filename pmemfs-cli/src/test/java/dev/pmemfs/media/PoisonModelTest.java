package dev.pmemfs.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.testing.Gen;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison and badblocks bookkeeping against a simple model: one state per clear unit (clean, latent,
 * known) and one flag per sector, driven by random injections, un-injections, firmware clears,
 * scrubs, reads that consume poison, and badblocks stores; then checked again after reopening.
 */
class PoisonModelTest {
    private static final int UNIT = 256;
    private static final int SIZE = 64 << 10;
    private static final int UNITS = SIZE / UNIT;
    private static final int SECTORS = SIZE / 512;

    @TempDir
    Path dir;

    /** 0 clean, 1 latent, 2 known. */
    private final byte[] units = new byte[UNITS];
    private final boolean[] bad = new boolean[SECTORS];

    @Test
    void poisonAndBadblocks_randomOperations_matchTheModel() {
        Gen.forAll("poison-model", 30, g -> {
            try {
                run(g);
            } catch (IOException | ErrnoException e) {
                throw new RuntimeException(e);
            }
        });
    }

    private void run(Gen g) throws IOException, ErrnoException {
        java.util.Arrays.fill(units, (byte) 0);
        java.util.Arrays.fill(bad, false);
        Path image = dir.resolve("model-" + g.seed() + ".img");
        try (Namespace ns = Namespace.create(image, NamespaceConfig.of(SIZE, NamespaceMode.RAW))) {
            for (int op = 0; op < 80; op++) {
                int u = g.intBetween(0, UNITS - 1);
                int n = g.intBetween(1, Math.min(12, UNITS - u));
                long off = (long) u * UNIT;
                long len = (long) n * UNIT;
                switch (g.intBetween(0, 7)) {
                    case 0, 1 -> {
                        boolean notify = g.chance(0.5);
                        // an unaligned request rounds out to whole units
                        long skew = g.between(0, UNIT - 1);
                        ns.injectError(off + skew, Math.max(1, len - skew - g.between(0, UNIT - 1)), notify);
                        for (int i = u; i < u + n; i++) {
                            units[i] = notify ? 2 : (units[i] == 2 ? (byte) 2 : (byte) 1);
                            if (notify) {
                                bad[i * UNIT / 512] = true;
                            }
                        }
                    }
                    case 2 -> {
                        ns.uninjectError(off, len);
                        for (int i = u; i < u + n; i++) {
                            units[i] = 0;
                        }
                    }
                    case 3 -> {
                        assertEquals(len, ns.clearPoison(off, len));
                        for (int i = u; i < u + n; i++) {
                            units[i] = 0;
                        }
                        for (long s = (off + 511) / 512; s < (off + len) / 512; s++) {
                            bad[(int) s] = false;
                        }
                    }
                    case 4 -> {
                        ns.scrub();
                        for (int i = 0; i < UNITS; i++) {
                            if (units[i] != 0) {
                                units[i] = 2;
                                bad[i * UNIT / 512] = true;
                            }
                        }
                    }
                    case 5 -> {
                        long start = off + g.between(0, UNIT - 1);
                        int rlen = (int) Math.min(SIZE - start, g.between(1, 4000));
                        CopyResult r = ns.read(start, new byte[rlen], 0, rlen);
                        int first = -1;
                        for (long b = start; b < start + rlen; b++) {
                            if (units[(int) (b / UNIT)] != 0) {
                                first = (int) b;
                                break;
                            }
                        }
                        if (first < 0) {
                            assertEquals(CopyResult.complete(rlen), r);
                        } else {
                            assertEquals(new CopyResult(first - start, first), r);
                            units[first / UNIT] = 2;
                            bad[first / 512] = true;
                        }
                    }
                    case 6 -> {
                        int s = g.intBetween(0, SECTORS - 1);
                        int k = g.intBetween(1, Math.min(6, SECTORS - s));
                        ns.badblocksSet(s, k);
                        for (int i = s; i < s + k; i++) {
                            bad[i] = true;
                        }
                    }
                    default -> {
                        int s = g.intBetween(0, SECTORS - 1);
                        int k = g.intBetween(1, Math.min(6, SECTORS - s));
                        ns.badblocksClear(s, k);
                        for (int i = s; i < s + k; i++) {
                            bad[i] = false;
                        }
                    }
                }
                assertEquals(modelPoison(), ns.poisonRecords(), "poison after op " + op);
                assertEquals(modelBadblocks(), ns.badblocks(), "badblocks after op " + op);
            }
        }
        try (Namespace again = Namespace.open(image)) {
            assertEquals(modelPoison(), again.poisonRecords(), "poison after reopen");
            assertEquals(modelBadblocks(), again.badblocks(), "badblocks after reopen");
        }
    }

    private List<PoisonRange> modelPoison() {
        List<PoisonRange> out = new ArrayList<>();
        int i = 0;
        while (i < UNITS) {
            if (units[i] == 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < UNITS && units[j] == units[i]) {
                j++;
            }
            out.add(new PoisonRange(new ByteRange((long) i * UNIT, (long) (j - i) * UNIT), units[i] == 2));
            i = j;
        }
        return out;
    }

    private List<BadRange> modelBadblocks() {
        List<BadRange> out = new ArrayList<>();
        int i = 0;
        while (i < SECTORS) {
            if (!bad[i]) {
                i++;
                continue;
            }
            int j = i;
            while (j < SECTORS && bad[j]) {
                j++;
            }
            out.add(new BadRange(i, j - i));
            i = j;
        }
        return out;
    }
}
