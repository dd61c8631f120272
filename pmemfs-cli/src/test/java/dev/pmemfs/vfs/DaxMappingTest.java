package dev.pmemfs.vfs;

import static dev.pmemfs.vfs.Syscalls.O_CREAT;
import static dev.pmemfs.vfs.Syscalls.O_RDONLY;
import static dev.pmemfs.vfs.Syscalls.O_RDWR;
import static dev.pmemfs.vfs.Syscalls.O_WRONLY;
import static dev.pmemfs.vfs.Syscalls.PROT_READ;
import static dev.pmemfs.vfs.Syscalls.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.BlockOwner;
import dev.pmemfs.fs.MediaFailure;
import dev.pmemfs.testing.MountedVfs;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mmap of DAX files: loads, stores, SIGBUS past EOF, consumed poison and MADV_HWPOISON (reference §1.4, §7.3). */
class DaxMappingTest {
    @TempDir
    Path tmp;
    MountedVfs m;
    Syscalls root;
    int fd;

    @BeforeEach
    void mount() throws ErrnoException {
        m = new MountedVfs(tmp, 32L << 20, MountedVfs.LINUX);
        root = m.root();
        fd = root.open("/f", O_CREAT | O_RDWR, 0644);
        byte[] data = new byte[16384];
        Arrays.fill(data, (byte) 0x61);
        root.pwrite(fd, data, 0, data.length, 0);
    }

    @AfterEach
    void unmount() throws ErrnoException {
        m.close();
    }

    /** The namespace offset of the file's byte {@code fileOffset}, from FIEMAP. */
    private long nsOffsetOf(long fileOffset) throws ErrnoException {
        Fiemap.Extent e = root.fiemap(fd, fileOffset, 1, 0, 1).extents().getFirst();
        return m.ns.dataOffset() + e.physical() + (fileOffset - e.logical());
    }

    @Test
    void storesAndLoads_reachTheFile() throws Exception {
        try (DaxMapping map = root.mmap(fd, 0, 16384, PROT_READ | PROT_WRITE)) {
            assertEquals(0x61, map.getByte(5000));
            map.putLong(4092, 0x0102030405060708L);
            assertEquals(0x0102030405060708L, map.getLong(4092));
            map.msync();
        }
        byte[] b = new byte[8];
        root.pread(fd, b, 0, 8, 4092);
        assertArrayEquals(new byte[] {8, 7, 6, 5, 4, 3, 2, 1}, b);
    }

    @Test
    void access_pastEof_isSigbus() throws Exception {
        try (DaxMapping map = root.mmap(fd, 0, 32768, PROT_READ)) {
            SigbusException e = assertThrows(SigbusException.class, () -> map.getByte(20000));
            assertEquals(20000, e.address());
            assertThrows(IllegalStateException.class, () -> map.putByte(0, (byte) 1));
        }
    }

    @Test
    void mmap_argumentAndAccessErrors() throws ErrnoException {
        int wo = root.open("/f", O_WRONLY, 0);
        int ro = root.open("/f", O_RDONLY, 0);
        assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> root.mmap(99, 100, 4096, PROT_READ)).errno());
        assertEquals(Errno.EBADF, assertThrows(ErrnoException.class, () -> root.mmap(99, 0, 4096, PROT_READ)).errno());
        assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> root.mmap(fd, 0, 0, PROT_READ)).errno());
        assertEquals(Errno.EACCES, assertThrows(ErrnoException.class, () -> root.mmap(wo, 0, 4096, PROT_WRITE)).errno());
        assertEquals(Errno.EACCES, assertThrows(ErrnoException.class, () -> root.mmap(ro, 0, 4096, PROT_WRITE)).errno());
    }

    @Test
    void load_ofLatentPoison_isHwpoisonLsb12AndTheFilesystemLearnsTheOwner() throws Exception {
        long ns = nsOffsetOf(8192);
        m.ns.injectError(ns, 256, false);
        try (DaxMapping map = root.mmap(fd, 0, 16384, PROT_READ)) {
            assertEquals(0x61, map.getByte(4096));
            HwPoisonException e = assertThrows(HwPoisonException.class, () -> map.getByte(8200));
            assertEquals(8192, e.address());
            assertEquals(12, e.lsb());
            // Now the poison is known: the next fault refuses the page at the faulting address.
            HwPoisonException again = assertThrows(HwPoisonException.class, () -> map.getByte(8300));
            assertEquals(8300, again.address());
        }
        ErrnoException eio = assertThrows(ErrnoException.class, () -> root.pread(fd, new byte[4096], 0, 4096, 8192));
        assertEquals(Errno.EIO, eio.errno());
        assertTrue(m.fs().mediaFailures().stream().map(MediaFailure::owner)
                .anyMatch(o -> o instanceof BlockOwner.FileData d && d.fileOffset() == 8192), m.fs().mediaFailures().toString());
    }

    @Test
    void madviseHwpoison_needsCapSysAdminThenFaultsTheCaller() throws Exception {
        Syscalls user = m.user(0, 0);
        int ufd = user.open("/f", O_RDONLY, 0);
        try (DaxMapping map = user.mmap(ufd, 0, 16384, PROT_READ)) {
            assertEquals(Errno.EPERM, assertThrows(ErrnoException.class, () -> map.madviseHwpoison(4096, 4096)).errno());
        }
        try (DaxMapping map = root.mmap(fd, 0, 16384, PROT_READ)) {
            assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> map.madviseHwpoison(100, 4096)).errno());
            HwPoisonException e = assertThrows(HwPoisonException.class, () -> map.madviseHwpoison(4096, 4096));
            assertEquals(4096, e.address());
            assertEquals(12, e.lsb());
            assertThrows(HwPoisonException.class, () -> map.getByte(4096));
            assertEquals(0x61, map.getByte(0));
        }
        assertEquals(Errno.EIO, assertThrows(ErrnoException.class,
                () -> root.pread(fd, new byte[10], 0, 10, 4096)).errno());
    }
}
