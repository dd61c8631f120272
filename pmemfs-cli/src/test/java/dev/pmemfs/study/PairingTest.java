package dev.pmemfs.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.vfs.Credentials;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairingTest {
    private static List<String> texts(List<Pairing> ps) {
        return ps.stream().map(Pairing::text).toList();
    }

    @Test
    void defaults_elevenRuns_eachDesignUnderTheKernelThatOffersIt() {
        assertEquals(List.of("punch-pwrite @ linux-5.19", "punch-falloc @ linux-5.19", "fiemap-blkzeroout @ linux-5.19",
                "unmount-clear @ linux-5.19", "unmount-clear @ pmemfs,meta_replicas=2", "zero-range @ linux-5.19",
                "zero-range @ rfc-zero-range", "zeroinit @ rfc-zeroinit", "recovery-write @ linux-5.19",
                "salvage @ pmemfs", "salvage @ pmemfs,meta_replicas=2"), texts(Pairing.defaults()));
    }

    @Test
    void parse_formatOptionsFollowTheirPairing_andLinuxProfilesKeepLinuxsFormat() {
        List<Pairing> ps = Pairing.parse("salvage@pmemfs,meta_replicas=2,zeroinit");
        assertEquals(List.of("salvage @ pmemfs,meta_replicas=2", "zeroinit @ rfc-zeroinit"), texts(ps));
        assertEquals(2, ps.getFirst().mkfsOptions().metaReplicas());
        assertEquals(1, ps.getLast().mkfsOptions().metaReplicas());
        IllegalArgumentException linux = assertThrows(IllegalArgumentException.class,
                () -> Pairing.parse("unmount-clear@linux-5.19,meta_replicas=2"));
        assertTrue(linux.getMessage().contains("keep Linux's format"), linux.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pairing.parse("meta_replicas=2,salvage"));
        assertThrows(IllegalArgumentException.class, () -> Pairing.parse("salvage@pmemfs,meta_replicas=3"));
        assertThrows(IllegalArgumentException.class, () -> Pairing.parse("salvage@pmemfs,recovery_write=off"));
    }

    @Test
    void parse_namesAllAndProfiles_inOrderWithoutDuplicates() {
        assertEquals(Pairing.defaults(), Pairing.parse("all"));
        assertEquals(List.of("zero-range @ linux-5.19", "zero-range @ rfc-zero-range"), texts(Pairing.parse("zero-range")));
        assertEquals(List.of("zeroinit @ rfc-zeroinit", "punch-pwrite @ linux-5.19"),
                texts(Pairing.parse(" zeroinit, punch-pwrite,zeroinit")));
        assertEquals(List.of("recovery-write @ linux-5.15"), texts(Pairing.parse("recovery-write@linux-5.15")));
    }

    @Test
    void parse_unknownName_oneLineListingValidNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pairing.parse("zeroinit,nope"));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        assertTrue(e.getMessage().contains("punch-pwrite|punch-falloc|fiemap-blkzeroout|unmount-clear|zero-range|zeroinit|recovery-write|salvage"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pairing.parse("zeroinit@linux-9"));
        assertThrows(IllegalArgumentException.class, () -> Pairing.parse(" "));
    }

    @Test
    void parse_onlyCommasOrAnEmptyWord_isRefusedNotAnEmptyTable() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Pairing.parse(",,,"));
        assertTrue(none.getMessage().startsWith("no strategies given in ',,,' (valid: "), none.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Pairing.parse("zeroinit,,punch-pwrite"));
        assertTrue(empty.getMessage().startsWith("empty strategy name in 'zeroinit,,punch-pwrite'"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pairing.parse("zeroinit,"));
    }

    @Test
    void credentials_followThePrivilege() {
        Pairing raw = Pairing.parse("fiemap-blkzeroout").getFirst();
        assertTrue(raw.credentials().has(Credentials.Capability.CAP_SYS_RAWIO));
        assertEquals(1000, raw.credentials().uid());
        assertEquals(0, Pairing.parse("unmount-clear").getFirst().credentials().uid());
        Credentials user = Pairing.parse("zeroinit").getFirst().credentials();
        assertEquals(1000, user.uid());
        assertTrue(user.caps().isEmpty());
    }
}
