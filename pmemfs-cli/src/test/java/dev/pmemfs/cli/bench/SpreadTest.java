package dev.pmemfs.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SpreadTest {
    @Test
    void of_samplesInAnyOrder_minMedianMax() {
        assertEquals(new Spread(1, 3, 9, 5), Spread.of(9, 1, 3, 7, 2));
        assertEquals(new Spread(4, 4, 4, 1), Spread.of(4));
        assertThrows(IllegalArgumentException.class, Spread::of);
    }

    @Test
    void ratios_pairEachSampleWithTheBaselineBesideIt() {
        // Medians alone would give 4 / 2 = 2; per repetition the ratio is 1 every time.
        assertEquals(new Spread(1, 1, 1, 3), Spread.ratios(new double[] {2, 4, 8}, new double[] {2, 4, 8}));
        assertThrows(IllegalArgumentException.class, () -> Spread.ratios(new double[] {1}, new double[] {1, 2}));
    }

    @Test
    void text_medianThenRange_loneValueAlone() {
        assertEquals("13.80 [12.10, 14.00]", Spread.of(12.1, 13.8, 14).text("%.2f"));
        assertEquals("17,200 [9,000, 18,000]", Spread.of(9000, 17200, 18000).text("%,.0f"));
        assertEquals("5.00", Spread.of(5).text("%.2f"));
        assertEquals("+10.0% [+5.0%, +20.0%]", Spread.of(0.05, 0.1, 0.2).map(x -> x * 100).text("%+.1f%%"));
    }
}
