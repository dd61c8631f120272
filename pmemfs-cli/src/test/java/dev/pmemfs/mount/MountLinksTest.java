package dev.pmemfs.mount;

import static dev.pmemfs.mount.FuseScratch.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.vfs.Stat;
import dev.pmemfs.vfs.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hard links, symlinks, special files, renameat2 flags and timestamps through the FUSE mount, as
 * coreutils (ln, readlink, mkfifo, mknod, touch, stat) and a small C program (pmemfs-cli/src/test/c/fsops.c,
 * for renameat2 and a bound socket: coreutils 9.1 has no {@code mv --exchange}) see them, with Linux's
 * error messages; what they did is checked again through the syscall layer underneath.
 */
class MountLinksTest {
    private static final long MIB = 1L << 20;
    private static final String USER = "setpriv --reuid 1000 --regid 1000 --clear-groups ";

    private static String out(Path dir, String script) throws Exception {
        return sh(dir, script).ok().out();
    }

    private static Stat lstat(FuseScratch m, String path) throws Exception {
        m.mount.lock().lock();
        try {
            return m.stack.root().lstat(path);
        } finally {
            m.mount.lock().unlock();
        }
    }

    @Test
    void hardLinksShareTheInodeAndOutliveTheFirstName(@TempDir Path dir) throws Exception {
        try (FuseScratch m = FuseScratch.mountOrSkip(dir, 64 * MIB, MountOptions.DEFAULTS)) {
            sh(dir, "echo data > mnt/a && ln mnt/a mnt/b && mkdir mnt/d && ln mnt/b mnt/d/c").ok();
            String ino = out(dir, "stat -c %i mnt/a").strip();
            assertEquals(("3 " + ino + "\n").repeat(3), out(dir, "stat -c '%h %i' mnt/a mnt/b mnt/d/c"));
            sh(dir, "echo more >> mnt/d/c").ok();
            assertEquals("data\nmore\n", out(dir, "cat mnt/a"));

            sh(dir, "rm mnt/a").ok();
            assertEquals("2\ndata\nmore\n", out(dir, "stat -c %h mnt/b && cat mnt/d/c"));
            assertEquals(2, lstat(m, "/b").nlink());
            assertEquals(lstat(m, "/b").ino(), lstat(m, "/d/c").ino());

            assertEquals("ln: failed to create hard link 'mnt/d/c': File exists\n", sh(dir, "ln mnt/b mnt/d/c 2>&1; true").out());
            assertEquals("ln: mnt/d: hard link not allowed for directory\n", sh(dir, "ln mnt/d mnt/e 2>&1; true").out());
            sh(dir, "rm mnt/b mnt/d/c && rmdir mnt/d").ok();
            assertEquals("", out(dir, "ls -A mnt"));
        }
    }

    @Test
    void symlinksAreNodesOfTheirOwnThatTheKernelFollows(@TempDir Path dir) throws Exception {
        try (FuseScratch m = FuseScratch.mountOrSkip(dir, 64 * MIB, MountOptions.DEFAULTS)) {
            sh(dir, "mkdir mnt/d && echo target > mnt/d/f && ln -s d/f mnt/s && ln -s d mnt/sd"
                    + " && ln -s /nowhere/x mnt/dangling").ok();
            assertEquals("d/f\ntarget\nsymbolic link 3\n", out(dir, "readlink mnt/s && cat mnt/s && stat -c '%F %s' mnt/s"));
            assertEquals("f\n", out(dir, "ls mnt/sd/"));
            assertEquals("/nowhere/x\n", out(dir, "readlink mnt/dangling"));
            assertEquals("cat: mnt/dangling: No such file or directory\n", sh(dir, "cat mnt/dangling 2>&1; true").out());
            assertEquals("d/f", m.stack.root().readlink("/s"));
            assertTrue(lstat(m, "/s").isSymlink());

            // the longest target XFS takes (XFS_SYMLINK_MAXLEN - 1 bytes) round-trips; one more is ENAMETOOLONG
            String longTarget = "x/".repeat(511) + "y";
            sh(dir, "ln -s " + longTarget + " mnt/long").ok();
            assertEquals(longTarget + "\n", out(dir, "readlink mnt/long"));
            assertTrue(sh(dir, "ln -s " + longTarget + "z mnt/longer 2>&1; true").out().endsWith("': File name too long\n"));

            // chown -h and touch -h act on the link itself (setattr on the symlink's node), not on its target
            sh(dir, "chown -h 1000:1000 mnt/s && touch -h -d @1000000000 mnt/s").ok();
            assertEquals("1000 1000000000\n0 ", out(dir, "stat -c '%u %Y' mnt/s && stat -c '%u ' mnt/d/f | tr -d '\\n'"));
            assertTrue(Long.parseLong(out(dir, "stat -c %Y mnt/d/f").strip()) > 1000000000L);
        }
    }

    @Test
    void mknodMakesFifosDevicesAndSockets(@TempDir Path dir) throws Exception {
        FuseScratch.requireProgram("gcc");
        Path fsops = fsops(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (FuseScratch m = FuseScratch.mountOrSkip(dir, 64 * MIB, MountOptions.DEFAULTS)) {
            sh(dir, "umask 022 && mkfifo -m 0620 mnt/p && mknod mnt/null c 1 3 && mknod mnt/big c 300 70000 && mknod mnt/loop b 7 0"
                    + " && " + fsops + " socket mnt/sock").ok();
            assertEquals("""
                    fifo 620 0,0
                    character special file 644 1,3
                    character special file 644 300,70000
                    block special file 644 7,0
                    socket 755 0,0
                    """, out(dir, "umask 022 && stat -c '%F %a %Hr,%Lr' mnt/p mnt/null mnt/big mnt/loop mnt/sock"));
            assertEquals(Stat.S_IFIFO, lstat(m, "/p").mode() & Stat.S_IFMT);
            assertEquals(Stat.makedev(300, 70000), lstat(m, "/big").rdev());
            assertEquals(Stat.S_IFSOCK, lstat(m, "/sock").mode() & Stat.S_IFMT);

            // the fifo is a pipe (the kernel serves it; no read or write reaches the filesystem)
            assertEquals("through\n", out(dir, "(echo through > mnt/p &) && cat mnt/p"));
            // an ordinary user may make a fifo where it may write, but no device
            sh(dir, "mkdir -m 0777 mnt/pub").ok();
            assertEquals("1000\n", out(dir, USER + "mkfifo mnt/pub/q && stat -c %u mnt/pub/q"));
            assertEquals("mknod: mnt/pub/c: Operation not permitted\n", sh(dir, USER + "mknod mnt/pub/c c 1 3 2>&1; true").out());
            assertEquals("mknod: mnt/p: File exists\n", sh(dir, "mknod mnt/p p 2>&1; true").out());
        }
    }

    @Test
    void renameat2NoreplaceAndExchangeAsXfsWithoutWhiteouts(@TempDir Path dir) throws Exception {
        FuseScratch.requireProgram("gcc");
        Path fsops = fsops(dir);
        try (FuseScratch m = FuseScratch.mountOrSkip(dir, 64 * MIB, MountOptions.DEFAULTS)) {
            sh(dir, "echo A > mnt/a && echo B > mnt/b && mkdir -p mnt/d mnt/e && echo X > mnt/d/x && echo Y > mnt/e/y").ok();
            String r = fsops + " rename2 ";
            assertEquals("File exists\n", out(dir, r + "mnt/a mnt/b 1"));
            assertEquals("ok\nA\n", out(dir, r + "mnt/a mnt/c 1 && cat mnt/c"));
            assertEquals("ok\nA\nB\n", out(dir, r + "mnt/c mnt/b 2 && cat mnt/b mnt/c"));
            // a file and a directory swap names; then two files in different directories
            assertEquals("ok\nA\nx\n", out(dir, r + "mnt/b mnt/d 2 && cat mnt/d && ls mnt/b"));
            assertEquals("ok\nY\nX\n", out(dir, r + "mnt/b/x mnt/e/y 2 && cat mnt/b/x mnt/e/y"));
            assertEquals("No such file or directory\n", out(dir, r + "mnt/c mnt/missing 2"));
            assertEquals("Invalid argument\n", out(dir, r + "mnt/c mnt/w 4"));
            assertEquals("Invalid argument\n", out(dir, r + "mnt/c mnt/b 3"));
            assertEquals("Directory not empty\nIs a directory\n", out(dir, r + "mnt/b mnt/e 0; " + r + "mnt/d mnt/e 0"));
            // after all that, the names the syscall layer sees
            assertEquals(java.util.List.of("b", "c", "d", "e"), m.stack.root().readdir("/"));
            assertTrue(lstat(m, "/b").isDirectory());
        }
    }

    @Test
    void timestampsThroughSetattrAsUtimensat(@TempDir Path dir) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (FuseScratch m = FuseScratch.mountOrSkip(dir, 64 * MIB, MountOptions.DEFAULTS)) {
            sh(dir, "echo x > mnt/f && touch -d '2001-02-03 04:05:06.123456789 UTC' mnt/f").ok();
            assertEquals("981173106.123456789 981173106.123456789\n", out(dir, "stat -c '%.9X %.9Y' mnt/f"));
            sh(dir, "touch -m -d @1000000000.5 mnt/f && touch -a -d @2000000000 mnt/f").ok();
            assertEquals("2000000000.000000000 1000000000.500000000\n", out(dir, "stat -c '%.9X %.9Y' mnt/f"));
            Stat s = lstat(m, "/f");
            assertEquals(2_000_000_000_000_000_000L, s.atimeNs());
            assertEquals(1_000_000_000_500_000_000L, s.mtimeNs());
            long ctime = Long.parseLong(out(dir, "stat -c %Z mnt/f").strip());
            assertTrue(Math.abs(ctime - System.currentTimeMillis() / 1000) < 60, "ctime is the time of the change: " + ctime);

            // a write moves mtime to now; utimensat(UTIME_NOW) needs write access, explicit times ownership
            sh(dir, "echo y >> mnt/f").ok();
            assertTrue(Long.parseLong(out(dir, "stat -c %Y mnt/f").strip()) > 1_000_000_001L);
            sh(dir, "chmod 0666 mnt/f && echo z > mnt/g && chmod 0644 mnt/g").ok();
            sh(dir, USER + "touch mnt/f").ok();
            assertEquals("touch: setting times of 'mnt/f': Operation not permitted\n",
                    sh(dir, USER + "touch -d @5 mnt/f 2>&1; true").out());
            assertEquals("touch: cannot touch 'mnt/g': Permission denied\n", sh(dir, USER + "touch mnt/g 2>&1; true").out());
            sh(dir, "chown 1000 mnt/g").ok();
            sh(dir, USER + "touch -d @5 mnt/g").ok();
            assertEquals("5\n", out(dir, "stat -c %Y mnt/g"));
        }
    }

    private static Path fsops(Path dir) throws Exception {
        Path exe = dir.resolve("fsops");
        sh(Path.of("").toAbsolutePath(), "gcc -Wall -Werror pmemfs-cli/src/test/c/fsops.c -o " + exe).ok();
        return exe;
    }
}
