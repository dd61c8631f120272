package dev.pmemfs.pmem;

import dev.pmemfs.dax.DaxOperations;
import dev.pmemfs.dax.DaxOperationsContract;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The pmem driver's dax_operations keep the contract; poison is real media poison made known. */
class PmemDaxContractTest extends DaxOperationsContract {
    @TempDir
    Path dir;

    private Namespace ns;

    @Override
    protected DaxOperations newOps() {
        ns = TestNamespaces.fsdax(dir, 8 * TestNamespaces.MIB);
        return new PmemDax(PmemBlock.attach(ns));
    }

    @Override
    protected void poisonKnown(long sector) throws Exception {
        ns.injectError(ns.dataOffset() + sector * 512, 512, true);
    }

    @Override
    protected void closeOps() {
        ns.close();
    }
}
