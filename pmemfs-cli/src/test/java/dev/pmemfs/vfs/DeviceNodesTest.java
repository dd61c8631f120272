package dev.pmemfs.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.block.BlockHandle;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.pmem.Pmem;
import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceNodesTest {
    @TempDir
    Path dir;

    @Test
    void open_permissionRules() throws Exception {
        try (Namespace ns = TestNamespaces.fsdax(dir, 16 * TestNamespaces.MIB)) {
            BlockDevice dev = Pmem.attach(ns).block();
            Credentials user = Credentials.user(1000, 1000);
            Credentials diskGroup = new Credentials(1000, 1000, Set.of(DeviceNodes.DISK_GID), Set.of());
            Credentials rawio = user.withCaps(Set.of(Credentials.Capability.CAP_SYS_RAWIO));
            Credentials dacOverride = user.withCaps(Set.of(Credentials.Capability.CAP_DAC_OVERRIDE));
            Credentials dacRead = user.withCaps(Set.of(Credentials.Capability.CAP_DAC_READ_SEARCH));
            Credentials diskPrimary = Credentials.user(1000, DeviceNodes.DISK_GID);
            try (BlockHandle h = DeviceNodes.open(dev, Credentials.ROOT, true)) {
                assertTrue(h.writable());
            }
            assertEquals(Errno.EACCES, assertThrows(ErrnoException.class, () -> DeviceNodes.open(dev, user, false)).errno());
            assertEquals(Errno.EACCES, assertThrows(ErrnoException.class, () -> DeviceNodes.open(dev, user, true)).errno());
            // root:disk 0660: the group's rw- bits let a member open it for writing, with no capability.
            try (BlockHandle h = DeviceNodes.open(dev, diskGroup, true)) {
                assertTrue(h.writable());
                h.zeroout(0, 4096);
            }
            try (BlockHandle h = DeviceNodes.open(dev, diskPrimary, true)) {
                h.zeroout(4096, 4096);
            }
            DeviceNodes.open(dev, diskGroup, false).close();
            DeviceNodes.open(dev, dacOverride, true).close();
            DeviceNodes.open(dev, dacRead, false).close();
            assertEquals(Errno.EACCES, assertThrows(ErrnoException.class, () -> DeviceNodes.open(dev, dacRead, true)).errno(),
                    "CAP_DAC_READ_SEARCH overrides read permission only");
            try (BlockHandle h = DeviceNodes.open(dev, rawio, true)) {
                h.zeroout(0, 4096);
            }
            assertEquals(Errno.EACCES, assertThrows(ErrnoException.class, () -> DeviceNodes.checkSysfsWrite(dev, rawio)).errno());
            DeviceNodes.checkSysfsWrite(dev, Credentials.ROOT);
        }
    }
}
