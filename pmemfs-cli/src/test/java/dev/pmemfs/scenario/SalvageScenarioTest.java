package dev.pmemfs.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.fs.SalvageResult;
import dev.pmemfs.media.ClearFault;
import dev.pmemfs.testing.MountedVfs;
import dev.pmemfs.vfs.Fiemap;
import dev.pmemfs.vfs.Syscalls;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Salvage, told as a user lives it: a 64 KiB file owned by an ordinary user, one 512-byte sector of
 * its fifth block poisoned; the read fails; the owner salvages the block through
 * {@code PMEMFS_IOC_SALVAGE}; exactly that sector reads as zeros, the other 3.5 KiB of the block keep
 * their bytes, FIEMAP is unchanged and the device's badblocks list is empty.
 */
class SalvageScenarioTest {
    private static final String FILE = "/data";
    private static final int UID = 1000;
    private static final int SIZE = 64 << 10;
    private static final long BLOCK4 = 16384;

    @TempDir
    Path tmp;

    /** A pattern that differs in every sector, so a sector read from the wrong place shows. */
    private static byte[] content() {
        byte[] c = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) {
            c[i] = (byte) (i * 7 + (i >>> 9) * 13 + 1);
        }
        return c;
    }

    /** Writes the file as its owner and returns its mapping. */
    private static List<Fiemap.Extent> writeFile(MountedVfs m) throws ErrnoException {
        try (Syscalls root = m.root()) {
            int fd = root.open(FILE, Syscalls.O_RDWR | Syscalls.O_CREAT, 0644);
            root.pwrite(fd, content(), 0, SIZE, 0);
            root.fsync(fd);
            root.close(fd);
            root.chown(FILE, UID, UID);
        }
        return mapping(m);
    }

    private static List<Fiemap.Extent> mapping(MountedVfs m) throws ErrnoException {
        try (Syscalls root = m.root()) {
            int fd = root.open(FILE, Syscalls.O_RDONLY, 0);
            return root.fiemap(fd, 0, -1, 0, 32).extents();
        }
    }

    /** Poisons the 512 bytes at {@code fileOffset} of the (single-extent) file: known, or latent. */
    private static void inject(MountedVfs m, List<Fiemap.Extent> map, long fileOffset, boolean known) throws ErrnoException {
        m.ns.injectError(m.ns.dataOffset() + map.getFirst().physical() + fileOffset, 512, known);
    }

    private static Errno readError(MountedVfs m, long off, int len) {
        try (Syscalls root = m.root()) {
            int fd = root.open(FILE, Syscalls.O_RDONLY, 0);
            root.pread(fd, new byte[len], 0, len, off);
            return null;
        } catch (ErrnoException e) {
            return e.errno();
        }
    }

    private static byte[] readAll(MountedVfs m) throws ErrnoException {
        try (Syscalls root = m.root()) {
            int fd = root.open(FILE, Syscalls.O_RDONLY, 0);
            byte[] b = new byte[SIZE];
            assertEquals(SIZE, root.pread(fd, b, 0, SIZE, 0));
            return b;
        }
    }

    private static SalvageResult salvageAsOwner(MountedVfs m, long off, long len) throws ErrnoException {
        try (Syscalls owner = m.user(UID, UID)) {
            int fd = owner.open(FILE, Syscalls.O_RDWR, 0);
            return owner.salvage(fd, off, len);
        }
    }

    @Test
    void oneSectorPoisoned_salvage_losesExactlyThatSector() throws ErrnoException {
        try (MountedVfs m = new MountedVfs(tmp, 32L << 20, MountOptions.DEFAULTS)) {
            List<Fiemap.Extent> before = writeFile(m);
            assertEquals(1, before.size());
            inject(m, before, BLOCK4 + 1024, true);
            assertEquals(Errno.EIO, readError(m, BLOCK4, 4096));
            assertNotEquals("", m.stack.block().badblocksShow());

            SalvageResult r = salvageAsOwner(m, BLOCK4, 4096);

            assertEquals(1, r.blocksRepaired());
            assertEquals(0, r.blocksLeft());
            assertEquals(List.of(new SalvageResult.Range(BLOCK4 + 1024, 512)), r.lost());
            byte[] want = content();
            Arrays.fill(want, (int) BLOCK4 + 1024, (int) BLOCK4 + 1536, (byte) 0);
            assertArrayEquals(want, readAll(m), "only the poisoned sector reads as zeros");
            assertEquals(before, mapping(m), "the file keeps its blocks");
            assertEquals("", m.stack.block().badblocksShow());
        }
    }

    @Test
    void latentSectorFoundWhileSaving_isHandled_andClearedToo() throws ErrnoException {
        try (MountedVfs m = new MountedVfs(tmp, 32L << 20, MountOptions.DEFAULTS)) {
            List<Fiemap.Extent> before = writeFile(m);
            inject(m, before, BLOCK4, true);
            inject(m, before, BLOCK4 + 2560, false); // latent: no badblocks record until a load meets it

            SalvageResult r = salvageAsOwner(m, 0, SIZE);

            assertEquals(List.of(new SalvageResult.Range(BLOCK4, 512), new SalvageResult.Range(BLOCK4 + 2560, 512)),
                    r.lost());
            byte[] want = content();
            Arrays.fill(want, (int) BLOCK4, (int) BLOCK4 + 512, (byte) 0);
            Arrays.fill(want, (int) BLOCK4 + 2560, (int) BLOCK4 + 3072, (byte) 0);
            assertArrayEquals(want, readAll(m));
            assertEquals("", m.stack.block().badblocksShow());
            assertEquals(List.of(), m.ns.poisonRecords(m.ns.dataOffset() + before.getFirst().physical(), SIZE));
        }
    }

    @Test
    void firmwareRefusesTheClear_blockKeepsPoisonAndItsGoodBytes_thenSalvagesLater() throws ErrnoException {
        try (MountedVfs m = new MountedVfs(tmp, 32L << 20, MountOptions.DEFAULTS)) {
            List<Fiemap.Extent> before = writeFile(m);
            inject(m, before, BLOCK4 + 3584, true);
            m.ns.setClearFault(new ClearFault.Fail());

            SalvageResult refused = salvageAsOwner(m, BLOCK4, 4096);

            assertEquals(0, refused.blocksRepaired());
            assertEquals(1, refused.blocksLeft());
            assertEquals(List.of(), refused.lost());
            assertEquals(Errno.EIO, readError(m, BLOCK4, 4096), "still poisoned");
            m.ns.setClearFault(ClearFault.NONE);

            SalvageResult later = salvageAsOwner(m, BLOCK4, 4096);

            assertEquals(1, later.blocksRepaired());
            byte[] want = content();
            Arrays.fill(want, (int) BLOCK4 + 3584, (int) BLOCK4 + 4096, (byte) 0);
            assertArrayEquals(want, readAll(m), "the refused attempt destroyed nothing");
        }
    }

    @Test
    void linuxProfile_hasNoSalvage_andNothingChanges() throws ErrnoException {
        try (MountedVfs m = new MountedVfs(tmp, 32L << 20, MountOptions.Profile.LINUX_5_19.options())) {
            List<Fiemap.Extent> before = writeFile(m);
            inject(m, before, BLOCK4, true);
            String bb = m.stack.block().badblocksShow();

            ErrnoException e = assertThrows(ErrnoException.class, () -> salvageAsOwner(m, BLOCK4, 4096));

            assertEquals(Errno.EOPNOTSUPP, e.errno());
            assertEquals(bb, m.stack.block().badblocksShow());
            assertEquals(Errno.EIO, readError(m, BLOCK4, 4096));
        }
    }

    @Test
    void descriptorChecks_asFallocate() throws ErrnoException {
        try (MountedVfs m = new MountedVfs(tmp, 32L << 20, MountOptions.DEFAULTS)) {
            List<Fiemap.Extent> before = writeFile(m);
            inject(m, before, BLOCK4, true);
            try (Syscalls owner = m.user(UID, UID)) {
                int ro = owner.open(FILE, Syscalls.O_RDONLY, 0);
                assertEquals(Errno.EBADF, assertThrows(ErrnoException.class, () -> owner.salvage(ro, 0, 4096)).errno());
                int rw = owner.open(FILE, Syscalls.O_RDWR, 0);
                assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> owner.salvage(rw, -1, 4096)).errno());
                assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> owner.salvage(rw, 0, 0)).errno());
                assertEquals(Errno.EINVAL,
                        assertThrows(ErrnoException.class, () -> owner.salvage(rw, Long.MAX_VALUE, 2)).errno());
            }
            try (Syscalls stranger = m.user(2000, 2000)) {
                assertEquals(Errno.EACCES, assertThrows(ErrnoException.class,
                        () -> stranger.open(FILE, Syscalls.O_RDWR, 0)).errno());
            }
            assertEquals(Errno.EIO, readError(m, BLOCK4, 4096), "nothing was repaired");
        }
    }
}
