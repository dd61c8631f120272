package dev.pmemfs.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The master seed: new cases every run, every run replayable, every failure names how to replay it. */
class GenTest {
    @Test
    void masterFrom_absent_drawsANewSeedEachTime_given_parsesIt() {
        Set<Long> drawn = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            drawn.add(Gen.masterFrom(null));
        }
        assertEquals(8, drawn.size(), "a run without -Dpmemfs.seed draws a fresh master");
        assertEquals(-42L, Gen.masterFrom(" -42"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gen.masterFrom("0x1F"));
        assertTrue(e.getMessage().contains("-Dpmemfs.seed=0x1F"), e.getMessage());
    }

    @Test
    void caseSeed_dependsOnMasterNameAndCase_andOnNothingElse() {
        assertEquals(Gen.caseSeed(7, "p", 3), Gen.caseSeed(7, "p", 3));
        Set<Long> seeds = new HashSet<>();
        for (long m = 0; m < 4; m++) {
            for (String name : List.of("p", "q")) {
                for (int i = 0; i < 4; i++) {
                    seeds.add(Gen.caseSeed(m, name, i));
                }
            }
        }
        assertEquals(32, seeds.size(), "nearby masters, names and case numbers give distinct seeds");
    }

    @Test
    void forAll_casesComeFromThisRunsMaster() {
        List<Long> seen = new ArrayList<>();
        Gen.forAll("gen-test", 5, g -> seen.add(g.seed()));
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.add(Gen.caseSeed(Gen.masterSeed(), "gen-test", i));
        }
        assertEquals(expected, seen);
        assertEquals(Gen.caseSeed(Gen.masterSeed(), "single", 0), Gen.of("single").seed());
        assertNotEquals(Gen.of("single").seed(), Gen.of("other").seed());
    }

    @Test
    void forAll_failure_namesTheCaseTheMasterAndBothReplayOptions() {
        long master = Gen.masterSeed();
        long second = Gen.caseSeed(master, "fails-on-second", 1);
        int[] calls = {0};
        AssertionError e = assertThrows(AssertionError.class, () -> Gen.forAll("fails-on-second", 4, g -> {
            if (calls[0]++ == 1) {
                throw new AssertionError("boom");
            }
        }));
        assertEquals("fails-on-second failed for seed " + second + " (master " + master + "; replay with -Dpmemfs.seed="
                + master + ", or this case alone with -Dpmemfs.case=" + second + "): boom", e.getMessage());
        assertEquals(2, calls[0], "stops at the first failing case");
    }

    @Test
    void pinnedCase_runsOnlyThatSeed() {
        String before = System.getProperty(Gen.CASE_PROPERTY);
        System.setProperty(Gen.CASE_PROPERTY, "12345");
        try {
            List<Long> seen = new ArrayList<>();
            Gen.forAll("pinned", 10, g -> seen.add(g.seed()));
            assertEquals(List.of(12345L), seen);
            assertEquals(12345L, Gen.of("anything").seed());
            assertTrue(Gen.onePinnedCase());
            assertEquals("seed 12345 (pinned with -Dpmemfs.case)", Gen.of("x").describe());
        } finally {
            if (before == null) {
                System.clearProperty(Gen.CASE_PROPERTY);
            } else {
                System.setProperty(Gen.CASE_PROPERTY, before);
            }
        }
    }

    @Test
    void fixedSeed_describesItselfWithoutAMaster() {
        assertEquals("seed 3", new Gen(3).describe());
    }
}
