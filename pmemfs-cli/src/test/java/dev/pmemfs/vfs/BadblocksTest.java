package dev.pmemfs.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmemfs.testing.MountedVfs;
import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-file media-error query (libpmem2's pmem2_badblock_next): file offsets, fs-block aligned, this file only. */
class BadblocksTest {
    @TempDir
    Path dir;

    private static long physical(Syscalls sys, int fd, long fileOffset) throws Exception {
        for (Fiemap.Extent e : sys.fiemap(fd, 0, Long.MAX_VALUE, 0, 64).extents()) {
            if (fileOffset >= e.logical() && fileOffset < e.logical() + e.length()) {
                return e.physical() + fileOffset - e.logical();
            }
        }
        throw new AssertionError("unmapped " + fileOffset);
    }

    @Test
    void badblocks_reportsThisFilesBlocks_rounded_merged_inFileOrder() throws Exception {
        try (MountedVfs m = new MountedVfs(dir, 32 * TestNamespaces.MIB, MountedVfs.LINUX)) {
            Syscalls root = m.root();
            int a = root.open("/a", Syscalls.O_RDWR | Syscalls.O_CREAT, 0644);
            int b = root.open("/b", Syscalls.O_RDWR | Syscalls.O_CREAT, 0644);
            byte[] data = new byte[64 * 1024];
            root.pwrite(a, data, 0, data.length, 0);
            root.pwrite(b, data, 0, data.length, 0);
            assertEquals(List.of(), root.badblocks(a));
            long base = m.ns.dataOffset();
            m.ns.injectError(base + physical(root, a, 40960 + 512), 512, true); // block 10, mid-block sector
            m.ns.injectError(base + physical(root, a, 8192), 512, true);        // block 2
            m.ns.injectError(base + physical(root, a, 12288 + 3584), 512, true); // block 3: adjacent to block 2
            m.ns.injectError(base + physical(root, b, 0), 512, true);           // the other file
            assertEquals(List.of(new Badblock(8192, 8192), new Badblock(40960, 4096)), root.badblocks(a));
            assertEquals(List.of(new Badblock(0, 4096)), root.badblocks(b));
            Syscalls user = m.user(1000, 1000);
            int ro = user.open("/a", Syscalls.O_RDONLY, 0);
            assertEquals(root.badblocks(a), user.badblocks(ro), "any reader may ask, no privilege");
        }
    }
}
