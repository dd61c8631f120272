package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.testing.Gen;
import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fsx (ltp/fsx.c) in miniature: random writes, reads, truncates, preallocations, punches, zero
 * ranges, collapses and inserts on one file against an in-memory model, with the same skip rules as
 * fsx, under both ZERO_RANGE behaviours; the file must always equal the model, across remounts, and
 * fsck must stay clean.
 */
class FsxTest {
    static final int B = 4096;
    static final int MAX = 48 * B;

    @TempDir
    Path dir;

    @Test
    void randomOps_fileMatchesModel() throws Exception {
        Gen.forAll("fsx", 6, g -> {
            try {
                Path d = Files.createTempDirectory(dir, "fsx");
                MountOptions o = g.chance(0.5) ? MountOptions.DEFAULTS
                        : new MountOptions(true, MountOptions.ZeroRange.UNWRITTEN, true);
                try (FsFixture f = new FsFixture(d, 16 * TestNamespaces.MIB, o)) {
                    run(g, f);
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private void run(Gen g, FsFixture f) throws ErrnoException {
        long ino = f.create("fsx");
        byte[] model = new byte[0];
        for (int step = 0; step < 250; step++) {
            int op = g.intBetween(0, 8);
            String what;
            switch (op) {
                case 0, 1 -> {
                    int off = g.intBetween(0, MAX - 1);
                    int len = g.intBetween(1, Math.min(3 * B, MAX - off));
                    byte[] data = g.bytes(len);
                    assertEquals(len, f.fs.write(ino, off, data, 0, len));
                    model = Arrays.copyOf(model, Math.max(model.length, off + len));
                    System.arraycopy(data, 0, model, off, len);
                    what = "write " + off + "+" + len;
                }
                case 2 -> {
                    int size = g.intBetween(0, MAX);
                    f.fs.truncate(ino, size);
                    model = Arrays.copyOf(model, size);
                    what = "truncate " + size;
                }
                case 3 -> {
                    int off = g.intBetween(0, MAX - 1);
                    int len = g.intBetween(1, MAX - off);
                    boolean keep = g.chance(0.5);
                    f.fs.fallocate(ino, FallocateMode.of(keep ? Falloc.FALLOC_FL_KEEP_SIZE : 0), off, len);
                    if (!keep && off + len > model.length) {
                        model = Arrays.copyOf(model, off + len);
                    }
                    what = "falloc " + off + "+" + len + (keep ? " keep" : "");
                }
                case 4 -> {
                    if (model.length == 0) {
                        continue;
                    }
                    int off = g.intBetween(0, model.length - 1);
                    int len = g.intBetween(1, 4 * B);
                    f.fs.fallocate(ino, FallocateMode.of(Falloc.FALLOC_FL_PUNCH_HOLE | Falloc.FALLOC_FL_KEEP_SIZE), off, len);
                    Arrays.fill(model, off, Math.min(model.length, off + len), (byte) 0);
                    what = "punch " + off + "+" + len;
                }
                case 5 -> {
                    int off = g.intBetween(0, MAX - 1);
                    int len = g.intBetween(1, Math.min(4 * B, MAX - off));
                    boolean keep = g.chance(0.5);
                    f.fs.fallocate(ino, FallocateMode.of(Falloc.FALLOC_FL_ZERO_RANGE | (keep ? Falloc.FALLOC_FL_KEEP_SIZE : 0)), off, len);
                    if (!keep && off + len > model.length) {
                        model = Arrays.copyOf(model, off + len);
                    }
                    if (off < model.length) {
                        Arrays.fill(model, off, Math.min(model.length, off + len), (byte) 0);
                    }
                    what = "zero " + off + "+" + len + (keep ? " keep" : "");
                }
                case 6 -> {
                    int blocks = model.length / B;
                    if (blocks < 2) {
                        continue;
                    }
                    int off = g.intBetween(0, blocks - 2) * B;
                    int len = g.intBetween(1, Math.max(1, blocks - off / B - 1)) * B;
                    if (off + len >= model.length) {
                        continue; // fsx skips collapses reaching EOF
                    }
                    f.fs.fallocate(ino, FallocateMode.of(Falloc.FALLOC_FL_COLLAPSE_RANGE), off, len);
                    byte[] next = new byte[model.length - len];
                    System.arraycopy(model, 0, next, 0, off);
                    System.arraycopy(model, off + len, next, off, model.length - off - len);
                    model = next;
                    what = "collapse " + off + "+" + len;
                }
                case 7 -> {
                    if (model.length == 0) {
                        continue;
                    }
                    int off = g.intBetween(0, (model.length - 1) / B) * B;
                    int len = g.intBetween(1, 3) * B;
                    if (model.length + len > MAX) {
                        continue;
                    }
                    f.fs.fallocate(ino, FallocateMode.of(Falloc.FALLOC_FL_INSERT_RANGE), off, len);
                    byte[] next = new byte[model.length + len];
                    System.arraycopy(model, 0, next, 0, off);
                    System.arraycopy(model, off, next, off + len, model.length - off);
                    model = next;
                    what = "insert " + off + "+" + len;
                }
                default -> {
                    f.remount();
                    what = "remount";
                }
            }
            assertEquals(model.length, f.fs.getattr(ino).size(), "size after " + what + " (step " + step + ")");
            byte[] back = f.readAll(ino);
            assertArrayEquals(model, back, "content after " + what + " (step " + step + ")");
        }
        f.fs.close();
        FsckReport r = Fsck.check(f.dax, f.bdev, false);
        assertEquals(FsckReport.CLEAN, r.exitCode(), r.findings().toString());
        f.fs = PmemFs.mount(f.dax, f.bdev, null);
    }

    /**
     * The same against a file of thousands of extents (the extent list in leaf and index blocks):
     * sampled blocks checked after every operation, everything at the end and after a remount.
     */
    @Test
    void randomOps_thousandsOfExtents_fileMatchesModel() throws Exception {
        Gen.forAll("fsx-wide", 2, g -> {
            try {
                Path d = Files.createTempDirectory(dir, "fsxw");
                try (FsFixture f = new FsFixture(d, 64 * TestNamespaces.MIB, MountOptions.DEFAULTS)) {
                    runWide(g, f);
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private void runWide(Gen g, FsFixture f) throws ErrnoException {
        int blocks = 7000;
        long ino = f.create("wide");
        byte[] model = new byte[blocks * B];
        byte[] blk = new byte[B];
        for (int i = 0; i < blocks; i += 2) {
            blk[0] = (byte) i;
            blk[1] = (byte) (i >> 8);
            blk[2] = (byte) g.intBetween(1, 255);
            f.fs.write(ino, (long) i * B, blk, 0, B);
            System.arraycopy(blk, 0, model, i * B, B);
        }
        f.fs.truncate(ino, model.length);
        org.junit.jupiter.api.Assertions.assertTrue(
                ((MountedFs) f.fs).volume().inodes.cached(ino).indexBlocks.length > 0, "extent list uses index blocks");
        for (int step = 0; step < 120; step++) {
            int nb = model.length / B;
            int op = g.intBetween(0, 4);
            String what;
            if (op == 0) {
                int at = g.intBetween(0, nb - 1);
                byte[] data = g.bytes(B);
                f.fs.write(ino, (long) at * B, data, 0, B);
                System.arraycopy(data, 0, model, at * B, B);
                what = "write block " + at;
            } else if (op == 1) {
                int at = g.intBetween(0, nb - 1);
                int len = g.intBetween(1, 3 * B);
                f.fs.fallocate(ino, FallocateMode.of(Falloc.FALLOC_FL_PUNCH_HOLE | Falloc.FALLOC_FL_KEEP_SIZE), (long) at * B + 7, len);
                Arrays.fill(model, at * B + 7, Math.min(model.length, at * B + 7 + len), (byte) 0);
                what = "punch at block " + at;
            } else if (op == 2 && nb > 100) {
                int at = g.intBetween(0, nb - 50);
                int len = g.intBetween(1, 20) * B;
                f.fs.fallocate(ino, FallocateMode.of(Falloc.FALLOC_FL_COLLAPSE_RANGE), (long) at * B, len);
                byte[] next = new byte[model.length - len];
                System.arraycopy(model, 0, next, 0, at * B);
                System.arraycopy(model, at * B + len, next, at * B, model.length - at * B - len);
                model = next;
                what = "collapse at block " + at;
            } else if (op == 3) {
                int at = g.intBetween(0, nb - 1);
                int len = g.intBetween(1, 20) * B;
                f.fs.fallocate(ino, FallocateMode.of(Falloc.FALLOC_FL_INSERT_RANGE), (long) at * B, len);
                byte[] next = new byte[model.length + len];
                System.arraycopy(model, 0, next, 0, at * B);
                System.arraycopy(model, at * B, next, at * B + len, model.length - at * B);
                model = next;
                what = "insert at block " + at;
            } else {
                int at = g.intBetween(0, nb - 1);
                f.fs.fallocate(ino, FallocateMode.of(Falloc.FALLOC_FL_ZERO_RANGE), (long) at * B, 2 * B);
                model = Arrays.copyOf(model, Math.max(model.length, at * B + 2 * B));
                Arrays.fill(model, at * B, at * B + 2 * B, (byte) 0);
                what = "zero at block " + at;
            }
            assertEquals(model.length, f.fs.getattr(ino).size(), "size after " + what);
            byte[] back = new byte[B];
            for (int k = 0; k < 20; k++) {
                int at = g.intBetween(0, model.length / B - 1);
                f.fs.read(ino, (long) at * B, back, 0, B);
                assertArrayEquals(Arrays.copyOfRange(model, at * B, at * B + B), back,
                        "block " + at + " after " + what + " (step " + step + ")");
            }
        }
        assertArrayEquals(model, f.readAll(ino));
        f.remount();
        assertArrayEquals(model, f.readAll(ino));
        f.fs.close();
        FsckReport r = Fsck.check(f.dax, f.bdev, false);
        assertEquals(FsckReport.CLEAN, r.exitCode(), r.findings().toString());
        f.fs = PmemFs.mount(f.dax, f.bdev, null);
    }
}
