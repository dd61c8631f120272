package dev.pmemfs.vfs;

import static dev.pmemfs.vfs.InodePermission.MAY_EXEC;
import static dev.pmemfs.vfs.InodePermission.MAY_READ;
import static dev.pmemfs.vfs.InodePermission.MAY_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FileType;
import dev.pmemfs.fs.InodeAttr;
import dev.pmemfs.vfs.Credentials.Capability;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** generic_permission's matrix: owner/group/other classes and the DAC capabilities. */
class InodePermissionTest {
    private static final Credentials OWNER = Credentials.user(1000, 1000);
    private static final Credentials GROUP_MEMBER = new Credentials(2000, 3000, Set.of(1000), Set.of());
    private static final Credentials OTHER = Credentials.user(3000, 3000);

    private static InodeAttr file(int mode) {
        return new InodeAttr(12, FileType.REGULAR, mode, 1000, 1000, 1, 0, 0, 0, 0, 0, 0, 0);
    }

    private static InodeAttr dir(int mode) {
        return new InodeAttr(13, FileType.DIRECTORY, mode, 1000, 1000, 2, 0, 0, 0, 0, 0, 0, 0);
    }

    private static Credentials with(Capability... caps) {
        return OTHER.withCaps(EnumSet.of(caps[0], caps));
    }

    @Test
    void generic_eachClassUsesItsOwnBits() {
        InodeAttr f = file(0640);
        assertTrue(InodePermission.generic(OWNER, f, MAY_READ | MAY_WRITE));
        assertFalse(InodePermission.generic(OWNER, f, MAY_EXEC));
        assertTrue(InodePermission.generic(GROUP_MEMBER, f, MAY_READ));
        assertFalse(InodePermission.generic(GROUP_MEMBER, f, MAY_WRITE));
        assertFalse(InodePermission.generic(OTHER, f, MAY_READ));
    }

    @Test
    void generic_ownerClassWinsEvenWhenOthersHaveMore() {
        // The owner is judged by the owner bits only, as acl_permission_check does.
        assertFalse(InodePermission.generic(OWNER, file(0077), MAY_READ));
        assertTrue(InodePermission.generic(OTHER, file(0007), MAY_READ));
    }

    @Test
    void generic_dacOverride_readWriteAlwaysExecOnlyWithAnExecBit() {
        Credentials dac = with(Capability.CAP_DAC_OVERRIDE);
        assertTrue(InodePermission.generic(dac, file(0000), MAY_READ | MAY_WRITE));
        assertFalse(InodePermission.generic(dac, file(0600), MAY_EXEC));
        assertTrue(InodePermission.generic(dac, file(0100), MAY_EXEC));
        assertTrue(InodePermission.generic(dac, dir(0000), MAY_WRITE | MAY_EXEC));
    }

    @Test
    void generic_dacReadSearch_readsFilesAndSearchesDirsButNeverWrites() {
        Credentials rs = with(Capability.CAP_DAC_READ_SEARCH);
        assertTrue(InodePermission.generic(rs, file(0000), MAY_READ));
        assertFalse(InodePermission.generic(rs, file(0000), MAY_WRITE));
        assertTrue(InodePermission.generic(rs, dir(0000), MAY_READ | MAY_EXEC));
        assertFalse(InodePermission.generic(rs, dir(0000), MAY_WRITE | MAY_EXEC));
    }

    @Test
    void require_writeToImmutable_isEpermEvenForRoot() {
        InodeAttr f = new InodeAttr(12, FileType.REGULAR, 0666, 0, 0, 1, 0, 0, InodeAttr.FS_IMMUTABLE_FL, 0, 0, 0, 0);
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> InodePermission.require(Credentials.ROOT, f, MAY_WRITE, "open"));
        assertEquals(Errno.EPERM, e.errno());
    }

    @Test
    void require_denied_isEacces() {
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> InodePermission.require(OTHER, file(0600), MAY_READ, "open"));
        assertEquals(Errno.EACCES, e.errno());
    }

    @Test
    void ownerOrCapable_ownerOrFowner() {
        assertTrue(InodePermission.ownerOrCapable(OWNER, file(0)));
        assertFalse(InodePermission.ownerOrCapable(OTHER, file(0)));
        assertTrue(InodePermission.ownerOrCapable(with(Capability.CAP_FOWNER), file(0)));
    }

    @Test
    void chownAndChgrp_ownerMayOnlyKeepUidAndPickOwnGroups() {
        InodeAttr f = file(0644);
        assertTrue(InodePermission.chownOk(OWNER, f, 1000));
        assertFalse(InodePermission.chownOk(OWNER, f, 0));
        assertTrue(InodePermission.chownOk(with(Capability.CAP_CHOWN), f, 0));
        Credentials ownerInGroups = new Credentials(1000, 1000, Set.of(50), Set.of());
        assertTrue(InodePermission.chgrpOk(ownerInGroups, f, 50));
        assertFalse(InodePermission.chgrpOk(ownerInGroups, f, 51));
        assertFalse(InodePermission.chgrpOk(GROUP_MEMBER, f, 1000));
    }
}
