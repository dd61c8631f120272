package dev.pmemfs.vfs;

import static dev.pmemfs.fs.Falloc.FALLOC_FL_KEEP_SIZE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_PUNCH_HOLE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_WRITE_ZEROES;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_ZEROINIT_RANGE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_ZERO_RANGE;
import static dev.pmemfs.vfs.Syscalls.O_APPEND;
import static dev.pmemfs.vfs.Syscalls.O_CREAT;
import static dev.pmemfs.vfs.Syscalls.O_DIRECTORY;
import static dev.pmemfs.vfs.Syscalls.O_EXCL;
import static dev.pmemfs.vfs.Syscalls.O_RDONLY;
import static dev.pmemfs.vfs.Syscalls.O_RDWR;
import static dev.pmemfs.vfs.Syscalls.O_TRUNC;
import static dev.pmemfs.vfs.Syscalls.O_WRONLY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.Falloc;
import dev.pmemfs.fs.InodeAttr;
import dev.pmemfs.testing.MountedVfs;
import dev.pmemfs.vfs.Credentials.Capability;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The syscall surface over a real mounted pmemfs: errno for errno, in Linux's order. */
class SyscallsTest {
    @TempDir
    Path tmp;
    MountedVfs m;
    Syscalls root;

    @BeforeEach
    void mount() throws ErrnoException {
        m = new MountedVfs(tmp, 32L << 20, MountedVfs.LINUX);
        root = m.root();
    }

    @AfterEach
    void unmount() throws ErrnoException {
        m.close();
    }

    private static Errno errno(Executable call) {
        return assertThrows(ErrnoException.class, call).errno();
    }

    private static byte[] bytes(int len, int value) {
        byte[] b = new byte[len];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private int createWith(String path, byte[] data) throws ErrnoException {
        int fd = root.open(path, O_CREAT | O_RDWR, 0644);
        assertEquals(data.length, root.pwrite(fd, data, 0, data.length, 0));
        return fd;
    }

    @Test
    void open_pathErrors_asLinux() throws ErrnoException {
        root.close(createWith("/f", bytes(10, 1)));
        root.mkdir("/d", 0755);
        assertEquals(Errno.EEXIST, errno(() -> root.open("/f", O_CREAT | O_EXCL | O_RDWR, 0644)));
        assertEquals(Errno.ENOENT, errno(() -> root.open("/nope", O_RDONLY, 0)));
        assertEquals(Errno.ENOENT, errno(() -> root.open("/nope/x", O_CREAT | O_RDWR, 0644)));
        assertEquals(Errno.ENOENT, errno(() -> root.open("", O_RDONLY, 0)));
        assertEquals(Errno.ENOTDIR, errno(() -> root.open("/f/x", O_RDONLY, 0)));
        assertEquals(Errno.ENOTDIR, errno(() -> root.open("/f/", O_RDONLY, 0)));
        assertEquals(Errno.ENOTDIR, errno(() -> root.open("/f", O_RDONLY | O_DIRECTORY, 0)));
        assertEquals(Errno.EISDIR, errno(() -> root.open("/d", O_WRONLY, 0)));
        assertEquals(Errno.EISDIR, errno(() -> root.open("/d", O_CREAT | O_RDWR, 0644)));
        assertEquals(Errno.EISDIR, errno(() -> root.open("/x/", O_CREAT | O_RDWR, 0644)));
        assertEquals(Errno.ENAMETOOLONG, errno(() -> root.open("/" + "n".repeat(256), O_CREAT | O_RDWR, 0644)));
        root.close(root.open("/d/../f", O_RDONLY, 0));
        root.close(root.open("/d", O_RDONLY | O_DIRECTORY, 0));
    }

    @Test
    void open_oTrunc_truncatesAnExistingFile() throws ErrnoException {
        root.close(createWith("/f", bytes(8192, 7)));
        int fd = root.open("/f", O_RDWR | O_TRUNC, 0);
        assertEquals(0, root.fstat(fd).size());
    }

    @Test
    void permissions_dacAndCapabilities() throws ErrnoException {
        root.mkdir("/private", 0700);
        root.close(createWith("/private/f", bytes(4, 1)));
        root.close(createWith("/shared", bytes(4, 1)));
        Syscalls user = m.user(1000, 1000);
        assertEquals(Errno.EACCES, errno(() -> user.open("/private/f", O_RDONLY, 0)));
        assertEquals(Errno.EACCES, errno(() -> user.stat("/private/f")));
        assertEquals(Errno.EACCES, errno(() -> user.open("/shared", O_WRONLY, 0)));
        assertEquals(Errno.EACCES, errno(() -> user.open("/new", O_CREAT | O_RDWR, 0644)));
        user.close(user.open("/shared", O_RDONLY, 0));
        Syscalls dac = m.vfs.process(Credentials.user(1000, 1000).withCaps(EnumSet.of(Capability.CAP_DAC_OVERRIDE)));
        dac.close(dac.open("/private/f", O_RDWR, 0));
        Syscalls search = m.vfs.process(Credentials.user(1000, 1000).withCaps(EnumSet.of(Capability.CAP_DAC_READ_SEARCH)));
        search.close(search.open("/private/f", O_RDONLY, 0));
        assertEquals(Errno.EACCES, errno(() -> search.open("/private/f", O_WRONLY, 0)));
    }

    @Test
    void open_createdFile_isOpenedWhateverItsMode() throws ErrnoException {
        root.mkdir("/tmp", 0777);
        Syscalls user = m.user(1000, 1000);
        int fd = user.open("/tmp/mine", O_CREAT | O_RDWR, 0);
        assertEquals(3, user.pwrite(fd, bytes(3, 1), 0, 3, 0));
        Stat st = user.fstat(fd);
        assertEquals(1000, st.uid());
        assertEquals(Stat.S_IFREG, st.mode());
        assertEquals(Errno.EACCES, errno(() -> user.open("/tmp/mine", O_RDONLY, 0)));
    }

    @Test
    void immutable_refusesEveryChange() throws ErrnoException {
        int fd = createWith("/f", bytes(8192, 1));
        Syscalls noCaps = m.user(0, 0);
        int own = noCaps.open("/f", O_RDONLY, 0);
        assertEquals(Errno.EPERM, errno(() -> noCaps.setFlags(own, InodeAttr.FS_IMMUTABLE_FL)));
        root.setFlags(fd, InodeAttr.FS_IMMUTABLE_FL);
        assertEquals(InodeAttr.FS_IMMUTABLE_FL, root.getFlags(fd));
        assertEquals(Errno.EPERM, errno(() -> root.open("/f", O_WRONLY, 0)));
        assertEquals(Errno.EPERM, errno(() -> root.open("/f", O_RDONLY | O_TRUNC, 0)));
        assertEquals(Errno.EPERM, errno(() -> root.truncate("/f", 0)));
        assertEquals(Errno.EPERM, errno(() -> root.fallocate(fd, 0, 0, 4096)));
        assertEquals(Errno.EPERM, errno(() -> root.unlink("/f")));
        assertEquals(Errno.EPERM, errno(() -> root.rename("/f", "/g")));
        assertEquals(Errno.EPERM, errno(() -> root.chmod("/f", 0600)));
        assertEquals(Errno.EPERM, errno(() -> root.chown("/f", 5, 5)));
        root.close(root.open("/f", O_RDONLY, 0));
        // XFS checks immutability when a file is opened for writing and in fallocate, not in write(2) or
        // ftruncate(2): a descriptor opened before chattr +i still writes and truncates (seen on XFS 6.18).
        assertEquals(1, root.pwrite(fd, bytes(1, 2), 0, 1, 0));
        root.ftruncate(fd, 2048);
        assertEquals(2048, root.fstat(fd).size());
        root.setFlags(fd, 0);
        root.unlink("/f");
    }

    /**
     * The largest file is XFS's, 2^63 - 1 bytes, and a range past loff_t is EINVAL (rw_verify_area) for
     * pwrite as for pread. Each answer here is what xfs_io gave on XFS (Linux 6.18, a loop device).
     */
    @Test
    void largestFile_isXfsMaxLfsFilesize_andOverflowIsEinval() throws ErrnoException {
        int fd = root.open("/big", O_CREAT | O_RDWR, 0644);
        assertEquals(1, root.pwrite(fd, new byte[] {7}, 0, 1, 8796093022208L));
        root.ftruncate(fd, 8796093022209L);
        root.fallocate(fd, FALLOC_FL_KEEP_SIZE, 8796093018112L, 8192);
        assertEquals(1, root.pwrite(fd, new byte[] {9}, 0, 1, Long.MAX_VALUE - 1));
        assertEquals(Long.MAX_VALUE, root.fstat(fd).size());
        byte[] b = new byte[1];
        assertEquals(1, root.pread(fd, b, 0, 1, Long.MAX_VALUE - 1));
        assertEquals(9, b[0]);
        assertEquals(Errno.EINVAL, errno(() -> root.pread(fd, new byte[4], 0, 4, Long.MAX_VALUE - 1)));
        Fiemap last = root.fiemap(fd, 8796093022208L, 1, 0, 8);
        assertEquals(List.of(8796093022208L), last.extents().stream().map(Fiemap.Extent::logical).toList());
        Fiemap end = root.fiemap(fd, Long.MAX_VALUE - 1, 1, 0, 8);
        assertEquals(1, end.mappedExtents());
        assertEquals(9223372036854771712L, end.extents().getFirst().logical());
        // The last block is reported whole, as XFS does: it ends at 2^63 (fe_logical + fe_length is a __u64).
        assertEquals(4096, end.extents().getFirst().length());
        assertEquals(Long.MIN_VALUE, end.extents().getFirst().logical() + end.extents().getFirst().length());
        assertEquals(Errno.EINVAL, errno(() -> root.pwrite(fd, new byte[4096], 0, 4096, 9223372036854771712L)));
        assertEquals(Errno.EINVAL, errno(() -> root.pwrite(fd, new byte[1], 0, 1, Long.MAX_VALUE)));
        assertEquals(Errno.EFBIG, errno(() -> root.fallocate(fd, FALLOC_FL_KEEP_SIZE, 9223372036854767616L, 8192)));
        root.ftruncate(fd, Long.MAX_VALUE);
        assertEquals(9223372036854771712L, root.lseek(fd, 9223372036854767616L, Syscalls.SEEK_DATA));
        root.ftruncate(fd, 0);
        assertEquals(0, root.fstat(fd).blocks());
        int empty = root.open("/empty", O_CREAT | O_RDWR, 0644);
        assertEquals(Errno.EINVAL, errno(() -> root.fallocate(empty, Falloc.FALLOC_FL_INSERT_RANGE, 0,
                9223372036854771712L)));
    }

    @Test
    void appendOnly_onlyAppendsAndPreallocation() throws ErrnoException {
        int fd = createWith("/log", bytes(4096, 1));
        root.setFlags(fd, InodeAttr.FS_APPEND_FL);
        assertEquals(Errno.EPERM, errno(() -> root.open("/log", O_WRONLY, 0)));
        assertEquals(Errno.EPERM, errno(() -> root.open("/log", O_WRONLY | O_APPEND | O_TRUNC, 0)));
        int afd = root.open("/log", O_WRONLY | O_APPEND, 0);
        // pwrite on an O_APPEND descriptor appends on Linux, whatever the offset.
        assertEquals(4, root.pwrite(afd, bytes(4, 9), 0, 4, 0));
        assertEquals(4100, root.fstat(afd).size());
        assertEquals(Errno.EPERM, errno(() -> root.ftruncate(afd, 0)));
        assertEquals(Errno.EPERM, errno(() -> root.fallocate(afd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 4096)));
        assertEquals(Errno.EPERM, errno(() -> root.fallocate(afd, FALLOC_FL_ZERO_RANGE, 0, 4096)));
        root.fallocate(afd, FALLOC_FL_KEEP_SIZE, 8192, 4096);
        assertEquals(Errno.EPERM, errno(() -> root.unlink("/log")));
        assertEquals(Errno.EACCES, errno(() -> root.mmap(afd, 0, 4096, Syscalls.PROT_READ)));
    }

    @Test
    void fallocate_checkOrder_matchesVfsFallocate() throws ErrnoException {
        root.close(createWith("/f", bytes(4096, 1)));
        int ro = root.open("/f", O_RDONLY, 0);
        int rw = root.open("/f", O_RDWR, 0);
        assertEquals(Errno.EBADF, errno(() -> root.fallocate(99, 0x40000, -1, 0)));
        assertEquals(Errno.EINVAL, errno(() -> root.fallocate(ro, 0x40000, 0, 0)));
        assertEquals(Errno.EINVAL, errno(() -> root.fallocate(ro, 0, -1, 4096)));
        assertEquals(Errno.EOPNOTSUPP, errno(() -> root.fallocate(ro, 0x04, 0, 4096)));
        assertEquals(Errno.EOPNOTSUPP, errno(() -> root.fallocate(ro, FALLOC_FL_PUNCH_HOLE, 0, 4096)));
        assertEquals(Errno.EINVAL, errno(() -> root.fallocate(ro, FALLOC_FL_ZEROINIT_RANGE, 0, 4096)));
        assertEquals(Errno.EBADF, errno(() -> root.fallocate(ro, FALLOC_FL_ZEROINIT_RANGE | FALLOC_FL_KEEP_SIZE, 0, 4096)));
        assertEquals(Errno.EFBIG, errno(() -> root.fallocate(rw, 0, Long.MAX_VALUE - 10, 4096)));
        assertEquals(Errno.EFBIG, errno(() -> root.fallocate(rw, 0, m.fs().maxBytes(), 1)));
        assertEquals(Errno.EOPNOTSUPP, errno(() -> root.fallocate(rw, FALLOC_FL_WRITE_ZEROES, 0, 4096)));
        root.fallocate(rw, FALLOC_FL_ZEROINIT_RANGE | FALLOC_FL_KEEP_SIZE, 0, 4096);
    }

    @Test
    void lseek_dataHoleAndErrors() throws ErrnoException {
        int fd = root.open("/f", O_CREAT | O_RDWR, 0644);
        root.pwrite(fd, bytes(4096, 1), 0, 4096, 8192);
        assertEquals(8192, root.lseek(fd, 0, Syscalls.SEEK_DATA));
        assertEquals(0, root.lseek(fd, 0, Syscalls.SEEK_HOLE));
        assertEquals(12288, root.lseek(fd, 8192, Syscalls.SEEK_HOLE));
        assertEquals(Errno.ENXIO, errno(() -> root.lseek(fd, 12288, Syscalls.SEEK_DATA)));
        assertEquals(Errno.ENXIO, errno(() -> root.lseek(fd, -1, Syscalls.SEEK_HOLE)));
        assertEquals(Errno.EINVAL, errno(() -> root.lseek(fd, -1, Syscalls.SEEK_SET)));
        assertEquals(Errno.EINVAL, errno(() -> root.lseek(fd, 0, 7)));
        assertEquals(12290, root.lseek(fd, 2, Syscalls.SEEK_END));
        assertEquals(12288, root.lseek(fd, -2, Syscalls.SEEK_CUR));
        byte[] b = new byte[8];
        assertEquals(0, root.read(fd, b, 0, 8));
    }

    @Test
    void readWrite_positionAndDescriptorModes() throws ErrnoException {
        int fd = root.open("/f", O_CREAT | O_WRONLY, 0644);
        assertEquals(3, root.write(fd, new byte[] {1, 2, 3}, 0, 3));
        assertEquals(2, root.write(fd, new byte[] {4, 5}, 0, 2));
        assertEquals(Errno.EBADF, errno(() -> root.read(fd, new byte[1], 0, 1)));
        assertEquals(Errno.EINVAL, errno(() -> root.pwrite(fd, new byte[1], 0, 1, -1)));
        assertEquals(Errno.EINVAL, errno(() -> root.pwrite(fd, new byte[1], 0, 1, m.fs().maxBytes())));
        int rd = root.open("/f", O_RDONLY, 0);
        byte[] b = new byte[8];
        assertEquals(5, root.read(rd, b, 0, 8));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, Arrays.copyOf(b, 5));
        assertEquals(Errno.EBADF, errno(() -> root.pwrite(rd, b, 0, 1, 0)));
        assertEquals(Errno.EINVAL, errno(() -> root.ftruncate(rd, 0)));
        root.close(rd);
        assertEquals(Errno.EBADF, errno(() -> root.close(rd)));
        root.mkdir("/d", 0755);
        int dfd = root.open("/d", O_RDONLY, 0);
        assertEquals(Errno.EISDIR, errno(() -> root.pread(dfd, b, 0, 1, 0)));
    }

    @Test
    void unlink_openFile_staysReadableUntilClosed() throws ErrnoException {
        int fd = createWith("/f", bytes(4096, 0x5a));
        root.unlink("/f");
        assertEquals(Errno.ENOENT, errno(() -> root.stat("/f")));
        byte[] b = new byte[4096];
        assertEquals(4096, root.pread(fd, b, 0, 4096, 0));
        assertArrayEquals(bytes(4096, 0x5a), b);
        root.close(fd);
        assertEquals(List.of(), root.readdir("/"));
    }

    @Test
    void namespaceOps_errnosAsLinux() throws ErrnoException {
        root.mkdir("/a", 0755);
        root.mkdir("/a/b", 0755);
        root.close(createWith("/a/b/f", bytes(1, 1)));
        assertEquals(Errno.EEXIST, errno(() -> root.mkdir("/a", 0755)));
        assertEquals(Errno.ENOTEMPTY, errno(() -> root.rmdir("/a")));
        assertEquals(Errno.EINVAL, errno(() -> root.rmdir("/a/.")));
        assertEquals(Errno.EBUSY, errno(() -> root.rmdir("/")));
        assertEquals(Errno.ENOTDIR, errno(() -> root.rmdir("/a/b/f")));
        assertEquals(Errno.EISDIR, errno(() -> root.unlink("/a/b")));
        assertEquals(Errno.EINVAL, errno(() -> root.rename("/a", "/a/b/c")));
        assertEquals(Errno.ENOTDIR, errno(() -> root.rename("/a/b/f", "/a/g/")));
        // The target is an ancestor of the source: lock_rename's trap, ENOTEMPTY.
        assertEquals(Errno.ENOTEMPTY, errno(() -> root.rename("/a/b/f", "/a")));
        root.mkdir("/e", 0755);
        assertEquals(Errno.EISDIR, errno(() -> root.rename("/a/b/f", "/e")));
        assertEquals(Errno.ENOTDIR, errno(() -> root.rename("/e", "/a/b/f")));
        root.rename("/a/b/f", "/g");
        assertEquals(List.of("a", "e", "g"), root.readdir("/"));
        assertEquals(Errno.ENOTDIR, errno(() -> root.readdir("/g")));
        root.rmdir("/a/b");
        Syscalls user = m.user(1000, 1000);
        assertEquals(Errno.EACCES, errno(() -> user.unlink("/g")));
        assertEquals(Errno.EACCES, errno(() -> user.mkdir("/u", 0755)));
    }

    @Test
    void chmodChown_ownerAndCapabilityRules() throws ErrnoException {
        root.mkdir("/pub", 0777);
        Syscalls user = m.user(1000, 1000);
        user.close(user.open("/pub/f", O_CREAT | O_RDWR, 0644));
        Syscalls other = m.user(2000, 2000);
        assertEquals(Errno.EPERM, errno(() -> other.chmod("/pub/f", 0777)));
        assertEquals(Errno.EPERM, errno(() -> user.chown("/pub/f", 2000, -1)));
        assertEquals(Errno.EPERM, errno(() -> user.chown("/pub/f", -1, 0)));
        user.chmod("/pub/f", 06755);
        assertEquals(Stat.S_IFREG | 06755, user.stat("/pub/f").mode());
        // A write by someone without CAP_FSETID drops setuid and (with group exec) setgid.
        int fd = user.open("/pub/f", O_RDWR, 0);
        user.pwrite(fd, bytes(1, 1), 0, 1, 0);
        assertEquals(Stat.S_IFREG | 0755, user.stat("/pub/f").mode());
        root.chown("/pub/f", 2000, 2000);
        assertEquals(2000, root.stat("/pub/f").uid());
        other.chmod("/pub/f", 0600);
    }

    @Test
    void fiemap_throughTheStack_reportsExtentsHolesAndUnwritten() throws ErrnoException {
        int fd = root.open("/f", O_CREAT | O_RDWR, 0644);
        root.pwrite(fd, bytes(65536, 1), 0, 65536, 0);
        Fiemap all = root.fiemap(fd, 0, -1, Fiemap.FIEMAP_FLAG_SYNC, 32);
        assertEquals(1, all.mappedExtents());
        assertEquals(65536, all.extents().getFirst().length());
        assertEquals(Fiemap.FIEMAP_EXTENT_LAST, all.extents().getFirst().flags());
        root.fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 16384, 16384);
        root.fallocate(fd, FALLOC_FL_ZERO_RANGE, 49152, 8192);
        Fiemap after = root.fiemap(fd, 0, -1, 0, 32);
        assertEquals(List.of(0L, 32768L, 49152L, 57344L),
                after.extents().stream().map(Fiemap.Extent::logical).toList());
        assertEquals(Fiemap.FIEMAP_EXTENT_UNWRITTEN, after.extents().get(2).flags());
        assertEquals(4, root.fiemap(fd, 0, -1, 0, 0).mappedExtents());
        assertEquals(Errno.EBADR, errno(() -> root.fiemap(fd, 0, -1, 0x8, 32)));
        assertEquals(0, root.fiemap(fd, 0, -1, Fiemap.FIEMAP_FLAG_XATTR, 32).mappedExtents());
    }
}
