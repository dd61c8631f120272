package dev.pmemfs.vfs;

import static dev.pmemfs.vfs.Syscalls.O_CREAT;
import static dev.pmemfs.vfs.Syscalls.O_EXCL;
import static dev.pmemfs.vfs.Syscalls.O_NOFOLLOW;
import static dev.pmemfs.vfs.Syscalls.O_NONBLOCK;
import static dev.pmemfs.vfs.Syscalls.O_RDONLY;
import static dev.pmemfs.vfs.Syscalls.O_RDWR;
import static dev.pmemfs.vfs.Syscalls.O_WRONLY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.fs.Fsck;
import dev.pmemfs.fs.FsckReport;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.fs.PmemFs;
import dev.pmemfs.fs.StatFs;
import dev.pmemfs.testing.MountedVfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hard links, symlinks, renameat2 flags, device files, FIFOs, sockets and statfs through the syscalls,
 * errno for errno as Linux answers them; every scenario ends with an unmount, a clean fsck and a
 * remount that still sees what was made (the format stores it).
 */
class LinksAndSpecialFilesTest {
    @TempDir
    Path tmp;
    MountedVfs m;
    Syscalls root;

    @BeforeEach
    void mount() throws ErrnoException {
        m = new MountedVfs(tmp, 32L << 20, MountOptions.DEFAULTS);
        root = m.root();
    }

    @AfterEach
    void unmount() throws ErrnoException {
        m.close();
    }

    static Errno errno(Executable call) {
        return assertThrows(ErrnoException.class, call).errno();
    }

    void write(String path, String text) throws ErrnoException {
        int fd = root.open(path, O_CREAT | O_WRONLY, 0644);
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        root.pwrite(fd, b, 0, b.length, 0);
        root.close(fd);
    }

    String read(String path) throws ErrnoException {
        int fd = root.open(path, O_RDONLY, 0);
        byte[] b = new byte[4096];
        int n = root.pread(fd, b, 0, b.length, 0);
        root.close(fd);
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** Unmounts, checks that fsck finds nothing, and mounts again without the syscall layer. */
    FileSystem remountChecked() throws ErrnoException {
        m.vfs.close();
        FsckReport r = Fsck.check(m.pmem.dax(), m.pmem.block(), false);
        assertTrue(r.clean(), r.findings().toString());
        return PmemFs.mount(m.pmem.dax(), m.pmem.block(), null);
    }

    @Test
    void hardLinksShareTheInodeAndCountLinks() throws ErrnoException {
        root.mkdir("/d", 0755);
        write("/a", "hello");
        root.link("/a", "/d/b");
        assertEquals(2, root.stat("/a").nlink());
        assertEquals(root.stat("/a").ino(), root.stat("/d/b").ino());
        assertEquals(Errno.EEXIST, errno(() -> root.link("/a", "/d/b")));
        assertEquals(Errno.EPERM, errno(() -> root.link("/d", "/e")));
        assertEquals(Errno.ENOENT, errno(() -> root.link("/missing", "/e")));
        root.unlink("/a"); // the first name goes: the inode stays under the other
        assertEquals(1, root.stat("/d/b").nlink());
        assertEquals("hello", read("/d/b"));
        long ino = root.stat("/d/b").ino();
        assertEquals("/d/b", m.fs().path(ino)); // the parent hint named "/", found by search
        // protected_hardlinks: a stranger may not link a file they cannot read and write.
        write("/secret", "x");
        root.chmod("/secret", 0600);
        root.chmod("/d", 0777);
        Syscalls user = m.user(1000, 1000);
        assertEquals(Errno.EPERM, errno(() -> user.link("/secret", "/d/mine")));
        try (FileSystem fs = remountChecked()) {
            assertEquals(1, fs.getattr(fs.lookup(fs.lookup(fs.rootIno(), "d"), "b")).nlink());
        }
    }

    @Test
    void symlinksAreFollowedWhereLinuxFollowsThem() throws ErrnoException {
        root.mkdir("/d", 0755);
        write("/d/f", "data");
        root.symlink("d/f", "/rel");
        root.symlink("/d", "/abs");
        root.symlink("../d/f", "/d/up");
        String longTarget = "/d/" + "x".repeat(300); // longer than the inode holds: kept in a block
        root.symlink(longTarget, "/long");
        assertEquals("d/f", root.readlink("/rel"));
        assertEquals("d/", root.readlink("/rel", 2));
        assertEquals(longTarget, root.readlink("/long"));
        assertEquals("data", read("/rel"));
        assertEquals("data", read("/abs/f"));
        assertEquals("data", read("/abs/up"));
        assertEquals(List.of("f", "up"), root.readdir("/abs"));
        assertTrue(root.lstat("/rel").isSymlink());
        assertEquals(3, root.lstat("/rel").size());
        assertTrue(root.stat("/rel").isRegular());
        assertEquals(Errno.ELOOP, errno(() -> root.open("/rel", O_RDONLY | O_NOFOLLOW, 0)));
        assertEquals(Errno.EEXIST, errno(() -> root.open("/rel", O_CREAT | O_EXCL | O_RDWR, 0644)));
        assertEquals(Errno.EINVAL, errno(() -> root.readlink("/d/f")));
        assertEquals(Errno.ENOENT, errno(() -> root.symlink("", "/empty")));
        assertEquals(Errno.ENAMETOOLONG, errno(() -> root.symlink("y".repeat(1024), "/toolong")));
        root.symlink("y".repeat(1023), "/longest");
        // O_CREAT through a dangling link creates its target.
        root.symlink("/d/new", "/dangling");
        root.close(root.open("/dangling", O_CREAT | O_WRONLY, 0600));
        assertTrue(root.stat("/d/new").isRegular());
        // A loop, and a chain of 41 links: ELOOP (MAXSYMLINKS is 40).
        root.symlink("/loop2", "/loop1");
        root.symlink("/loop1", "/loop2");
        assertEquals(Errno.ELOOP, errno(() -> root.stat("/loop1")));
        root.symlink("/d/f", "/c0");
        for (int i = 1; i <= 40; i++) {
            root.symlink("/c" + (i - 1), "/c" + i);
        }
        assertEquals("data", read("/c39")); // 40 links
        assertEquals(Errno.ELOOP, errno(() -> read("/c40"))); // 41
        assertEquals(Errno.ELOOP, errno(() -> root.stat("/c40/x")));
        // unlink removes the link, not the target; lchown changes the link.
        root.lchown("/rel", 7, 7);
        assertEquals(7, root.lstat("/rel").uid());
        assertEquals(0, root.stat("/rel").uid());
        root.unlink("/rel");
        assertEquals("data", read("/d/f"));
        try (FileSystem fs = remountChecked()) {
            assertEquals(longTarget, fs.readlink(fs.lookup(fs.rootIno(), "long")));
            assertEquals("/d", fs.readlink(fs.lookup(fs.rootIno(), "abs")));
        }
    }

    @Test
    void renameNoreplaceAndExchange() throws ErrnoException {
        root.mkdir("/a", 0755);
        root.mkdir("/b", 0755);
        root.mkdir("/a/sub", 0755);
        write("/f", "F");
        write("/g", "G");
        assertEquals(Errno.EEXIST, errno(() -> root.rename("/f", "/g", Syscalls.RENAME_NOREPLACE)));
        root.rename("/f", "/h", Syscalls.RENAME_NOREPLACE);
        assertEquals(Errno.ENOENT, errno(() -> root.rename("/h", "/nothing", Syscalls.RENAME_EXCHANGE)));
        root.rename("/h", "/g", Syscalls.RENAME_EXCHANGE);
        assertEquals("G", read("/h"));
        assertEquals("F", read("/g"));
        // A directory and a file change places across directories; link counts follow the directory.
        write("/b/file", "x");
        root.rename("/a/sub", "/b/file", Syscalls.RENAME_EXCHANGE);
        assertTrue(root.stat("/b/file").isDirectory());
        assertTrue(root.stat("/a/sub").isRegular());
        assertEquals(2, root.stat("/a").nlink());
        assertEquals(3, root.stat("/b").nlink());
        assertEquals(root.stat("/b").ino(), m.fs().lookup(root.stat("/b/file").ino(), ".."));
        assertEquals(Errno.EINVAL, errno(() -> root.rename("/g", "/h",
                Syscalls.RENAME_EXCHANGE | Syscalls.RENAME_NOREPLACE)));
        assertEquals(Errno.EINVAL, errno(() -> root.rename("/g", "/h", 8)));
        assertEquals(Errno.EINVAL, errno(() -> root.rename("/b", "/b/file", Syscalls.RENAME_EXCHANGE)));
        assertEquals(Errno.EINVAL, errno(() -> root.rename("/g", "/h", Syscalls.RENAME_WHITEOUT)));
        assertEquals(Errno.EPERM, errno(() -> m.user(1000, 1000).rename("/g", "/h", Syscalls.RENAME_WHITEOUT)));
        try (FileSystem fs = remountChecked()) {
            assertEquals(3, fs.getattr(fs.lookup(fs.rootIno(), "b")).nlink());
        }
    }

    @Test
    void deviceFilesFifosAndSockets() throws Exception {
        long nullDev = Stat.makedev(1, 3);
        long disk = Stat.makedev(259, 7);
        root.mknod("/null", Stat.S_IFCHR | 0666, nullDev);
        root.mknod("/blk", Stat.S_IFBLK | 0600, disk);
        root.mknod("/chr", Stat.S_IFCHR | 0600, Stat.makedev(42, 42));
        root.mknod("/sock", Stat.S_IFSOCK | 0755, 0);
        root.mkfifo("/fifo", 0644);
        root.mknod("/plain", 0644, 0);
        assertEquals(Stat.S_IFCHR | 0666, root.stat("/null").mode());
        assertEquals(nullDev, root.stat("/null").rdev());
        assertEquals(disk, root.stat("/blk").rdev());
        assertEquals(259, Stat.major(root.stat("/blk").rdev()));
        assertTrue(root.stat("/plain").isRegular());
        assertEquals(Errno.EPERM, errno(() -> root.mknod("/dir", Stat.S_IFDIR | 0755, 0)));
        assertEquals(Errno.EINVAL, errno(() -> root.mknod("/bad", 0170000, 0)));
        assertEquals(Errno.EEXIST, errno(() -> root.mkfifo("/fifo", 0644)));
        root.mkdir("/tmp", 0777);
        Syscalls user = m.user(1000, 1000);
        assertEquals(Errno.EACCES, errno(() -> user.mknod("/userdev", Stat.S_IFCHR | 0600, nullDev))); // may_create first
        assertEquals(Errno.EPERM, errno(() -> user.mknod("/tmp/userdev", Stat.S_IFCHR | 0600, nullDev)));
        user.mkfifo("/tmp/userfifo", 0600); // FIFOs need no capability
        // Opening: no driver for the block device, the unknown char device, nor a socket.
        assertEquals(Errno.ENXIO, errno(() -> root.open("/blk", O_RDWR, 0)));
        assertEquals(Errno.ENXIO, errno(() -> root.open("/chr", O_RDWR, 0)));
        assertEquals(Errno.ENXIO, errno(() -> root.open("/sock", O_RDWR, 0)));
        // /dev/null semantics, and fallocate on a character device: ENODEV.
        int nfd = root.open("/null", O_RDWR, 0);
        assertEquals(5, root.write(nfd, new byte[5], 0, 5));
        assertEquals(0, root.read(nfd, new byte[5], 0, 5));
        assertEquals(Errno.ENODEV, errno(() -> root.fallocate(nfd, 0, 0, 4096)));
        root.close(nfd);
        // A FIFO: bytes in order, ESPIPE for seeks, positional I/O and fallocate, ENXIO for a writer
        // without a reader under O_NONBLOCK.
        assertEquals(Errno.ENXIO, errno(() -> root.open("/fifo", O_WRONLY | O_NONBLOCK, 0)));
        int r = root.open("/fifo", O_RDONLY | O_NONBLOCK, 0);
        int w = root.open("/fifo", O_WRONLY, 0);
        assertEquals(Errno.EAGAIN, errno(() -> root.read(r, new byte[4], 0, 4)));
        assertEquals(3, root.write(w, "abc".getBytes(), 0, 3));
        byte[] got = new byte[8];
        assertEquals(3, root.read(r, got, 0, 8));
        assertArrayEquals("abc".getBytes(), java.util.Arrays.copyOf(got, 3));
        assertEquals(Errno.ESPIPE, errno(() -> root.lseek(r, 0, Syscalls.SEEK_SET)));
        assertEquals(Errno.ESPIPE, errno(() -> root.pread(r, got, 0, 1, 0)));
        assertEquals(Errno.ESPIPE, errno(() -> root.fallocate(w, 0, 0, 4096)));
        assertEquals(Errno.ENODEV, errno(() -> root.mmap(r, 0, 4096, Syscalls.PROT_READ)));
        root.close(w);
        assertEquals(0, root.read(r, got, 0, 8)); // no writer left: end of file
        root.close(r);
        // A blocking reader waits for its writer (fifo_open's wait_for_partner).
        Thread writer = new Thread(() -> {
            try (Syscalls p = m.root()) {
                int fd = p.open("/fifo", O_WRONLY, 0);
                p.write(fd, "late".getBytes(), 0, 4);
                p.close(fd);
            } catch (ErrnoException e) {
                throw new AssertionError(e);
            }
        });
        writer.start();
        int br = root.open("/fifo", O_RDONLY, 0);
        writer.join(10_000);
        assertEquals(4, root.read(br, got, 0, 8));
        root.close(br);
        try (FileSystem fs = remountChecked()) {
            var a = fs.getattr(fs.lookup(fs.rootIno(), "blk"));
            assertEquals(disk, a.rdev());
            assertEquals(dev.pmemfs.fs.FileType.BLOCK_DEVICE, a.type());
            assertEquals(dev.pmemfs.fs.FileType.SOCKET, fs.getattr(fs.lookup(fs.rootIno(), "sock")).type());
        }
    }

    @Test
    void statfsGivesTheFiguresOfTheMount() throws ErrnoException {
        int fd = root.open("/f", O_CREAT | O_RDWR, 0644); // the root directory gets its first block here
        StatFs before = root.statfs("/");
        assertEquals(StatFs.PMEMFS_MAGIC, before.type());
        assertEquals(4096, before.blockSize());
        assertEquals(255, before.nameMax());
        assertEquals(before.freeBlocks(), before.availBlocks());
        assertTrue(before.totalBlocks() < (32L << 20) / 4096 && before.totalBlocks() > 0);
        root.fallocate(fd, 0, 0, 40960);
        root.mkfifo("/p", 0644);
        StatFs after = root.fstatfs(fd);
        assertEquals(before.freeBlocks() - 10, after.freeBlocks());
        assertEquals(before.freeInodes() - 1, after.freeInodes());
        assertEquals(before.fsid(), after.fsid());
        root.close(fd);
        assertEquals(Errno.ENOENT, errno(() -> root.statfs("/missing")));
        root.mkdir("/closed", 0700);
        assertEquals(Errno.EACCES, errno(() -> m.user(1000, 1000).statfs("/closed/x")));
    }
}
