package dev.pmemfs.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.testing.Gen;
import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded property test of directory invariants: after random creates, unlinks and renames (with
 * remounts), readdir equals the model, every name looks up to its inode, link counts and parent
 * pointers agree, and fsck is clean.
 */
class NamespacePropertyTest {
    @TempDir
    Path dir;

    @Test
    void randomNamespaceOps_directoriesMatchModel() throws Exception {
        Gen.forAll("namespace", 4, g -> {
            try {
                Path d = Files.createTempDirectory(dir, "ns");
                try (FsFixture f = new FsFixture(d, 16 * TestNamespaces.MIB, MountOptions.DEFAULTS)) {
                    run(g, f);
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private void run(Gen g, FsFixture f) throws ErrnoException {
        long root = f.fs.rootIno();
        long[] dirs = {root, f.fs.create(root, "a", FileType.DIRECTORY, 0755, 0, 0),
                f.fs.create(root, "b", FileType.DIRECTORY, 0755, 0, 0)};
        List<TreeMap<String, Long>> model = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            model.add(new TreeMap<>());
        }
        model.get(0).put("a", dirs[1]);
        model.get(0).put("b", dirs[2]);
        for (int step = 0; step < 300; step++) {
            int di = g.intBetween(1, 2);
            TreeMap<String, Long> m = model.get(di);
            int op = g.intBetween(0, 9);
            String name = "n" + g.intBetween(0, 150) + "-" + "x".repeat(g.intBetween(0, 60));
            if (op < 5) {
                if (!m.containsKey(name)) {
                    m.put(name, f.fs.create(dirs[di], name, FileType.REGULAR, 0644, 0, 0));
                }
            } else if (op < 8 && !m.isEmpty()) {
                String victim = g.pick(new ArrayList<>(m.keySet()));
                f.fs.unlink(dirs[di], victim);
                m.remove(victim);
            } else if (!m.isEmpty()) {
                String src = g.pick(new ArrayList<>(m.keySet()));
                int dj = g.intBetween(1, 2);
                long ino = m.remove(src);
                f.fs.rename(dirs[di], src, dirs[dj], name);
                model.get(dj).put(name, ino);
            }
            if (g.chance(0.02)) {
                f.remount();
            }
        }
        f.remount();
        for (int i = 0; i < 3; i++) {
            List<DirEntry> got = f.fs.readdir(dirs[i]);
            assertEquals(new ArrayList<>(model.get(i).keySet()), got.stream().map(DirEntry::name).toList());
            for (var e : model.get(i).entrySet()) {
                assertEquals(e.getValue(), f.fs.lookup(dirs[i], e.getKey()));
                if (i > 0) {
                    assertEquals(1, f.fs.getattr(e.getValue()).nlink());
                    assertEquals(i == 1 ? "/a/" + e.getKey() : "/b/" + e.getKey(), f.fs.path(e.getValue()));
                }
            }
        }
        f.fs.close();
        FsckReport r = Fsck.check(f.dax, f.bdev, false);
        assertEquals(FsckReport.CLEAN, r.exitCode(), r.findings().toString());
        f.fs = PmemFs.mount(f.dax, f.bdev, null);
    }
}
