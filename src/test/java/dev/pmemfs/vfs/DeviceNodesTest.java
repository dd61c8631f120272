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
            try (BlockHandle h = DeviceNodes.open(dev, Credentials.ROOT, true)) {
                assertTrue(h.writable());
            }
            assertEquals(Errno.EACCES, assertThrows(ErrnoException.class, () -> DeviceNodes.open(dev, user, false)).errno());
            assertEquals(Errno.EACCES, assertThrows(ErrnoException.class, () -> DeviceNodes.open(dev, user, true)).errno());
            assertEquals(Errno.EACCES, assertThrows(ErrnoException.class, () -> DeviceNodes.open(dev, diskGroup, true)).errno(),
                    "group disk may read, but writing needs CAP_SYS_RAWIO");
            DeviceNodes.open(dev, diskGroup, false).close();
            try (BlockHandle h = DeviceNodes.open(dev, rawio, true)) {
                h.zeroout(0, 4096);
            }
            assertEquals(Errno.EACCES, assertThrows(ErrnoException.class, () -> DeviceNodes.checkSysfsWrite(dev, rawio)).errno());
            DeviceNodes.checkSysfsWrite(dev, Credentials.ROOT);
        }
    }
}
