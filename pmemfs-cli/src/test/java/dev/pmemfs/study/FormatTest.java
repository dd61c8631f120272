package dev.pmemfs.study;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FormatTest {
    @Test
    void nanos_eachRange_threeSignificantDigitsAndUnit() {
        assertEquals("850 ns", new Nanos(850).toString());
        assertEquals("1.00 µs", new Nanos(1_000).toString());
        assertEquals("12.3 µs", new Nanos(12_345).toString());
        assertEquals("457 µs", new Nanos(456_789).toString());
        assertEquals("4.57 ms", new Nanos(4_567_000).toString());
        assertEquals("2.50 s", new Nanos(2_500_000_000L).toString());
        assertEquals("100 s", new Nanos(100_000_000_000L).toString());
    }

    @Test
    void nanos_roundingAtUnitEdges_neverFourDigits() {
        assertEquals("999 µs", new Nanos(999_499).toString());
        assertEquals("1.00 ms", new Nanos(999_999).toString());
        assertEquals("10.0 µs", new Nanos(9_999).toString());
        assertEquals("100 µs", new Nanos(99_990).toString());
    }

    @Test
    void byteSize_eachRange_binaryUnits() {
        assertEquals("0 B", new HumanBytes(0).toString());
        assertEquals("1023 B", new HumanBytes(1023).toString());
        assertEquals("4 KiB", new HumanBytes(4096).toString());
        assertEquals("1.50 MiB", new HumanBytes(3L << 19).toString());
        assertEquals("256 MiB", new HumanBytes(256L << 20).toString());
        assertEquals("14.0 KiB", new HumanBytes(14_336 + 1).toString());
        assertEquals("1.00 MiB", new HumanBytes((1L << 20) - 1).toString());
        assertEquals("-8 KiB", new HumanBytes(-8192).toString());
    }
}
