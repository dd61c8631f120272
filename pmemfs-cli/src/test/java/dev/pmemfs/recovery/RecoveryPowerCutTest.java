package dev.pmemfs.recovery;

import static dev.pmemfs.recovery.PoisonedFileRig.BLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FsckReport;
import dev.pmemfs.media.ByteRange;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceConfig;
import dev.pmemfs.media.PoisonRange;
import dev.pmemfs.media.TrackingPersistence;
import dev.pmemfs.study.Pairing;
import dev.pmemfs.testing.Gen;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A power cut in the middle of each recovery design (every default pairing of {@link Pairing}): the
 * recovery runs on a {@link TrackingPersistence} namespace, then the image is rebuilt as a cut at a
 * sample of its fences would leave it (durable stores only, or with a seeded random subset of the
 * unfenced ones kept), mounted (journal replay) and checked.
 *
 * <p>After every cut: mount succeeds; each poisoned block of the file is either <em>still poisoned</em>
 * (a read of it fails with EIO; what reads before the poison is the old data or zeros) or
 * <em>recovered</em> (it reads whole, exactly as the design leaves it); every other byte of the file
 * holds its old data; fsck after unmount is clean. Recovered means zeros for every design but
 * unmount-clear: a punched hole and an unwritten extent read zeros, so punch + pwrite/falloc may show
 * a hole between their two steps, which is zeros too. Unmount-clear leaves the cleared units with
 * what the platform left there ({@link Namespace#GARBAGE} in this emulation) and the rest of the block
 * with its old data — its documented undefined content — and never zeros. Never allowed anywhere:
 * the decoy's bytes (a file unlinked before the recovery, whose blocks may be handed out again),
 * garbage in a block that no longer reports poison (except unmount-clear's), a mix of old data and
 * zeros in a block that reads without error. At the first fence (durable stores only) every block
 * must still be poisoned, at the last every block must be recovered.
 */
class RecoveryPowerCutTest {
    private static final long MIB = 1L << 20;
    private static final int SECTOR = 512;
    private static final long NS_SIZE = 16 * MIB;
    private static final long FILE_SIZE = 256 << 10;
    private static final long DECOY_SIZE = 256 << 10;
    /** Cut points per pairing: every fence of the recovery when there are this few, else a sample. */
    private static final int CUTS = 32;
    /** Words of the newest unfenced stores kept by {@link Keep#NEWEST}: one media-log record is 4. */
    private static final int NEWEST_KEPT = 4;
    /** Pairings that give the file newly allocated blocks (on Linux 5.19, ZERO_RANGE means new unwritten extents). */
    private static final Set<String> REMAPPING = Set.of(
            "punch-pwrite @ linux-5.19", "punch-falloc @ linux-5.19", "zero-range @ linux-5.19");

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> powerCut_duringEachRecovery_poisonOrResultAndFsckClean() {
        // The rig makes a filesystem of the default format: pairings with format options (meta_replicas=2)
        // would repeat their one-copy twins here; CrashTest cuts power at every fence with replicas.
        List<Pairing> pairings = Pairing.defaults().stream().filter(p -> p.format().isEmpty()).toList();
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < pairings.size(); i++) {
            Pairing p = pairings.get(i);
            Gen g = Gen.of("recovery-power-cut " + p.text());
            tests.add(DynamicTest.dynamicTest(p.text(), () -> runPairing(p, g)));
        }
        return tests.stream();
    }

    /** Which of the stores not yet durable at the cut reach the media anyway. */
    private enum Keep {
        DURABLE_ONLY("durable stores only"),
        RANDOM("unfenced stores kept at random"),
        /**
         * Only the newest few: unfenced stores are unordered, so a record issued last (a badblocks or
         * journal record) may land while the data stored before it does not.
         */
        NEWEST("only the newest " + NEWEST_KEPT + " unfenced stores kept");

        final String text;

        Keep(String text) {
            this.text = text;
        }
    }

    /** The file's poisoned blocks and what each reads as once the design has recovered it. */
    private record Damaged(FileRange range, byte[] recovered) {}

    private void runPairing(Pairing p, Gen g) throws Exception {
        String seed = g.describe();
        Path caseDir = Files.createTempDirectory(dir, p.strategy().name());
        Path img = caseDir.resolve("ns.img");
        boolean unmountClear = p.strategy().name().equals("unmount-clear");
        boolean salvage = p.strategy().name().equals("salvage");

        List<Damaged> damaged = new ArrayList<>();
        List<FileRange> poisoned;
        List<ByteRange> decoyBlocks;
        try (PoisonedFileRig rig = new PoisonedFileRig(Namespace.create(img, NamespaceConfig.of(NS_SIZE)),
                FILE_SIZE, p.options(), DECOY_SIZE)) {
            rig.poisonRandomBlocks(g, g.intBetween(1, 3));
            poisoned = List.copyOf(rig.poisoned);
            decoyBlocks = List.copyOf(rig.decoyBlocks);
            byte[] old = PoisonedFileRig.expectedContent(FILE_SIZE);
            for (FileRange r : poisoned) {
                byte[] result = new byte[BLOCK];
                if (unmountClear) {
                    // The clear leaves the poisoned units as the poison left them, the rest as it was.
                    System.arraycopy(old, (int) r.offset(), result, 0, BLOCK);
                    long phys = rig.ns.dataOffset() + rig.physicalOf(r.offset());
                    for (PoisonRange pr : rig.ns.poisonRecords(phys, BLOCK)) {
                        ByteRange u = pr.range();
                        long from = Math.max(u.offset(), phys);
                        long to = Math.min(u.end(), phys + BLOCK);
                        Arrays.fill(result, (int) (from - phys), (int) (to - phys), Namespace.GARBAGE);
                    }
                } else if (salvage) {
                    // Salvage keeps every sector but the poisoned ones, which read as zeros.
                    System.arraycopy(old, (int) r.offset(), result, 0, BLOCK);
                    long phys = rig.ns.dataOffset() + rig.physicalOf(r.offset());
                    for (PoisonRange pr : rig.ns.poisonRecords(phys, BLOCK)) {
                        ByteRange u = pr.range();
                        long from = Math.max(u.offset(), phys) / SECTOR * SECTOR;
                        long to = (Math.min(u.end(), phys + BLOCK) + SECTOR - 1) / SECTOR * SECTOR;
                        Arrays.fill(result, (int) (from - phys), (int) (to - phys), (byte) 0);
                    }
                }
                damaged.add(new Damaged(r, result));
            }
        }

        TrackingPersistence tracking = new TrackingPersistence();
        int start;
        try (PoisonedFileRig rig = PoisonedFileRig.remount(Namespace.open(img, tracking), FILE_SIZE, p.options(),
                poisoned)) {
            start = tracking.fenceCount();
            p.strategy().recover(rig.target(p.credentials()), poisoned);
            if (REMAPPING.contains(p.text())) {
                // Otherwise the decoy check would prove nothing for the designs that allocate new blocks.
                long phys = rig.physicalOf(poisoned.get(0).offset());
                assertTrue(decoyBlocks.stream().anyMatch(b -> phys >= b.offset() && phys < b.end()), p.text()
                        + " (" + seed + "): the new block at " + phys + " is not one the decoy freed " + decoyBlocks
                        + "; place the decoy where the allocator looks next");
            }
        }
        int end = tracking.fenceCount();
        assertTrue(end > start, p.text() + " (" + seed + "): the recovery issued no fence");

        for (int k : cutPoints(g, start, end)) {
            for (Keep mode : Keep.values()) {
                long keepSeed = g.between(0, Long.MAX_VALUE - 1);
                Gen keepGen = new Gen(keepSeed);
                int volatileStores = tracking.volatileStores(k);
                IntPredicate keep = switch (mode) {
                    case DURABLE_ONLY -> TrackingPersistence.DURABLE_ONLY;
                    case RANDOM -> i -> keepGen.chance(0.5);
                    case NEWEST -> i -> i >= volatileStores - NEWEST_KEPT;
                };
                String where = p.text() + ": cut at fence " + k + " (recovery spans fences " + start + ".." + end
                        + "), " + mode.text + (mode == Keep.RANDOM ? ", keep seed " + keepSeed : "")
                        + ", " + seed + ", poisoned " + poisoned;
                Path crashed = tracking.crashImage(k, keep, caseDir.resolve("cut.img"));
                checkCut(crashed, p, damaged, unmountClear, Progress.of(k, start, end, mode), where);
                Files.delete(crashed);
            }
        }
    }

    /** Every fence of the recovery when they are few, else the first, the last and a seeded sample between. */
    private static TreeSet<Integer> cutPoints(Gen g, int start, int end) {
        TreeSet<Integer> cuts = new TreeSet<>();
        if (end - start + 1 <= CUTS) {
            for (int k = start; k <= end; k++) {
                cuts.add(k);
            }
            return cuts;
        }
        cuts.add(start);
        cuts.add(end);
        while (cuts.size() < CUTS) {
            cuts.add((int) g.between(start + 1, end - 1));
        }
        return cuts;
    }

    /** What the cut point demands beyond "poisoned or recovered". */
    private enum Progress {
        /** The image as mounted before the recovery began: every block still poisoned. */
        NOT_STARTED,
        MIDWAY,
        /** The last fence: every block recovered. */
        DONE;

        static Progress of(int k, int start, int end, Keep mode) {
            if (k == end) {
                return DONE;
            }
            return k == start && mode == Keep.DURABLE_ONLY ? NOT_STARTED : MIDWAY;
        }
    }

    private static void checkCut(Path crashed, Pairing p, List<Damaged> damaged, boolean unmountClear,
            Progress progress, String where) throws Exception {
        try (Namespace ns = Namespace.open(crashed)) {
            List<FileRange> ranges = damaged.stream().map(Damaged::range).toList();
            PoisonedFileRig rig;
            try {
                rig = PoisonedFileRig.remount(ns, FILE_SIZE, p.options(), ranges);
            } catch (ErrnoException e) {
                throw new AssertionError(where + ": mount failed: " + e.getMessage(), e);
            }
            Syscalls root = rig.stack.process(Credentials.ROOT);
            int fd = root.open(PoisonedFileRig.PATH, Syscalls.O_RDONLY, 0);
            try {
                assertEquals(FILE_SIZE, root.fstat(fd).size(), where + ": file size changed");
                byte[] old = PoisonedFileRig.expectedContent(FILE_SIZE);
                for (long off = 0; off < FILE_SIZE; off += BLOCK) {
                    Damaged d = damagedAt(damaged, off);
                    byte[] buf = new byte[BLOCK];
                    int got = readBlock(root, fd, buf, off, where);
                    if (d == null) {
                        if (got < BLOCK) {
                            fail(where + ": undamaged block at " + off + " fails to read");
                        }
                        assertBytes(buf, 0, BLOCK, old, (int) off, where + ": undamaged block at " + off);
                    } else if (got < BLOCK) {
                        if (progress == Progress.DONE) {
                            fail(where + ": block " + d.range() + " is still poisoned after the whole recovery");
                        }
                        for (int i = 0; i < got; i++) {
                            if (buf[i] != 0 && buf[i] != old[(int) off + i]) {
                                fail(where + ": poisoned block " + d.range() + " reads " + describe(buf[i], (int) off + i)
                                        + " at byte " + i + " before its poison (allowed: the old data or 0)");
                            }
                        }
                    } else if (progress == Progress.NOT_STARTED) {
                        fail(where + ": block " + d.range() + " reads without error before the recovery began");
                    } else {
                        String what = where + ": recovered block " + d.range() + " (expected "
                                + (p.strategy().name().equals("salvage") ? "the old data with zeros on the poisoned sectors)"
                                : unmountClear ? "the old data with the poison's garbage over the cleared units)"
                                : "zeros)");
                        assertBytes(buf, 0, BLOCK, d.recovered(), 0, what);
                    }
                }
            } finally {
                root.close(fd);
            }
            rig.stack.unmount();
            FsckReport r = rig.stack.fsck(false);
            assertEquals(FsckReport.CLEAN, r.exitCode(), where + ": fsck: " + r.findings());
        }
    }

    private static Damaged damagedAt(List<Damaged> damaged, long off) {
        for (Damaged d : damaged) {
            if (off >= d.range().offset() && off < d.range().end()) {
                return d;
            }
        }
        return null;
    }

    /** Reads one block; returns the bytes read before an EIO (BLOCK when it all reads). Any other errno fails. */
    private static int readBlock(Syscalls sys, int fd, byte[] buf, long off, String where) {
        int done = 0;
        while (done < BLOCK) {
            try {
                int n = sys.pread(fd, buf, done, BLOCK - done, off + done);
                if (n <= 0) {
                    fail(where + ": read at " + (off + done) + " returned " + n + " inside the file");
                }
                done += n;
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EIO) {
                    throw new AssertionError(where + ": read at " + (off + done) + " failed with " + e.errno()
                            + " (only EIO may report poison)", e);
                }
                return done;
            }
        }
        return done;
    }

    private static void assertBytes(byte[] got, int from, int to, byte[] want, int wantFrom, String what) {
        int at = Arrays.mismatch(got, from, to, want, wantFrom, wantFrom + (to - from));
        if (at >= 0) {
            fail(what + ": byte " + at + " reads " + describe(got[from + at], -1) + " but should be "
                    + (want[wantFrom + at] & 0xFF) + decoyBlock(got, from, to));
        }
    }

    /** "; the block is the unlinked decoy's block N" when it is, else "". */
    private static String decoyBlock(byte[] got, int from, int to) {
        byte[] decoy = PoisonedFileRig.decoyContent(DECOY_SIZE);
        for (int b = 0; b + (to - from) <= decoy.length; b += BLOCK) {
            if (Arrays.equals(got, from, to, decoy, b, b + (to - from))) {
                return "; the block holds the unlinked decoy's block " + b / BLOCK + " (stale data exposed)";
            }
        }
        return "";
    }

    /** A byte and what it looks like: the poison's garbage, the decoy's data, old data, zero. */
    private static String describe(byte b, int fileOffset) {
        String s = String.valueOf(b & 0xFF);
        if (b == Namespace.GARBAGE) {
            return s + " (0xDB: the poison's garbage)";
        }
        if (b == 0) {
            return s + " (zero)";
        }
        if (fileOffset >= 0 && fileOffset < DECOY_SIZE && PoisonedFileRig.decoyContent(DECOY_SIZE)[fileOffset] == b) {
            return s + " (the unlinked decoy's byte at that offset)";
        }
        return s;
    }
}
