package dev.pmemfs.mount;

import static dev.pmemfs.mount.FuseScratch.requireProgram;
import static dev.pmemfs.mount.FuseScratch.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.vfs.Fiemap;
import dev.pmemfs.vfs.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison under a mounted file, as programs see it: EIO at the bad block's offset for dd, a C program
 * (pmemfs-cli/src/test/c/pmemfs_clear.c, built with gcc against include/pmemfs.h) that clears it as an ordinary
 * user through the ioctls, and a page-aligned pwrite that is a recovery write only where the profile
 * has one.
 */
class MountRecoveryTest {
    private static final long MIB = 1L << 20;
    private static final long BAD = 100 * 4096; // file offset of the poisoned block

    @Test
    void ddSeesEioAtTheBadBlockAndAnOrdinaryUserClearsItThroughTheIoctl(@TempDir Path dir) throws Exception {
        requireProgram("gcc");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        sh(Path.of("").toAbsolutePath(), "gcc -Wall -Werror -Iinclude pmemfs-cli/src/test/c/pmemfs_clear.c -o " + dir.resolve("pmemfs_clear")).ok();
        try (FuseScratch m = FuseScratch.mountOrSkip(dir, 64 * MIB, MountOptions.DEFAULTS)) {
            sh(dir, "xfs_io -f -c 'pwrite -S 0x61 0 1m' mnt/f >/dev/null && chown 1000:1000 mnt/f").ok();
            poison(m, "/f", BAD);

            FuseScratch.Run dd = sh(dir, "dd if=mnt/f of=/dev/null bs=4k");
            assertNotEquals(0, dd.exit(), dd.out());
            assertTrue(dd.out().contains("error reading 'mnt/f': Input/output error"), dd.out());
            assertTrue(dd.out().contains((BAD / 4096) + "+0 records in"), dd.out());

            FuseScratch.Run c = sh(dir, "setpriv --reuid 1000 --regid 1000 --clear-groups ./pmemfs_clear mnt/f");
            assertEquals(0, c.exit(), c.out());
            List<String> lines = c.out().lines().toList();
            assertEquals("badblock " + BAD + " 4096", lines.get(0), c.out());
            assertTrue(lines.contains("fallocate(0x101): Operation not supported"), c.out()); // FUSE's filter
            assertTrue(lines.contains("cleared " + BAD + " 4096"), c.out());
            assertTrue(lines.contains("badblocks 0"), c.out());
            assertEquals("ok", lines.getLast());
            List<String> extents = lines.stream().filter(l -> l.startsWith("extent ")).toList();
            assertEquals(extents.subList(0, extents.size() / 2), extents.subList(extents.size() / 2, extents.size()),
                    "the file keeps its blocks: " + c.out());

            sh(dir, "xfs_io -f -c 'pwrite -S 0x61 0 1m' -c 'pwrite -S 0 " + BAD + " 4096' want >/dev/null"
                    + " && dd if=mnt/f of=got bs=4k status=none && cmp want got").ok();
        }
    }

    @Test
    void pageAlignedPwriteOverPoisonIsARecoveryWriteWhereTheProfileHasOne(@TempDir Path dir) throws Exception {
        String write = "xfs_io -c 'pwrite -S 0x63 " + BAD + " 4096' -c 'pread -v " + BAD + " 16' mnt/f";
        try (FuseScratch m = FuseScratch.mountOrSkip(dir.resolve("a"), 64 * MIB,
                MountOptions.parse("linux-5.19", MountOptions.DEFAULTS))) {
            sh(dir.resolve("a"), "xfs_io -f -c 'pwrite -S 0x61 0 1m' mnt/f").ok();
            poison(m, "/f", BAD);
            FuseScratch.Run w = sh(dir.resolve("a"), write).ok();
            assertTrue(w.out().contains("63 63 63 63"), w.out());
        }
        try (FuseScratch m = FuseScratch.mountOrSkip(dir.resolve("b"), 64 * MIB,
                MountOptions.parse("linux-5.15", MountOptions.DEFAULTS))) {
            sh(dir.resolve("b"), "xfs_io -f -c 'pwrite -S 0x61 0 1m' mnt/f").ok();
            poison(m, "/f", BAD);
            assertTrue(sh(dir.resolve("b"), "xfs_io -c 'pread " + BAD + " 4096' mnt/f").out().contains("Input/output error"));
            FuseScratch.Run w = sh(dir.resolve("b"), write);
            assertTrue(w.out().contains("pwrite: Input/output error"), w.out());
        }
    }

    /** Injects a known media error (ndctl inject-error without --no-notify) under file offset {@code off}. */
    static void poison(FuseScratch m, String path, long off) throws Exception {
        m.mount.lock().lock();
        try {
            Syscalls root = m.stack.root();
            int fd = root.open(path, Syscalls.O_RDONLY, 0);
            try {
                Fiemap fm = root.fiemap(fd, off, 1, 0, 1);
                Fiemap.Extent e = fm.extents().getFirst();
                m.stack.ns.injectError(m.stack.ns.dataOffset() + e.physical() + (off - e.logical()), 512, true);
            } finally {
                root.close(fd);
            }
        } finally {
            m.mount.lock().unlock();
        }
    }
}
