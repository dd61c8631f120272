package dev.pmemfs.vfs;

import static dev.pmemfs.vfs.Syscalls.O_CREAT;
import static dev.pmemfs.vfs.Syscalls.O_RDONLY;
import static dev.pmemfs.vfs.Syscalls.O_RDWR;
import static dev.pmemfs.vfs.Syscalls.O_TRUNC;
import static dev.pmemfs.vfs.Syscalls.O_WRONLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.Falloc;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.fs.PmemFs;
import dev.pmemfs.testing.FakeClock;
import dev.pmemfs.testing.MountedVfs;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * atime/mtime/ctime for every call that changes them, with Linux's (XFS's) rules, against a fake
 * clock that moves one second between steps: each assertion names the exact instant expected.
 */
class TimestampsTest {
    static final long SEC = 1_000_000_000L;

    @TempDir
    Path tmp;
    FakeClock clock = new FakeClock();
    MountedVfs m;
    Syscalls root;

    @BeforeEach
    void mount() throws ErrnoException {
        m = new MountedVfs(tmp, 32L << 20, MountOptions.DEFAULTS, clock);
        root = m.root();
    }

    @AfterEach
    void unmount() throws ErrnoException {
        m.close();
    }

    /** Moves the clock one second on and returns the new instant. */
    long tick() {
        clock.advance(SEC);
        return clock.nanos();
    }

    void times(String path, long atime, long mtime, long ctime) throws ErrnoException {
        Stat st = root.lstat(path);
        assertEquals(atime, st.atimeNs(), path + " atime");
        assertEquals(mtime, st.mtimeNs(), path + " mtime");
        assertEquals(ctime, st.ctimeNs(), path + " ctime");
    }

    int create(String path) throws ErrnoException {
        return root.open(path, O_CREAT | O_RDWR, 0644);
    }

    @Test
    void createSetsAllThreeAndTheParentsMtimeCtime() throws ErrnoException {
        long t0 = clock.nanos();
        times("/", t0, t0, t0); // mkfs took the root's times from the same clock
        long t1 = tick();
        root.close(create("/f"));
        times("/f", t1, t1, t1);
        times("/", t0, t1, t1);
        long t2 = tick();
        root.mkdir("/d", 0755);
        times("/d", t2, t2, t2);
        times("/", t0, t2, t2);
        long t3 = tick();
        root.symlink("f", "/l");
        root.mkfifo("/p", 0644);
        times("/l", t3, t3, t3);
        times("/p", t3, t3, t3);
        times("/", t0, t3, t3);
    }

    @Test
    void writeSetsMtimeCtimeNotAtimeAndAnEmptyWriteNothing() throws ErrnoException {
        long t1 = tick();
        int fd = create("/f");
        long t2 = tick();
        root.pwrite(fd, new byte[10], 0, 10, 0);
        times("/f", t1, t2, t2);
        long t3 = tick();
        root.pwrite(fd, new byte[5], 0, 5, 2); // an overwrite: the lazily logged path
        times("/f", t1, t3, t3);
        tick();
        root.pwrite(fd, new byte[0], 0, 0, 0);
        times("/f", t1, t3, t3);
        root.close(fd);
    }

    @Test
    void readUpdatesAtimeAsRelatimeDoes() throws ErrnoException {
        long t1 = tick();
        int fd = create("/f");
        root.pwrite(fd, new byte[100], 0, 100, 0);
        long t2 = tick();
        byte[] b = new byte[10];
        root.pread(fd, b, 0, 10, 0); // atime == mtime: updated
        times("/f", t2, t1, t1);
        tick();
        root.pread(fd, b, 0, 10, 0); // atime later than mtime and ctime, less than a day old: kept
        times("/f", t2, t1, t1);
        tick();
        root.pread(fd, b, 0, 0, 0); // a read of nothing never touches atime
        times("/f", t2, t1, t1);
        clock.advance(24 * 3600 * SEC);
        long day = clock.nanos();
        root.pread(fd, b, 0, 10, 0); // a day old: updated
        times("/f", day, t1, t1);
        long t3 = tick();
        root.pwrite(fd, new byte[1], 0, 1, 0);
        long t4 = tick();
        root.pread(fd, b, 0, 10, 0); // mtime moved past atime: updated
        times("/f", t4, t3, t3);
        root.close(fd);
    }

    @Test
    void readdirAndReadlinkAndMmapTouchAtime() throws ErrnoException {
        root.mkdir("/d", 0755);
        root.symlink("/d", "/l");
        int fd = create("/f");
        root.pwrite(fd, new byte[4096], 0, 4096, 0);
        long t = tick();
        root.readdir("/d");
        root.readlink("/l");
        root.mmap(fd, 0, 4096, Syscalls.PROT_READ);
        assertEquals(t, root.lstat("/d").atimeNs());
        assertEquals(t, root.lstat("/l").atimeNs());
        assertEquals(t, root.lstat("/f").atimeNs());
        root.close(fd);
    }

    @Test
    void truncateChangesTimesOnlyWithTheSizeButFtruncateAndOTruncAlways() throws ErrnoException {
        long t1 = tick();
        int fd = create("/f");
        root.pwrite(fd, new byte[100], 0, 100, 0);
        tick();
        root.truncate("/f", 100); // same size, by path: XFS changes nothing
        times("/f", t1, t1, t1);
        long t3 = tick();
        root.truncate("/f", 50);
        times("/f", t1, t3, t3);
        long t4 = tick();
        root.ftruncate(fd, 50); // ATTR_MTIME|ATTR_CTIME from do_sys_ftruncate
        times("/f", t1, t4, t4);
        root.close(fd);
        long t5 = tick();
        root.close(root.open("/f", O_WRONLY | O_TRUNC, 0));
        times("/f", t1, t5, t5);
        long t6 = tick();
        root.close(root.open("/f", O_WRONLY | O_TRUNC, 0)); // already empty: O_TRUNC still sets them
        times("/f", t1, t6, t6);
    }

    @Test
    void everyFallocateModeSetsMtimeCtime() throws ErrnoException {
        long t1 = tick();
        int fd = create("/f");
        long prev = t1;
        for (int mode : new int[] {0, Falloc.FALLOC_FL_KEEP_SIZE,
                Falloc.FALLOC_FL_PUNCH_HOLE | Falloc.FALLOC_FL_KEEP_SIZE, Falloc.FALLOC_FL_ZERO_RANGE}) {
            long t = tick();
            root.fallocate(fd, mode, 0, 8192);
            times("/f", t1, t, t);
            prev = t;
        }
        assertEquals(prev, root.fstat(fd).mtimeNs());
        root.close(fd);
    }

    @Test
    void unlinkRenameAndLinkSetCtimeOfTheInodeAndMtimeCtimeOfTheDirectories() throws ErrnoException {
        root.mkdir("/a", 0755);
        root.mkdir("/b", 0755);
        long t1 = tick();
        root.close(create("/a/f"));
        long t2 = tick();
        root.link("/a/f", "/b/g");
        times("/a/f", t1, t1, t2);
        assertEquals(t2, root.lstat("/b").mtimeNs());
        assertEquals(t1, root.lstat("/a").mtimeNs());
        long t3 = tick();
        root.unlink("/a/f"); // the inode lives on as /b/g
        times("/b/g", t1, t1, t3);
        assertEquals(t3, root.lstat("/a").mtimeNs());
        assertEquals(t3, root.lstat("/a").ctimeNs());
        long t4 = tick();
        root.rename("/b/g", "/a/h");
        times("/a/h", t1, t1, t4);
        assertEquals(t4, root.lstat("/a").mtimeNs());
        assertEquals(t4, root.lstat("/b").mtimeNs());
        assertEquals(t4, root.lstat("/b").ctimeNs());
    }

    @Test
    void chmodChownAndChattrSetOnlyCtime() throws ErrnoException {
        long t1 = tick();
        int fd = create("/f");
        long t2 = tick();
        root.chmod("/f", 0600);
        times("/f", t1, t1, t2);
        long t3 = tick();
        root.chown("/f", 1000, 1000);
        times("/f", t1, t1, t3);
        long t4 = tick();
        root.setFlags(fd, 0x20);
        times("/f", t1, t1, t4);
        root.close(fd);
    }

    @Test
    void utimensatSetsWhatItIsGivenAndCtimeToNow() throws ErrnoException {
        long t1 = tick();
        root.close(create("/f"));
        long t2 = tick();
        root.utimensat("/f", new Timespec(1000, 5), new Timespec(2000, 7), 0);
        times("/f", 1000 * SEC + 5, 2000 * SEC + 7, t2);
        long t3 = tick();
        root.utimensat("/f", Timespec.OMIT, Timespec.NOW, 0);
        times("/f", 1000 * SEC + 5, t3, t3);
        long t4 = tick();
        root.utimensat("/f", null, null, 0);
        times("/f", t4, t4, t4);
        tick();
        root.utimensat("/f", Timespec.OMIT, Timespec.OMIT, 0); // nothing at all, not even ctime
        times("/f", t4, t4, t4);
        root.symlink("/f", "/l");
        long t5 = tick();
        root.utimensat("/l", new Timespec(1, 0), new Timespec(2, 0), Syscalls.AT_SYMLINK_NOFOLLOW);
        times("/l", SEC, 2 * SEC, t5);
        times("/f", t4, t4, t4);
        assertEquals(t1, root.lstat("/f").ctimeNs() - 3 * SEC);
    }

    @Test
    void utimensatPermissionRules() throws ErrnoException {
        int fd = create("/f");
        root.chmod("/f", 0666);
        root.close(fd);
        Syscalls user = m.user(1000, 1000);
        // times == NULL: write permission is enough.
        user.utimensat("/f", null, null, 0);
        // an explicit time needs the owner or CAP_FOWNER.
        assertEquals(Errno.EPERM, assertThrows(ErrnoException.class,
                () -> user.utimensat("/f", new Timespec(1, 0), Timespec.OMIT, 0)).errno());
        assertEquals(Errno.EPERM, assertThrows(ErrnoException.class,
                () -> user.utimensat("/f", Timespec.NOW, Timespec.OMIT, 0)).errno());
        root.chmod("/f", 0644);
        assertEquals(Errno.EACCES, assertThrows(ErrnoException.class,
                () -> user.utimensat("/f", null, null, 0)).errno());
        // UTIME_OMIT twice: success without even looking the path up.
        user.utimensat("/missing", Timespec.OMIT, Timespec.OMIT, 0);
        assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class,
                () -> root.utimensat("/f", new Timespec(0, 1_000_000_000L), Timespec.NOW, 0)).errno());
        assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class,
                () -> root.utimensat("/f", null, null, 0x4)).errno());
        int fd2 = root.open("/f", O_RDONLY, 0);
        root.setFlags(fd2, 0x20); // append-only: explicit times refused, "now" allowed
        assertEquals(Errno.EPERM, assertThrows(ErrnoException.class,
                () -> root.utimensat("/f", new Timespec(1, 0), new Timespec(1, 0), 0)).errno());
        root.utimensat("/f", null, null, 0);
        root.setFlags(fd2, 0x10); // immutable: both refused
        assertEquals(Errno.EPERM, assertThrows(ErrnoException.class,
                () -> root.utimensat("/f", null, null, 0)).errno());
        root.setFlags(fd2, 0);
        root.close(fd2);
    }

    @Test
    void timesSurviveUnmountIncludingLazilyLoggedOnes() throws ErrnoException {
        int fd = create("/f");
        root.pwrite(fd, new byte[10], 0, 10, 0);
        long t = tick();
        root.pwrite(fd, new byte[1], 0, 1, 0); // overwrite: times logged lazily
        long ta = tick();
        root.pread(fd, new byte[1], 0, 1, 0);
        root.close(fd);
        m.vfs.close();
        FileSystem fs = PmemFs.mount(m.pmem.dax(), m.pmem.block(), null, clock);
        try {
            var a = fs.getattr(fs.lookup(fs.rootIno(), "f"));
            assertEquals(t, a.mtimeNs());
            assertEquals(t, a.ctimeNs());
            assertEquals(ta, a.atimeNs());
        } finally {
            fs.close(); // the @AfterEach close finds the vfs closed and closes the namespace
        }
    }
}
