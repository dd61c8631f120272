package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.fs.MountOptions.Profile;
import dev.pmemfs.fs.MountOptions.WriteZeroes;
import dev.pmemfs.fs.MountOptions.ZeroRange;
import org.junit.jupiter.api.Test;

class MountOptionsTest {
    @Test
    void parse_profileNames_giveTheirKernels() {
        assertEquals(new MountOptions(false, ZeroRange.UNWRITTEN, false), MountOptions.parse("linux-5.15", MountOptions.DEFAULTS));
        assertEquals(new MountOptions(true, ZeroRange.UNWRITTEN, false), MountOptions.parse("linux-5.19", MountOptions.DEFAULTS));
        assertEquals(new MountOptions(false, ZeroRange.ZEROINIT, false), MountOptions.parse("rfc-zero-range", MountOptions.DEFAULTS));
        assertEquals(new MountOptions(false, ZeroRange.UNWRITTEN, true), MountOptions.parse("rfc-zeroinit", MountOptions.DEFAULTS));
        assertEquals(new MountOptions(true, ZeroRange.UNWRITTEN, false, WriteZeroes.NO_OFFLOAD),
                MountOptions.parse("linux-6.17", MountOptions.DEFAULTS));
        assertEquals(new MountOptions(true, ZeroRange.ZEROINIT, true, WriteZeroes.ZERO),
                MountOptions.parse("pmemfs", MountOptions.LINUX));
    }

    @Test
    void parse_writeZeroes_eachSetting() {
        assertEquals(WriteZeroes.ZERO, MountOptions.parse("linux-5.19,write_zeroes=zero", MountOptions.DEFAULTS).writeZeroes());
        assertEquals(WriteZeroes.ABSENT, MountOptions.parse("write_zeroes=absent", MountOptions.DEFAULTS).writeZeroes());
        assertEquals(WriteZeroes.NO_OFFLOAD, MountOptions.parse("write_zeroes=nooffload", MountOptions.DEFAULTS).writeZeroes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MountOptions.parse("write_zeroes=on", MountOptions.DEFAULTS));
        assertTrue(e.getMessage().contains("absent, nooffload or zero"), e.getMessage());
    }

    @Test
    void parse_switchesAfterProfile_overrideIt() {
        MountOptions o = MountOptions.parse("linux-5.15,recovery_write=on,zeroinit=on", MountOptions.DEFAULTS);
        assertEquals(new MountOptions(true, ZeroRange.UNWRITTEN, true), o);
    }

    @Test
    void parse_empty_givesBase() {
        assertEquals(MountOptions.LINUX, MountOptions.parse("", MountOptions.LINUX));
        assertEquals(MountOptions.LINUX, MountOptions.parse(null, MountOptions.LINUX));
    }

    @Test
    void parse_unknownWord_namesItAndWhatIsAccepted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MountOptions.parse("recovery-write=on", MountOptions.DEFAULTS));
        assertTrue(e.getMessage().contains("'recovery-write=on'"), e.getMessage());
        assertTrue(e.getMessage().contains("linux-5.15|linux-5.19"), e.getMessage());
    }

    @Test
    void parse_badValue_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> MountOptions.parse("zeroinit=maybe", MountOptions.DEFAULTS));
        assertThrows(IllegalArgumentException.class, () -> MountOptions.parse("zero_range=punch", MountOptions.DEFAULTS));
    }

    @Test
    void toText_roundTripsThroughParse() {
        for (Profile p : Profile.values()) {
            assertEquals(p.options(), MountOptions.parse(p.options().toText(), MountOptions.LINUX));
            assertEquals(p, p.options().profile());
        }
    }
}
