package dev.pmemfs.cli.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CvtNumTest {
    @Test
    void parse_unitsAndBases() {
        assertEquals(8192, CvtNum.parse("8k"));
        assertEquals(8192, CvtNum.parse("8K"));
        assertEquals(3L << 20, CvtNum.parse("3m"));
        assertEquals(2 * 4096, CvtNum.parse("2b"));
        assertEquals(3 * 512, CvtNum.parse("3s"));
        assertEquals(0x41, CvtNum.parse("0x41"));
        assertEquals(8, CvtNum.parse("010"));
        assertEquals(0, CvtNum.parse("0"));
        assertEquals(1L << 40, CvtNum.parse("1t"));
    }

    @Test
    void parse_garbage_isMinusOne() {
        assertEquals(-1, CvtNum.parse("x"));
        assertEquals(-1, CvtNum.parse("8kb"));
        assertEquals(-1, CvtNum.parse("8q"));
        assertEquals(-1, CvtNum.parse(""));
        assertEquals(-1, CvtNum.parse("-1"));
    }

    @Test
    void strtoll_stopsAtFirstNonDigit() {
        assertEquals(new CvtNum.ParsedLong(12, 2), CvtNum.strtoll("12ab"));
        assertEquals(new CvtNum.ParsedLong(0xcd, 4), CvtNum.strtoll("0xcd"));
        assertNull(CvtNum.strtoll("zz"));
        assertEquals(Long.MAX_VALUE, CvtNum.strtoll("99999999999999999999").value());
    }
}
