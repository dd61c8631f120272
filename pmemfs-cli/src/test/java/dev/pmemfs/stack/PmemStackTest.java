package dev.pmemfs.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FsckReport;
import dev.pmemfs.fs.MkfsOptions;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceConfig;
import dev.pmemfs.media.NamespaceMode;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack comes up in order, goes down in reverse, and leaves nothing open or on disk when a step of
 * the build fails: the namespace is closed (its image opens again, which the one-owner lock would
 * refuse otherwise) and a temporary image is gone.
 */
class PmemStackTest {
    private static final long SIZE = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void temporary_mkfsMountWriteRemount_dataSurvivesAndCloseDeletesTheImage() throws Exception {
        Path image;
        byte[] data = "persistent bytes".getBytes();
        try (PmemStack s = PmemStack.temporary(dir, SIZE).mkfs().mountOptions("linux-5.19").build()) {
            image = s.image();
            assertTrue(Files.exists(image));
            assertEquals(MountOptions.parse("linux-5.19", MountOptions.DEFAULTS), s.options());
            Syscalls sys = s.sys();
            int fd = sys.open("/f", Syscalls.O_RDWR | Syscalls.O_CREAT, 0644);
            sys.pwrite(fd, data, 0, data.length, 0);
            sys.fsync(fd);
            s.remount();
            Syscalls again = s.sys();
            int fd2 = again.open("/f", Syscalls.O_RDONLY, 0);
            byte[] back = new byte[data.length];
            assertEquals(data.length, again.pread(fd2, back, 0, back.length, 0));
            assertArrayEquals(data, back);
            assertThrows(ErrnoException.class, () -> sys.close(fd), "the old mount's process is gone");
            assertEquals(FsckReport.CLEAN, s.fsck(false).exitCode());
        }
        assertFalse(Files.exists(image), "a temporary image is deleted on close");
    }

    @Test
    void create_thenOpen_mountsWithTheOptionsMkfsStored() throws Exception {
        Path image = dir.resolve("namespace0.0.img");
        MountOptions stored = MountOptions.parse("linux-5.15", MountOptions.DEFAULTS);
        try (PmemStack s = PmemStack.create(image, SIZE).mkfs(new MkfsOptions(0, 0, stored)).build()) {
            assertEquals(stored, s.options());
        }
        assertTrue(Files.exists(image), "a created image is kept");
        try (PmemStack s = PmemStack.open(image).mountOptions("recovery_write=on").build()) {
            assertEquals(MountOptions.parse("recovery_write=on", stored), s.options(), "text applies over the stored defaults");
        }
    }

    @Test
    void build_mountFails_namespaceClosedAndImageOpensAgain() throws Exception {
        Path image = dir.resolve("namespace0.0.img");
        Namespace.create(image, NamespaceConfig.of(SIZE)).close(); // no filesystem on it
        ErrnoException e = assertThrows(ErrnoException.class, () -> PmemStack.open(image).build());
        assertTrue(List.of(Errno.EUCLEAN, Errno.EINVAL, Errno.EIO).contains(e.errno()), e.toString());
        try (Namespace again = Namespace.open(image)) {
            assertEquals(SIZE, again.size());
        }
    }

    @Test
    void on_buildFails_theGivenNamespaceIsClosed() throws Exception {
        Namespace ns = Namespace.create(dir.resolve("namespace0.0.img"), NamespaceConfig.of(SIZE));
        assertThrows(ErrnoException.class, () -> PmemStack.on(ns).build());
        assertThrows(IllegalStateException.class, () -> ns.read(0, new byte[1], 0, 1), "the stack closed it");
    }

    @Test
    void temporary_badOptionText_throwsAndLeavesNoImage() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PmemStack.temporary(dir, SIZE).mkfs().mountOptions("no_such_option").build());
        assertTrue(e.getMessage().contains("no_such_option"), e.getMessage());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "the temporary image was deleted");
        }
    }

    @Test
    void temporary_devdaxMkfs_failsWithoutLeavingAnImage() throws IOException {
        assertThrows(IllegalStateException.class, () -> PmemStack.temporary(dir, SIZE)
                .config(NamespaceConfig.of(SIZE, NamespaceMode.DEVDAX)).mkfs().build());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void clearErrorsOffline_freeSpaceError_clearedAndMountedAgain() throws Exception {
        try (PmemStack s = PmemStack.temporary(dir, SIZE).mkfs().build()) {
            Namespace ns = s.namespace();
            long off = ns.dataOffset() + ns.dataSize() - 4096; // the last block: free space on a fresh fs
            ns.injectError(off, 512, true);
            assertFalse(ns.badblocks().isEmpty());
            assertEquals(512, s.clearErrorsOffline());
            assertTrue(s.mounted());
            assertTrue(ns.badblocks().isEmpty());
            assertEquals(FsckReport.CLEAN, s.fsck(false).exitCode());
        }
    }

    @Test
    void unmounted_fsckRepairThenMount() throws Exception {
        try (PmemStack s = PmemStack.temporary(dir, SIZE).mkfs().unmounted().build()) {
            assertFalse(s.mounted());
            assertThrows(IllegalStateException.class, s::sys);
            assertEquals(FsckReport.CLEAN, s.fsck(true).exitCode());
            s.mount();
            assertThrows(IllegalStateException.class, () -> s.fsck(true), "no repair under a mounted filesystem");
            assertEquals(MountOptions.DEFAULTS, s.options());
        }
    }

    @Test
    void credentials_sysIsThatUsersProcess() throws Exception {
        try (PmemStack s = PmemStack.temporary(dir, SIZE).mkfs().credentials(Credentials.user(1000, 1000)).build()) {
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> s.sys().open("/f", Syscalls.O_RDWR | Syscalls.O_CREAT, 0644));
            assertEquals(Errno.EACCES, e.errno(), "an ordinary user cannot create in root's 0755 root directory");
            s.process(Credentials.ROOT).mkdir("/d", 0755);
        }
    }

    @Test
    void close_isIdempotentAndTheStackRefusesUseAfterIt() throws Exception {
        PmemStack s = PmemStack.temporary(dir, SIZE).mkfs().build();
        s.close();
        s.close();
        assertThrows(IllegalStateException.class, s::vfs);
        assertThrows(IllegalStateException.class, s::mount);
    }
}
