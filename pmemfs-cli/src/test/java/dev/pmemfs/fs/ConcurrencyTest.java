package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent syscalls on different files: every file ends with exactly its own data; fsck is clean. */
class ConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void parallelCreateWriteTruncateUnlink_differentFiles_consistent() throws Exception {
        try (FsFixture f = new FsFixture(dir, 128 * TestNamespaces.MIB, MountOptions.DEFAULTS)) {
            int threads = 4;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    futures.add(pool.submit(() -> {
                        long d = f.fs.create(f.fs.rootIno(), "t" + id, FileType.DIRECTORY, 0755, 0, 0);
                        for (int i = 0; i < 60; i++) {
                            long ino = f.fs.create(d, "f" + i, FileType.REGULAR, 0644, 0, 0);
                            f.fs.open(ino);
                            byte[] data = FsFixture.pattern(3000 + i * 500, id * 1000 + i);
                            f.fs.write(ino, 0, data, 0, data.length);
                            f.fs.fallocate(ino, FallocateMode.of(Falloc.FALLOC_FL_PUNCH_HOLE | Falloc.FALLOC_FL_KEEP_SIZE), 4096, 4096);
                            f.fs.truncate(ino, data.length / 2);
                            byte[] back = new byte[data.length / 2];
                            f.fs.read(ino, 0, back, 0, back.length);
                            for (int k = 0; k < back.length; k++) {
                                byte want = k >= 4096 && k < 8192 ? 0 : data[k];
                                if (back[k] != want) {
                                    throw new AssertionError("thread " + id + " file " + i + " byte " + k);
                                }
                            }
                            f.fs.release(ino);
                            if (i % 3 == 0) {
                                f.fs.unlink(d, "f" + i);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> fu : futures) {
                    fu.get();
                }
            } finally {
                pool.shutdown();
            }
            f.remount();
            for (int t = 0; t < threads; t++) {
                long d = f.fs.lookup(f.fs.rootIno(), "t" + t);
                assertEquals(40, f.fs.readdir(d).size());
                long ino = f.fs.lookup(d, "f59");
                byte[] data = FsFixture.pattern(3000 + 59 * 500, t * 1000 + 59);
                byte[] expect = java.util.Arrays.copyOf(data, data.length / 2);
                java.util.Arrays.fill(expect, 4096, 8192, (byte) 0);
                assertArrayEquals(expect, f.readAll(ino));
            }
            f.fs.close();
            FsckReport r = Fsck.check(f.dax, f.bdev, false);
            assertEquals(FsckReport.CLEAN, r.exitCode(), r.findings().toString());
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
        }
    }

    @Test
    void truncateByPathRacingUnlink_neverFreesUnderTheOperation() throws Exception {
        try (FsFixture f = new FsFixture(dir, 64 * TestNamespaces.MIB, MountOptions.DEFAULTS)) {
            long root = f.fs.rootIno();
            java.util.concurrent.atomic.AtomicLong current = new java.util.concurrent.atomic.AtomicLong(f.create("x"));
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<?> truncater = pool.submit(() -> {
                    byte[] data = new byte[3 * 4096];
                    while (!stop.get()) {
                        long ino = current.get();
                        try {
                            f.fs.write(ino, 0, data, 0, data.length);
                            f.fs.truncate(ino, 5000);
                            f.fs.fallocate(ino, FallocateMode.of(0), 0, 5 * 4096);
                        } catch (dev.pmemfs.errno.ErrnoException e) {
                            if (e.errno() != dev.pmemfs.errno.Errno.ENOENT) {
                                throw e;
                            }
                        }
                    }
                    return null;
                });
                for (int i = 0; i < 600; i++) {
                    f.fs.unlink(root, "x");
                    current.set(f.create("x"));
                }
                stop.set(true);
                truncater.get();
            } finally {
                pool.shutdown();
            }
            f.fs.close();
            FsckReport r = Fsck.check(f.dax, f.bdev, false);
            assertEquals(FsckReport.CLEAN, r.exitCode(), r.findings().toString());
            f.fs = PmemFs.mount(f.dax, f.bdev, null);
            assertEquals(1, f.fs.readdir(root).size());
        }
    }
}
