package dev.pmemfs.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.testing.MountedVfs;
import dev.pmemfs.testing.XfsIoHarness;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.Fiemap;
import dev.pmemfs.vfs.Syscalls;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed thread's story through the syscall layer, as a user would type it: a 64 KiB file whose
 * fifth block takes a media error; reads of it fail with EIO; then each way of getting rid of the error
 * and what it costs — punch + pwrite (works, but the block moves and the poison stays on the device),
 * Linux's ZERO_RANGE (reads zeros, poison stays), and the explicit FALLOC_FL_ZEROINIT_RANGE (cleared in
 * place, the file keeps its one extent).
 */
class PoisonRecoveryScenarioTest {
    private static final String FILE = "/data";

    @TempDir
    Path tmp;

    /** Writes the file and injects a known media error into its block at 16 KiB. */
    private static List<Fiemap.Extent> setUp(MountedVfs m, XfsIoHarness h) throws ErrnoException {
        h.xfsIo(FILE, "pwrite -S 0x61 0 64k", "fsync");
        List<Fiemap.Extent> map = extents(m);
        assertEquals(1, map.size());
        m.ns.injectError(m.ns.dataOffset() + map.getFirst().physical() + 16384, 512, true);
        assertEquals("pread: Input/output error\n", h.xfsIo(FILE, "pread -q 16k 4k"));
        assertTrue(!m.pmem.block().badblocksShow().isEmpty());
        return map;
    }

    private static List<Fiemap.Extent> extents(MountedVfs m) throws ErrnoException {
        try (Syscalls p = m.vfs.process(Credentials.ROOT)) {
            int fd = p.open(FILE, Syscalls.O_RDONLY, 0);
            return p.fiemap(fd, 0, -1, 0, 32).extents();
        }
    }

    @Test
    void zeroinit_clearsInPlace_fileKeepsItsExtent() throws ErrnoException {
        try (MountedVfs m = new MountedVfs(tmp, 32L << 20, MountedVfs.LINUX)) {
            XfsIoHarness h = new XfsIoHarness(m.vfs);
            List<Fiemap.Extent> before = setUp(m, h);
            assertEquals("", h.xfsIo(FILE, "fzeroinit 16k 4k"));
            assertEquals("00004000:  00 00 00 00  ....\n", h.xfsIo(FILE, "pread -q -v 16k 4"));
            assertEquals(before, extents(m));
            assertEquals("", m.pmem.block().badblocksShow());
        }
    }

    @Test
    void punchThenPwrite_clearsByMovingTheBlock_poisonStaysOnTheDevice() throws ErrnoException {
        try (MountedVfs m = new MountedVfs(tmp, 32L << 20, MountedVfs.LINUX)) {
            XfsIoHarness h = new XfsIoHarness(m.vfs);
            List<Fiemap.Extent> before = setUp(m, h);
            h.xfsIo(FILE, "fpunch 16k 4k", "pwrite -S 0x62 16k 4k");
            assertEquals("00004000:  62 62  bb\n", h.xfsIo(FILE, "pread -q -v 16k 2"));
            List<Fiemap.Extent> after = extents(m);
            assertEquals(3, after.size(), after.toString());
            assertNotEquals(before.getFirst().physical() + 16384, after.get(1).physical());
            assertTrue(!m.pmem.block().badblocksShow().isEmpty(), "the old block keeps its badblock record");
        }
    }

    @Test
    void linuxZeroRange_readsZerosButThePoisonStays() throws ErrnoException {
        try (MountedVfs m = new MountedVfs(tmp, 32L << 20, MountedVfs.LINUX)) {
            XfsIoHarness h = new XfsIoHarness(m.vfs);
            setUp(m, h);
            assertEquals("", h.xfsIo(FILE, "fzero 16k 4k"));
            assertEquals("00004000:  00 00  ..\n", h.xfsIo(FILE, "pread -q -v 16k 2"));
            assertTrue(extents(m).stream().anyMatch(Fiemap.Extent::unwritten));
            assertTrue(!m.pmem.block().badblocksShow().isEmpty());
        }
    }

    @Test
    void rfcZeroRange_onThePmemfsDefaultMount_clearsInPlace() throws ErrnoException {
        try (MountedVfs m = new MountedVfs(tmp, 32L << 20, MountOptions.DEFAULTS)) {
            XfsIoHarness h = new XfsIoHarness(m.vfs);
            List<Fiemap.Extent> before = setUp(m, h);
            assertEquals("", h.xfsIo(FILE, "fzero 16k 4k"));
            assertEquals(before, extents(m));
            assertEquals("", m.pmem.block().badblocksShow());
        }
    }
}
