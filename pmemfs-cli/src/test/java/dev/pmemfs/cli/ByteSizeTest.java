package dev.pmemfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
    @Test
    void parseOrInvalid_ndctlSuffixesAndHex() {
        assertEquals(42, ByteSize.parseOrInvalid("42"));
        assertEquals(4096, ByteSize.parseOrInvalid("4k"));
        assertEquals(64L << 20, ByteSize.parseOrInvalid("64M"));
        assertEquals(2L << 30, ByteSize.parseOrInvalid("2g"));
        assertEquals(1L << 40, ByteSize.parseOrInvalid("1T"));
        assertEquals(0x2a, ByteSize.parseOrInvalid("0x2a"));
        assertEquals(16L << 10, ByteSize.parseOrInvalid("0x10k"));
    }

    @Test
    void parseOrInvalid_garbage_isInvalid() {
        for (String bad : new String[] {"", " ", "k", "12q", "-1", "1.5g", "0x", "0xzz", "99999999999t", null}) {
            assertEquals(-1, ByteSize.parseOrInvalid(bad), "'" + bad + "'");
        }
        UserException e = assertThrows(UserException.class, () -> ByteSize.parse("size", "12q"));
        assertEquals(ExitCodes.USAGE, e.exitCode());
    }
}
