package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceConfig;
import dev.pmemfs.media.TrackingPersistence;
import dev.pmemfs.pmem.Pmem;
import dev.pmemfs.testing.Gen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power cuts at random fences of a seeded workload (creates, writes, fsyncs, fallocates, truncates,
 * renames, unlinks): after each cut, mount must succeed, fsck must be clean, everything before the
 * operation in flight must be present, and that operation must be all-or-nothing (bytes written in
 * place may mix old and new, as on any Linux filesystem; sizes and names may not).
 */
class CrashTest {
    static final int BLOCK = 4096;

    @TempDir
    Path dir;

    /** The files of the one test directory: name → content. */
    record State(TreeMap<String, byte[]> files) {
        State copy() {
            TreeMap<String, byte[]> m = new TreeMap<>();
            files.forEach((k, v) -> m.put(k, v.clone()));
            return new State(m);
        }
    }

    /** One operation: the fences around it and the states before and after. */
    record Step(String what, int fenceBefore, int fenceAfter, State pre, State post, boolean zeroesData) {}

    @Test
    void powerCut_atRandomFences_mountFsckAndAtomicity() throws Exception {
        Gen.forAll("crash", 3, g -> {
            try {
                runCase(g, false);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void powerCut_atEveryFence_mountFsckAndAtomicity() throws Exception {
        Gen.forAll("crash-every-fence", 1, g -> {
            try {
                runCase(g, true);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    /**
     * With metadata replicas (meta_replicas=2): a cut at every fence, then replay, leaves both copies of
     * every replicated block equal (fsck's replica pass compares them) besides all the above.
     */
    @Test
    void powerCut_atEveryFence_withMetadataReplicas_bothCopiesConsistent() throws Exception {
        Gen.forAll("crash-every-fence-replicas", 1, g -> {
            try {
                runCase(g, true, 0, 45, 2);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    /**
     * The same with data parity (4 blocks per stripe, so stripes are shared between files): the fsck of
     * every crash image checks that each stripe whose intent bit is clear has parity equal to its data,
     * and the fsck after mount that every stripe does (mount recomputes the marked ones).
     */
    @Test
    void powerCut_atEveryFence_withDataParity_parityConsistent() throws Exception {
        Gen.forAll("crash-every-fence-parity", 1, g -> {
            try {
                runCase(g, true, 4, 45);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private void runCase(Gen g, boolean everyFence) throws Exception {
        runCase(g, everyFence, 0, 90, 1);
    }

    private void runCase(Gen g, boolean everyFence, int dataParity, int ops) throws Exception {
        runCase(g, everyFence, dataParity, ops, 1);
    }

    private void runCase(Gen g, boolean everyFence, int dataParity, int ops, int replicas) throws Exception {
        Path caseDir = Files.createTempDirectory(dir, "case");
        TrackingPersistence tracking = new TrackingPersistence();
        List<Step> steps = new ArrayList<>();
        int setupFences;
        try (Namespace ns = Namespace.create(caseDir.resolve("ns.img"), NamespaceConfig.of(16 << 20), tracking)) {
            Pmem pmem = Pmem.attach(ns);
            PmemFs.mkfs(pmem.dax(), pmem.block(), new MkfsOptions(0, 256, MountOptions.DEFAULTS, dataParity, replicas));
            FileSystem fs = PmemFs.mount(pmem.dax(), pmem.block(), null);
            State model = new State(new TreeMap<>());
            setupFences = tracking.fenceCount();
            for (int i = 0; i < ops; i++) {
                State pre = model.copy();
                int before = tracking.fenceCount();
                String what = step(g, fs, model);
                steps.add(new Step(what, before, tracking.fenceCount(), pre, model.copy(),
                        what.startsWith("truncate") || what.startsWith("fallocate")));
            }
            fs.close();
        }
        int fences = tracking.fenceCount();
        int cuts = everyFence ? fences - setupFences + 1 : 16;
        for (int c = 0; c < cuts; c++) {
            int k = everyFence ? setupFences + c : (int) g.between(setupFences, fences);
            boolean durableOnly = everyFence || g.chance(0.5);
            long keepSeed = g.between(0, Long.MAX_VALUE - 1);
            Gen keepGen = new Gen(keepSeed);
            Path img = tracking.crashImage(k, durableOnly ? TrackingPersistence.DURABLE_ONLY : i -> keepGen.chance(0.5),
                    caseDir.resolve("cut" + k + ".img"));
            String where = "cut at fence " + k + " of " + fences + (durableOnly ? " (durable only)" : " (random unfenced stores kept)");
            checkCut(img, steps, k, where);
            Files.deleteIfExists(img);
        }
    }

    private void checkCut(Path img, List<Step> steps, int k, String where) throws Exception {
        // The steps that may be in flight: those spanning fence k. Steps that issue no fence (in-place
        // overwrites without fsync) share their fence with neighbours and are not durable until the next
        // fence, so every state from the first such step's pre to the last one's post is acceptable.
        List<State> candidates = new ArrayList<>();
        List<String> what = new ArrayList<>();
        boolean zeroes = false;
        State done = new State(new TreeMap<>());
        for (Step s : steps) {
            if (s.fenceAfter() < k) {
                done = s.post();
            } else if (s.fenceBefore() <= k) {
                if (candidates.isEmpty()) {
                    candidates.add(s.pre());
                }
                candidates.add(s.post());
                what.add(s.what());
                zeroes |= s.zeroesData();
            }
        }
        if (candidates.isEmpty()) {
            candidates.add(done);
        }
        where = where + " during " + what;
        try (Namespace ns = Namespace.open(img)) {
            Pmem pmem = Pmem.attach(ns);
            // Before mount, the only damage a cut may leave is one torn superblock copy (the other is
            // intact and mount rewrites both); everything else must already be consistent.
            FsckReport before = Fsck.check(pmem.dax(), pmem.block(), false);
            boolean onlyTornCopy = before.errors() == 1 && before.findings().stream()
                    .anyMatch(x -> x.contains("superblock is unusable"));
            assertTrue(before.clean() || onlyTornCopy, where + ": fsck of the crash image: " + before.findings());
            FileSystem fs;
            try {
                fs = PmemFs.mount(pmem.dax(), pmem.block(), null);
            } catch (ErrnoException e) {
                throw new AssertionError(where + ": mount failed: " + e.getMessage(), e);
            }
            TreeMap<String, byte[]> found = new TreeMap<>();
            long d;
            try {
                d = fs.lookup(fs.rootIno(), "d");
            } catch (ErrnoException e) {
                d = -1;
            }
            if (d >= 0) {
                for (DirEntry e : fs.readdir(d)) {
                    int size = (int) fs.getattr(e.ino()).size();
                    byte[] b = new byte[size];
                    assertEquals(size, fs.read(e.ino(), 0, b, 0, size), where + ": short read of " + e.name());
                    found.put(e.name(), b);
                }
            }
            fs.close();
            assertMatches(candidates, zeroes, found, where);
            FsckReport r = Fsck.check(pmem.dax(), pmem.block(), false);
            assertEquals(FsckReport.CLEAN, r.exitCode(), where + ": fsck: " + r.findings());
        }
    }

    /** Names equal one candidate's; each size is some candidate's; each byte is some candidate's (or 0). */
    private static void assertMatches(List<State> candidates, boolean zeroes, TreeMap<String, byte[]> found,
            String where) {
        boolean names = false;
        for (State c : candidates) {
            names |= c.files().keySet().equals(found.keySet());
        }
        if (!names) {
            List<Object> sets = new ArrayList<>();
            candidates.forEach(c -> sets.add(c.files().keySet()));
            fail(where + ": names " + found.keySet() + " match none of " + sets);
        }
        for (String n : found.keySet()) {
            byte[] f = found.get(n);
            List<byte[]> versions = new ArrayList<>();
            for (State c : candidates) {
                if (c.files().containsKey(n)) {
                    versions.add(c.files().get(n));
                }
            }
            boolean sizeOk = false;
            for (byte[] v : versions) {
                sizeOk |= v.length == f.length;
            }
            if (!sizeOk) {
                fail(where + ": size of " + n + " is " + f.length + ", no candidate state has it");
            }
            for (int i = 0; i < f.length; i++) {
                boolean ok = zeroes && f[i] == 0;
                for (byte[] v : versions) {
                    ok |= (i < v.length ? v[i] : 0) == f[i];
                }
                if (!ok) {
                    fail(where + ": byte " + i + " of " + n + " is " + f[i] + ", which no candidate state holds");
                }
            }
        }
    }

    private static String step(Gen g, FileSystem fs, State m) throws ErrnoException {
        long d;
        try {
            d = fs.lookup(fs.rootIno(), "d");
        } catch (ErrnoException e) {
            d = fs.create(fs.rootIno(), "d", FileType.DIRECTORY, 0755, 0, 0);
            return "mkdir d";
        }
        List<String> names = new ArrayList<>(m.files().keySet());
        int op = names.isEmpty() ? 0 : g.intBetween(0, 13);
        String name = names.isEmpty() ? null : g.pick(names);
        switch (op) {
            case 0 -> {
                String n = "f" + g.intBetween(0, 30);
                if (m.files().containsKey(n)) {
                    return "noop";
                }
                fs.create(d, n, FileType.REGULAR, 0644, 0, 0);
                m.files().put(n, new byte[0]);
                return "create " + n;
            }
            case 1, 2, 3 -> {
                long ino = fs.lookup(d, name);
                byte[] cur = m.files().get(name);
                int off = g.intBetween(0, Math.max(0, cur.length + BLOCK));
                int len = g.intBetween(1, 3 * BLOCK);
                byte[] data = g.bytes(len);
                fs.write(ino, off, data, 0, len);
                byte[] next = Arrays.copyOf(cur, Math.max(cur.length, off + len));
                System.arraycopy(data, 0, next, off, len);
                m.files().put(name, next);
                if (g.chance(0.3)) {
                    fs.fsync(ino);
                }
                return "write " + name + " " + off + "+" + len;
            }
            case 4 -> {
                long ino = fs.lookup(d, name);
                byte[] cur = m.files().get(name);
                int size = g.intBetween(0, cur.length + 2 * BLOCK);
                fs.truncate(ino, size);
                m.files().put(name, Arrays.copyOf(cur, size));
                return "truncate " + name + " " + size;
            }
            case 5 -> {
                long ino = fs.lookup(d, name);
                byte[] cur = m.files().get(name);
                if (cur.length == 0) {
                    return "noop";
                }
                int off = g.intBetween(0, cur.length - 1);
                int len = g.intBetween(1, 2 * BLOCK);
                boolean punch = g.chance(0.5);
                int mode = punch ? Falloc.FALLOC_FL_PUNCH_HOLE | Falloc.FALLOC_FL_KEEP_SIZE : Falloc.FALLOC_FL_ZERO_RANGE;
                fs.fallocate(ino, FallocateMode.of(mode), off, len);
                byte[] next = Arrays.copyOf(cur, punch ? cur.length : Math.max(cur.length, off + len));
                Arrays.fill(next, off, Math.min(next.length, off + len), (byte) 0);
                m.files().put(name, next);
                return "fallocate " + (punch ? "punch " : "zero ") + name + " " + off + "+" + len;
            }
            case 6 -> {
                long ino = fs.lookup(d, name);
                int len = g.intBetween(1, 3 * BLOCK);
                fs.fallocate(ino, FallocateMode.of(Falloc.FALLOC_FL_KEEP_SIZE), g.intBetween(0, 4 * BLOCK), len);
                return "fallocate keep " + name;
            }
            case 7 -> {
                String to = "f" + g.intBetween(0, 30);
                fs.rename(d, name, d, to);
                byte[] v = m.files().remove(name);
                m.files().put(to, v);
                return "rename " + name + " " + to;
            }
            case 8 -> {
                fs.unlink(d, name);
                m.files().remove(name);
                return "unlink " + name;
            }
            case 10 -> {
                long ino = fs.lookup(d, name);
                byte[] cur = m.files().get(name);
                int blocks = cur.length / BLOCK;
                if (blocks < 2) {
                    return "noop";
                }
                int off = g.intBetween(0, blocks - 2) * BLOCK;
                int len = BLOCK * g.intBetween(1, Math.max(1, blocks - off / BLOCK - 1));
                if (off + len >= cur.length) {
                    return "noop";
                }
                fs.fallocate(ino, FallocateMode.of(Falloc.FALLOC_FL_COLLAPSE_RANGE), off, len);
                byte[] next = new byte[cur.length - len];
                System.arraycopy(cur, 0, next, 0, off);
                System.arraycopy(cur, off + len, next, off, cur.length - off - len);
                m.files().put(name, next);
                return "fallocate collapse " + name + " " + off + "+" + len;
            }
            case 11 -> {
                long ino = fs.lookup(d, name);
                byte[] cur = m.files().get(name);
                if (cur.length == 0) {
                    return "noop";
                }
                int off = g.intBetween(0, (cur.length - 1) / BLOCK) * BLOCK;
                int len = g.intBetween(1, 2) * BLOCK;
                fs.fallocate(ino, FallocateMode.of(Falloc.FALLOC_FL_INSERT_RANGE), off, len);
                byte[] next = new byte[cur.length + len];
                System.arraycopy(cur, 0, next, 0, off);
                System.arraycopy(cur, off, next, off + len, cur.length - off);
                m.files().put(name, next);
                return "fallocate insert " + name + " " + off + "+" + len;
            }
            case 12, 13 -> {
                // one block at an even block offset: files gather many extents (leaf blocks)
                long ino = fs.lookup(d, name);
                byte[] cur = m.files().get(name);
                int off = 2 * BLOCK * g.intBetween(0, 30);
                byte[] data = g.bytes(BLOCK);
                fs.write(ino, off, data, 0, BLOCK);
                byte[] next = Arrays.copyOf(cur, Math.max(cur.length, off + BLOCK));
                System.arraycopy(data, 0, next, off, BLOCK);
                m.files().put(name, next);
                return "write " + name + " block " + off / BLOCK;
            }
            default -> {
                fs.fsync(fs.lookup(d, name));
                return "fsync " + name;
            }
        }
    }
}
