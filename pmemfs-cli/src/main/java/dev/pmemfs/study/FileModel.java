package dev.pmemfs.study;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Syscalls;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What one workload file should hold, block by block, so the study can tell good bytes a recovery
 * destroyed from bytes the poison had already taken. A block holds a seeded pattern of some version
 * (every write makes a new version), zeros, or — after a recovery left it with other content (clear at
 * unmount) — a snapshot of what it read back. Files are written in whole 4 KiB blocks.
 */
final class FileModel {
    static final int BLOCK = 4096;
    private static final int ZERO = -1;
    private static final int SNAPSHOT = -2;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    final String path;
    private final long key;
    private int[] versions = new int[16];
    private long blocks;
    private final Map<Long, byte[]> snapshots = new HashMap<>();

    FileModel(String path, long key) {
        this.path = path;
        this.key = key;
    }

    long sizeBytes() {
        return blocks * BLOCK;
    }

    long blocks() {
        return blocks;
    }

    /** Writes {@code count} blocks from {@code first} with new content (extending the file if needed). */
    void write(Syscalls sys, int fd, long first, int count, byte[] scratch) throws ErrnoException {
        if (first + count > blocks) {
            grow(first + count);
        }
        int perCall = scratch.length / BLOCK;
        for (long b = first; b < first + count; b += perCall) {
            int n = (int) Math.min(perCall, first + count - b);
            for (int i = 0; i < n; i++) {
                int v = versions[(int) (b + i)];
                int next = v < 0 ? 1 : v + 1;
                versions[(int) (b + i)] = next;
                snapshots.remove(b + i);
                pattern(key, b + i, next, scratch, i * BLOCK);
            }
            int len = n * BLOCK;
            long pos = b * BLOCK;
            int done = 0;
            while (done < len) {
                int w = sys.pwrite(fd, scratch, done, len - done, pos + done);
                if (w <= 0) {
                    throw new ErrnoException(Errno.EIO, "pwrite", path + ": no progress at offset " + (pos + done));
                }
                done += w;
            }
        }
    }

    private void grow(long newBlocks) {
        if (newBlocks > versions.length) {
            versions = Arrays.copyOf(versions, (int) Math.max(newBlocks, versions.length * 2L));
        }
        blocks = newBlocks;
    }

    /** The expected content of {@code block} into {@code dst} (4 KiB). */
    void expected(long block, byte[] dst) {
        int v = versions[(int) block];
        if (v == ZERO) {
            Arrays.fill(dst, 0, BLOCK, (byte) 0);
        } else if (v == SNAPSHOT) {
            System.arraycopy(snapshots.get(block), 0, dst, 0, BLOCK);
        } else {
            pattern(key, block, v, dst, 0);
        }
    }

    /** After a recovery: the block now holds {@code content} (zeros, or whatever the repair left). */
    void settle(long block, byte[] content) {
        boolean zero = true;
        for (int i = 0; i < BLOCK && zero; i++) {
            zero = content[i] == 0;
        }
        if (zero) {
            versions[(int) block] = ZERO;
            snapshots.remove(block);
        } else {
            versions[(int) block] = SNAPSHOT;
            snapshots.put(block, Arrays.copyOf(content, BLOCK));
        }
    }

    /**
     * A 4 KiB block of seeded pseudo-random bytes, a different one for every (file, block, version). No
     * byte is zero, so a recovery that zeroes a good byte always shows.
     */
    static void pattern(long key, long block, int version, byte[] dst, int off) {
        long s = key * 0x9E3779B97F4A7C15L + block * 0xC2B2AE3D27D4EB4FL + version * 0x165667B19E3779F9L;
        for (int i = 0; i < BLOCK; i += 8) {
            s += 0x9E3779B97F4A7C15L;
            long z = s;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            LONG_LE.set(dst, off + i, (z ^ (z >>> 31)) | 0x0101010101010101L);
        }
    }
}
