package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountedFsTest {
    @TempDir
    Path dir;

    @Test
    void createWriteRemount_dataAndNamesPersist() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            long d = f.fs.create(f.fs.rootIno(), "dir", FileType.DIRECTORY, 0755, 1, 2);
            long a = f.fs.create(d, "a", FileType.REGULAR, 0600, 1, 2);
            byte[] data = FsFixture.pattern(3 * 4096 + 100, 5);
            assertEquals(data.length, f.fs.write(a, 10, data, 0, data.length));
            f.remount();
            assertEquals(d, f.fs.lookup(f.fs.rootIno(), "dir"));
            assertEquals(a, f.fs.lookup(d, "a"));
            InodeAttr at = f.fs.getattr(a);
            assertEquals(10 + data.length, at.size());
            assertEquals(0600, at.mode());
            assertEquals(1, at.uid());
            byte[] back = new byte[data.length];
            assertEquals(data.length, f.fs.read(a, 10, back, 0, back.length));
            assertArrayEquals(data, back);
            byte[] head = new byte[10];
            assertEquals(10, f.fs.read(a, 0, head, 0, 10));
            assertArrayEquals(new byte[10], head);
            assertEquals(List.of(new DirEntry("dir", d, FileType.DIRECTORY)), f.fs.readdir(f.fs.rootIno()));
            assertEquals("/dir/a", f.fs.path(a));
            assertEquals(3, f.fs.getattr(f.fs.rootIno()).nlink());
        }
    }

    @Test
    void create_existingName_throwsEexist() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            f.create("x");
            ErrnoException e = assertThrows(ErrnoException.class, () -> f.create("x"));
            assertEquals(Errno.EEXIST, e.errno());
        }
    }

    @Test
    void unlink_freesBlocksAndName() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            long a = f.create("a"); // the root directory's first block is allocated here
            long free0 = f.fs.statfs().freeBlocks();
            byte[] data = FsFixture.pattern(40000, 1);
            f.fs.write(a, 0, data, 0, data.length);
            assertTrue(f.fs.statfs().freeBlocks() < free0);
            f.fs.unlink(f.fs.rootIno(), "a");
            assertEquals(free0, f.fs.statfs().freeBlocks());
            assertEquals(Errno.ENOENT, assertThrows(ErrnoException.class, () -> f.fs.lookup(f.fs.rootIno(), "a")).errno());
            f.remount();
            assertEquals(free0, f.fs.statfs().freeBlocks());
            assertEquals(List.of(), f.fs.readdir(f.fs.rootIno()));
        }
    }

    @Test
    void truncate_shrinkThenGrow_tailReadsZero() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            long a = f.create("a");
            byte[] data = FsFixture.pattern(3 * 4096, 9);
            f.fs.write(a, 0, data, 0, data.length);
            f.fs.truncate(a, 5000);
            f.fs.truncate(a, 3 * 4096);
            byte[] back = f.readAll(a);
            for (int i = 0; i < back.length; i++) {
                assertEquals(i < 5000 ? data[i] : 0, back[i], "byte " + i);
            }
            assertEquals(2 * 8, f.fs.getattr(a).blocks());
        }
    }

    @Test
    void manyFiles_directorySpansBlocks_lookupAfterRemount() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            long d = f.fs.create(f.fs.rootIno(), "d", FileType.DIRECTORY, 0755, 0, 0);
            for (int i = 0; i < 600; i++) {
                f.fs.create(d, "file-with-a-longish-name-" + i, FileType.REGULAR, 0644, 0, 0);
            }
            for (int i = 0; i < 600; i += 2) {
                f.fs.unlink(d, "file-with-a-longish-name-" + i);
            }
            f.remount();
            assertEquals(300, f.fs.readdir(d).size());
            f.fs.lookup(d, "file-with-a-longish-name-599");
            assertEquals(Errno.ENOTEMPTY, assertThrows(ErrnoException.class, () -> f.fs.rmdir(f.fs.rootIno(), "d")).errno());
        }
    }

    @Test
    void rename_replacesTargetAndMovesDirectory() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            long root = f.fs.rootIno();
            long a = f.create("a");
            long b = f.create("b");
            long d1 = f.fs.create(root, "d1", FileType.DIRECTORY, 0755, 0, 0);
            long d2 = f.fs.create(d1, "d2", FileType.DIRECTORY, 0755, 0, 0);
            f.fs.rename(root, "a", root, "b");
            assertEquals(a, f.fs.lookup(root, "b"));
            assertThrows(ErrnoException.class, () -> f.fs.getattr(b));
            assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> f.fs.rename(root, "d1", d2, "x")).errno());
            f.fs.rename(d1, "d2", root, "d2");
            assertEquals("/d2", f.fs.path(d2));
            assertEquals(2, f.fs.getattr(d1).nlink());
            f.remount();
            assertEquals(4, f.fs.getattr(root).nlink());
        }
    }

    @Test
    void setattr_modeAndOwner_persist() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            long a = f.create("a");
            f.fs.setattr(a, SetAttr.mode(0700));
            f.fs.setattr(a, SetAttr.owner(7, 8));
            f.remount();
            InodeAttr at = f.fs.getattr(a);
            assertEquals(0700, at.mode());
            assertEquals(7, at.uid());
            assertEquals(8, at.gid());
        }
    }

    @Test
    void mount_afterCleanUnmount_replayIsClean() throws Exception {
        try (FsFixture f = new FsFixture(dir)) {
            f.create("a");
            f.remount();
            assertInstanceOf(ReplayResult.Clean.class, PmemFs.journalReplay(f.fs));
        }
    }
}
