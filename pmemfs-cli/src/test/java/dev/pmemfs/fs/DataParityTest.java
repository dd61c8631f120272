package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.pmem.Pmem;
import dev.pmemfs.testing.Gen;
import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data parity ({@code mkfs -o data_parity=N}): what it costs in space, that every path that stores into
 * the data area keeps it (fsck's parity pass proves it after seeded random workloads), and that fsck
 * notices parity that does not match and {@code --repair} recomputes it.
 */
class DataParityTest {
    @TempDir
    Path dir;

    @Test
    void mkfs_dataParity8_costsAtMostAnEighthOfTheDevice() throws Exception {
        try (Namespace ns = TestNamespaces.fsdax(dir, 64 * TestNamespaces.MIB)) {
            Pmem pmem = Pmem.attach(ns);
            String out = PmemFs.mkfs(pmem.dax(), pmem.block(), MkfsOptions.DEFAULTS.withDataParity(8));
            assertTrue(out.contains("data-parity=8"), out);
            Superblock sb = PmemFs.readSuperblock(pmem.dax());
            assertEquals(8, sb.dataParity());
            ParityLayout pl = ParityLayout.of(sb.geometry(), 8);
            long pages = pmem.dax().nrPages();
            assertTrue(pl.end() <= pages, "parity region inside the device");
            assertTrue(pages - pl.end() < 8, "the device is used up to a few blocks: " + (pages - pl.end()));
            double cost = (double) pl.regionBlocks() / pages;
            assertTrue(cost <= 0.125, "parity costs " + cost);
            assertEquals(Math.ceilDiv(sb.geometry().totalBlocks() - sb.geometry().dataStart(), 8), pl.stripes());
            assertEquals(FsckReport.CLEAN, Fsck.check(pmem.dax(), pmem.block(), false).exitCode());
        }
    }

    @Test
    void randomWorkloads_keepParity_fsckVerifiesEveryStripe() {
        Gen.forAll("data-parity-workload", 3, g -> {
            Path caseDir = dir.resolve("c" + g.seed());
            try (Namespace ns = TestNamespaces.fsdax(java.nio.file.Files.createDirectories(caseDir),
                    16 * TestNamespaces.MIB)) {
                Pmem pmem = Pmem.attach(ns);
                int n = g.oneOf(2, 3, 8);
                PmemFs.mkfs(pmem.dax(), pmem.block(), MkfsOptions.DEFAULTS.withDataParity(n));
                FileSystem fs = PmemFs.mount(pmem.dax(), pmem.block(), MountOptions.DEFAULTS);
                Map<Long, byte[]> model = new HashMap<>();
                workload(g, fs, model, 120);
                fs.close();
                FsckReport r = Fsck.check(pmem.dax(), pmem.block(), false);
                assertEquals(FsckReport.CLEAN, r.exitCode(), g.describe() + " N=" + n + ": " + r.findings());
                fs = PmemFs.mount(pmem.dax(), pmem.block(), null);
                for (var e : model.entrySet()) {
                    byte[] b = new byte[e.getValue().length];
                    assertEquals(b.length, fs.read(e.getKey(), 0, b, 0, b.length));
                    assertTrue(Arrays.equals(e.getValue(), b), g.describe() + ": content of inode " + e.getKey());
                }
                fs.close();
            } catch (Exception e) {
                throw new AssertionError(g.describe() + ": " + e, e);
            }
        });
    }

    @Test
    void fsck_parityThatDoesNotMatch_reportedAndRecomputed() throws Exception {
        try (Namespace ns = TestNamespaces.fsdax(dir, 16 * TestNamespaces.MIB)) {
            Pmem pmem = Pmem.attach(ns);
            PmemFs.mkfs(pmem.dax(), pmem.block(), MkfsOptions.DEFAULTS.withDataParity(8));
            FileSystem fs = PmemFs.mount(pmem.dax(), pmem.block(), null);
            long ino = fs.create(fs.rootIno(), "f", FileType.REGULAR, 0644, 0, 0);
            byte[] data = FsFixture.pattern(5 * 4096, 7);
            fs.write(ino, 0, data, 0, data.length);
            long dev = fs.extents(ino, 0, 4096).get(0).physical() / 4096;
            fs.close();
            // A store behind the filesystem's back (the raw dax device, as a stray DAX store would).
            pmem.dax().directAccess(dev, 1, DaxAccessMode.ACCESS).write(100, new byte[] {1, 2, 3}, 0, 3);
            FsckReport r = Fsck.check(pmem.dax(), pmem.block(), false);
            assertEquals(FsckReport.UNCORRECTED, r.exitCode(), r.findings().toString());
            assertTrue(r.findings().stream().anyMatch(f -> f.contains("does not match its data")), r.findings().toString());
            FsckReport fixed = Fsck.check(pmem.dax(), pmem.block(), true);
            assertEquals(FsckReport.CORRECTED, fixed.exitCode(), fixed.findings().toString());
            assertEquals(FsckReport.CLEAN, Fsck.check(pmem.dax(), pmem.block(), false).exitCode());
        }
    }

    /**
     * Seeded operations on a few files, mirrored in {@code model} (inode → content): writes anywhere
     * (overwrites, appends, into holes), truncates, punches, zero ranges, zeroinit, unlinks, directories
     * (whose blocks share the data area and its stripes), stores through a mapping, fsyncs.
     */
    static void workload(Gen g, FileSystem fs, Map<Long, byte[]> model, int steps) throws ErrnoException {
        long dir = fs.create(fs.rootIno(), "d", FileType.DIRECTORY, 0755, 0, 0);
        int names = 0;
        for (int i = 0; i < steps; i++) {
            Long[] inos = model.keySet().toArray(new Long[0]);
            int op = inos.length == 0 ? 0 : g.intBetween(0, 9);
            long ino = inos.length == 0 ? 0 : inos[g.intBetween(0, inos.length - 1)];
            byte[] cur = model.get(ino);
            switch (op) {
                case 0 -> {
                    long f = fs.create(g.chance(0.5) ? dir : fs.rootIno(), "f" + names++, FileType.REGULAR, 0644, 0, 0);
                    model.put(f, new byte[0]);
                }
                case 1, 2, 3 -> {
                    int off = g.intBetween(0, cur.length + 3 * 4096);
                    int len = g.intBetween(1, g.chance(0.2) ? 40 * 4096 : 2 * 4096);
                    byte[] data = g.bytes(len);
                    assertEquals(len, fs.write(ino, off, data, 0, len));
                    byte[] next = Arrays.copyOf(cur, Math.max(cur.length, off + len));
                    System.arraycopy(data, 0, next, off, len);
                    model.put(ino, next);
                }
                case 4 -> {
                    int size = g.intBetween(0, cur.length + 4096);
                    fs.truncate(ino, size);
                    model.put(ino, Arrays.copyOf(cur, size));
                }
                case 5 -> {
                    if (cur.length == 0) {
                        continue;
                    }
                    int off = g.intBetween(0, cur.length - 1);
                    int len = g.intBetween(1, 3 * 4096);
                    int mode = g.oneOf(Falloc.FALLOC_FL_PUNCH_HOLE | Falloc.FALLOC_FL_KEEP_SIZE,
                            Falloc.FALLOC_FL_ZERO_RANGE | Falloc.FALLOC_FL_KEEP_SIZE);
                    fs.fallocate(ino, FallocateMode.of(mode), off, len);
                    byte[] next = cur.clone();
                    Arrays.fill(next, off, Math.min(next.length, off + len), (byte) 0);
                    model.put(ino, next);
                }
                case 6 -> {
                    if (cur.length < 4096) {
                        continue;
                    }
                    // Whole blocks of the file reset in place (the zeroinit path, which clears media errors).
                    int blocks = cur.length / 4096;
                    int first = g.intBetween(0, blocks - 1);
                    int count = g.intBetween(1, blocks - first);
                    fs.fallocate(ino, FallocateMode.of(Falloc.FALLOC_FL_ZEROINIT_RANGE | Falloc.FALLOC_FL_KEEP_SIZE),
                            first * 4096L, count * 4096L);
                    byte[] next = cur.clone();
                    Arrays.fill(next, first * 4096, (first + count) * 4096, (byte) 0);
                    model.put(ino, next);
                }
                case 7 -> {
                    if (cur.length < 8) {
                        continue;
                    }
                    // A store through a shared mapping: parity catches up at the next clean point.
                    int off = g.intBetween(0, cur.length / 8 - 1) * 8;
                    var w = fs.fault(ino, off / 4096, true);
                    long v = g.between(0, Long.MAX_VALUE - 1);
                    w.storeLong(off % 4096, v);
                    w.flush(off % 4096, 8);
                    byte[] next = cur.clone();
                    for (int k = 0; k < 8; k++) {
                        next[off + k] = (byte) (v >>> (8 * k));
                    }
                    model.put(ino, next);
                }
                case 8 -> fs.fsync(ino);
                default -> {
                    if (g.chance(0.3)) {
                        for (var e : fs.readdir(dir)) {
                            if (e.ino() == ino) {
                                fs.unlink(dir, e.name());
                                model.remove(ino);
                                break;
                            }
                        }
                        for (var e : fs.readdir(fs.rootIno())) {
                            if (e.ino() == ino) {
                                fs.unlink(fs.rootIno(), e.name());
                                model.remove(ino);
                                break;
                            }
                        }
                    }
                }
            }
        }
    }
}
