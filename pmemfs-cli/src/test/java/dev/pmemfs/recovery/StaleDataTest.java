package dev.pmemfs.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.fs.Falloc;
import dev.pmemfs.testing.MountedVfs;
import dev.pmemfs.testing.TestNamespaces;
import dev.pmemfs.vfs.Fiemap;
import dev.pmemfs.vfs.Syscalls;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unprivileged user who is handed blocks another file freed never sees that file's bytes: new
 * blocks are zeroed through the block path when written, and read as zeros while unwritten.
 */
class StaleDataTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void reallocatedBlocks_neverShowAnotherFilesData() throws Exception {
        try (MountedVfs m = new MountedVfs(dir, 64 * TestNamespaces.MIB, MountedVfs.LINUX)) {
            Syscalls root = m.root();
            root.chmod("/", 0777);
            int secret = root.open("/secret", Syscalls.O_RDWR | Syscalls.O_CREAT, 0600);
            byte[] s = new byte[8 * MIB];
            Arrays.fill(s, (byte) 0x53);
            root.pwrite(secret, s, 0, s.length, 0);
            root.fsync(secret);
            Set<Long> secretBlocks = blocks(root, secret);
            root.close(secret);
            root.unlink("/secret");

            Syscalls user = m.user(1000, 1000);
            int fd = user.open("/mine", Syscalls.O_RDWR | Syscalls.O_CREAT, 0600);
            // Take nearly every free block (leaving room for the extent list), so the allocator must hand out
            // the secret's old ones.
            int size = (int) ((m.fs().statfs().freeBlocks() - 512) * 4096);
            user.fallocate(fd, Falloc.FALLOC_FL_KEEP_SIZE, 0, size);
            user.ftruncate(fd, size);
            for (long off = 0; off < size; off += 64 * 1024) {
                user.pwrite(fd, new byte[] {1}, 0, 1, off + 100);
            }
            Set<Long> mine = blocks(user, fd);
            mine.retainAll(secretBlocks);
            assertTrue(!mine.isEmpty(), "the test needs the freed blocks to be handed out again");
            byte[] back = new byte[size];
            assertEquals(size, user.pread(fd, back, 0, back.length, 0));
            for (int i = 0; i < back.length; i++) {
                assertTrue(back[i] == 0 || (back[i] == 1 && i % (64 * 1024) == 100),
                        "stale byte 0x" + Integer.toHexString(back[i] & 0xff) + " at " + i);
            }
            user.close(fd);
        }
    }

    private static Set<Long> blocks(Syscalls sys, int fd) throws Exception {
        Set<Long> out = new HashSet<>();
        List<Fiemap.Extent> map = sys.fiemap(fd, 0, Long.MAX_VALUE, Fiemap.FIEMAP_FLAG_SYNC, 1 << 16).extents();
        for (Fiemap.Extent e : map) {
            for (long b = e.physical() / 4096; b < (e.physical() + e.length()) / 4096; b++) {
                out.add(b);
            }
        }
        return out;
    }
}
