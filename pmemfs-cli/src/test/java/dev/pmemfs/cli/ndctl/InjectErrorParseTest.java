package dev.pmemfs.cli.ndctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** inject-error reads --block and --count as ndctl does: strtoull with base 0, no size suffixes. */
class InjectErrorParseTest {
    @Test
    void strtoull_baseZero_likeNdctl() {
        assertEquals(42, InjectErrorCommand.strtoull("42"));
        assertEquals(16, InjectErrorCommand.strtoull("0x10"));
        assertEquals(8, InjectErrorCommand.strtoull("010"), "a leading 0 is octal");
        assertEquals(0, InjectErrorCommand.strtoull("0"));
        assertEquals(5, InjectErrorCommand.strtoull(" 5"), "leading blanks are skipped");
    }

    @Test
    void strtoull_suffixesAndJunk_areRefused() {
        assertEquals(-1, InjectErrorCommand.strtoull("1k"));
        assertEquals(-1, InjectErrorCommand.strtoull("5 "));
        assertEquals(-1, InjectErrorCommand.strtoull("09"));
        assertEquals(-1, InjectErrorCommand.strtoull(""));
        assertEquals(-1, InjectErrorCommand.strtoull("-1"));
    }
}
