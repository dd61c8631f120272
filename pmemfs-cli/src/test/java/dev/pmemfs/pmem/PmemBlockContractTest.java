package dev.pmemfs.pmem;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.block.BlockDeviceContract;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The pmem driver's block device keeps the block-device contract (fsdax: sectors re-based past the info block). */
class PmemBlockContractTest extends BlockDeviceContract {
    @TempDir
    Path dir;

    private Namespace ns;

    @Override
    protected BlockDevice newDevice() {
        ns = TestNamespaces.fsdax(dir, 8 * TestNamespaces.MIB);
        return Pmem.attach(ns).block();
    }

    @Override
    protected void closeDevice() {
        ns.close();
    }
}
