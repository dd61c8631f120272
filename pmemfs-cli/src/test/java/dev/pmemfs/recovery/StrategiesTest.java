package dev.pmemfs.recovery;

import static dev.pmemfs.recovery.PoisonedFileRig.BLOCK;
import static dev.pmemfs.recovery.PoisonedFileRig.OWNER_UID;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.testing.Gen;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.Fiemap;
import dev.pmemfs.vfs.Syscalls;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each recovery design on a 64 MiB file with K random poisoned blocks, asserted against what the
 * design is known to do: whether the data reads afterwards, where the poison went, and whether the
 * file kept its physical blocks.
 */
class StrategiesTest {
    private static final long MIB = 1L << 20;
    private static final long FILE_SIZE = 64 * MIB;
    private static final int K = 8;
    private static final Credentials USER = Credentials.user(OWNER_UID, OWNER_UID);

    @TempDir
    Path dir;

    private PoisonedFileRig rig(MountOptions options) throws ErrnoException {
        PoisonedFileRig rig = new PoisonedFileRig(dir, 256 * MIB, FILE_SIZE, options);
        rig.poisonRandomBlocks(new Gen(42), K);
        assertEquals(Errno.EIO, rig.readAll(new byte[(int) FILE_SIZE]), "the poisoned file must fail to read first");
        Syscalls user = rig.stack.process(USER);
        int fd = user.open(PoisonedFileRig.PATH, Syscalls.O_RDONLY, 0);
        List<FileRange> named = user.badblocks(fd).stream().map(b -> new FileRange(b.offset(), b.length())).toList();
        user.close(fd);
        assertEquals(rig.poisoned, named, "the file's owner is told exactly the poisoned blocks (pmem2_badblock_next)");
        return rig;
    }

    private static Strategy strategy(String name) {
        return Strategies.byName(name).orElseThrow();
    }

    /** The file reads whole; the repaired ranges hold zeros (or anything, when undefined) and the rest its data. */
    private static void assertReadsBack(PoisonedFileRig rig, Strategy.Outcome out) {
        byte[] data = new byte[(int) FILE_SIZE];
        assertNull(rig.readAll(data), "file must read without error after " + out.strategy());
        byte[] expected = PoisonedFileRig.expectedContent(FILE_SIZE);
        int pos = 0;
        for (FileRange r : out.lost()) {
            assertGood(out, data, expected, pos, (int) r.offset());
            if (!out.undefinedContent()) {
                int nonZero = Arrays.mismatch(data, (int) r.offset(), (int) r.end(), new byte[(int) r.length()], 0, (int) r.length());
                assertEquals(-1, nonZero, out.strategy() + " left a non-zero byte in repaired range " + r);
            }
            pos = (int) r.end();
        }
        assertGood(out, data, expected, pos, (int) FILE_SIZE);
        assertEquals(K * (long) BLOCK, out.bytesLost(), "exactly the poisoned blocks are lost");
    }

    private static void assertGood(Strategy.Outcome out, byte[] data, byte[] expected, int from, int to) {
        int at = Arrays.mismatch(data, from, to, expected, from, to);
        assertEquals(-1, at, out.strategy() + " destroyed good data at offset " + (from + at));
    }

    @Test
    void punchPwrite_readsBack_butMovesTheFileAndLeavesPoisonBehind() throws Exception {
        try (PoisonedFileRig rig = rig(MountOptions.Profile.LINUX_5_15.options())) {
            long runsBefore = rig.physicalRuns();
            Strategy.Outcome out = strategy("punch-pwrite").recover(rig.target(USER), rig.poisoned);
            assertReadsBack(rig, out);
            assertTrue(rig.physicalRuns() > runsBefore, "punch + pwrite fragments the file");
            assertTrue(out.note().startsWith("remapped"), out.note());
            assertTrue(rig.badSectors() > 0, "the old blocks keep their poison in free space");
        }
    }

    @Test
    void punchFalloc_readsBack_withUnwrittenBlocksElsewhere() throws Exception {
        try (PoisonedFileRig rig = rig(MountOptions.Profile.LINUX_5_15.options())) {
            Strategy.Outcome out = strategy("punch-falloc").recover(rig.target(USER), rig.poisoned);
            assertReadsBack(rig, out);
            assertTrue(rig.mapping().stream().anyMatch(Fiemap.Extent::unwritten), "preallocated blocks are unwritten");
            assertTrue(rig.badSectors() > 0, "the poison stays on the freed blocks");
        }
    }

    @Test
    void zeroRange_linux_readsZeros_butPoisonStays() throws Exception {
        try (PoisonedFileRig rig = rig(MountOptions.Profile.LINUX_5_15.options())) {
            Strategy.Outcome out = strategy("zero-range").recover(rig.target(USER), rig.poisoned);
            assertReadsBack(rig, out);
            assertTrue(rig.badSectors() > 0, "Linux's ZERO_RANGE never clears poison");
        }
    }

    @Test
    void zeroRange_rfcZeroRange_clearsInPlace() throws Exception {
        try (PoisonedFileRig rig = rig(MountOptions.Profile.RFC_ZERO_RANGE.options())) {
            List<Fiemap.Extent> before = rig.mapping();
            Strategy.Outcome out = strategy("zero-range").recover(rig.target(USER), rig.poisoned);
            assertReadsBack(rig, out);
            assertEquals(before, rig.mapping(), "the RFC zeroes in place");
            assertEquals(0, rig.badSectors());
        }
    }

    @Test
    void zeroinit_clearsInPlace_asAnOrdinaryUser() throws Exception {
        try (PoisonedFileRig rig = rig(MountOptions.Profile.RFC_ZEROINIT.options())) {
            List<Fiemap.Extent> before = rig.mapping();
            Strategy.Outcome out = strategy("zeroinit").recover(rig.target(USER), rig.poisoned);
            assertReadsBack(rig, out);
            assertEquals(before, rig.mapping(), "FIEMAP identical before and after");
            assertEquals(0, rig.badSectors(), "every media error cleared");
            assertEquals("repaired in place: the file keeps its physical blocks", out.note());
        }
    }

    @Test
    void salvage_losesOnlyThePoisonedSectors_inPlace_asAnOrdinaryUser() throws Exception {
        try (PoisonedFileRig rig = rig(MountOptions.DEFAULTS)) {
            List<Fiemap.Extent> before = rig.mapping();
            List<FileRange> sectors = new java.util.ArrayList<>();
            for (FileRange r : rig.poisoned) {
                long phys = rig.ns.dataOffset() + rig.physicalOf(r.offset());
                for (var p : rig.ns.poisonRecords(phys, BLOCK)) {
                    long from = Math.max(p.range().offset(), phys) / 512 * 512;
                    long to = (Math.min(p.range().end(), phys + BLOCK) + 511) / 512 * 512;
                    sectors.add(new FileRange(r.offset() + from - phys, to - from));
                }
            }
            Strategy.Outcome out = strategy("salvage").recover(rig.target(USER), rig.poisoned);
            assertEquals(sectors, out.lost(), "lost ranges at sector precision");
            assertEquals(K * 512L, out.bytesLost());
            byte[] expected = PoisonedFileRig.expectedContent(FILE_SIZE).clone();
            for (FileRange s : sectors) {
                Arrays.fill(expected, (int) s.offset(), (int) s.end(), (byte) 0);
            }
            byte[] data = new byte[(int) FILE_SIZE];
            assertNull(rig.readAll(data));
            assertEquals(-1, Arrays.mismatch(expected, data), "only the poisoned sectors read as zeros");
            assertEquals(before, rig.mapping(), "FIEMAP identical before and after");
            assertEquals(0, rig.badSectors(), "every media error cleared");
            assertFalse(out.undefinedContent());
        }
    }

    @Test
    void salvage_withoutZeroinit_isNotSupported() throws Exception {
        try (PoisonedFileRig rig = rig(MountOptions.Profile.LINUX_5_19.options())) {
            long bad = rig.badSectors();
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> strategy("salvage").recover(rig.target(USER), rig.poisoned));
            assertEquals(Errno.EOPNOTSUPP, e.errno());
            assertEquals(bad, rig.badSectors(), "nothing cleared");
        }
    }

    @Test
    void zeroinit_switchedOff_isNotSupported() throws Exception {
        try (PoisonedFileRig rig = rig(MountOptions.Profile.LINUX_5_19.options())) {
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> strategy("zeroinit").recover(rig.target(USER), rig.poisoned));
            assertEquals(Errno.EOPNOTSUPP, e.errno());
        }
    }

    @Test
    void recoveryWrite_clearsInPlace() throws Exception {
        try (PoisonedFileRig rig = rig(MountOptions.Profile.LINUX_5_19.options())) {
            List<Fiemap.Extent> before = rig.mapping();
            Strategy.Outcome out = strategy("recovery-write").recover(rig.target(USER), rig.poisoned);
            assertReadsBack(rig, out);
            assertEquals(before, rig.mapping());
            assertEquals(0, rig.badSectors());
        }
    }

    @Test
    void recoveryWrite_onLinux515_failsWithEio() throws Exception {
        try (PoisonedFileRig rig = rig(MountOptions.Profile.LINUX_5_15.options())) {
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> strategy("recovery-write").recover(rig.target(USER), rig.poisoned));
            assertEquals(Errno.EIO, e.errno(), "without recovery write a pwrite over poison fails");
        }
    }

    @Test
    void fiemapBlkzeroout_withoutRawio_isRefusedAndChangesNothing() throws Exception {
        try (PoisonedFileRig rig = rig(MountOptions.Profile.LINUX_5_15.options())) {
            long bad = rig.badSectors();
            List<Fiemap.Extent> before = rig.mapping();
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> strategy("fiemap-blkzeroout").recover(rig.target(USER), rig.poisoned));
            assertEquals(Errno.EACCES, e.errno());
            assertEquals(bad, rig.badSectors());
            assertEquals(before, rig.mapping());
        }
    }

    @Test
    void fiemapBlkzeroout_withRawio_clearsInPlace() throws Exception {
        try (PoisonedFileRig rig = rig(MountOptions.Profile.LINUX_5_15.options())) {
            List<Fiemap.Extent> before = rig.mapping();
            Credentials rawio = USER.withCaps(EnumSet.of(Credentials.Capability.CAP_SYS_RAWIO));
            Strategy.Outcome out = strategy("fiemap-blkzeroout").recover(rig.target(rawio), rig.poisoned);
            assertReadsBack(rig, out);
            assertEquals(before, rig.mapping());
            assertEquals(0, rig.badSectors());
        }
    }

    @Test
    void unmountClear_needsAnAdministrator() throws Exception {
        try (PoisonedFileRig rig = rig(MountOptions.Profile.LINUX_5_15.options())) {
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> strategy("unmount-clear").recover(rig.target(USER), rig.poisoned));
            assertEquals(Errno.EPERM, e.errno());
        }
    }

    @Test
    void unmountClear_clearsEverything_butLeavesUndefinedContent() throws Exception {
        try (PoisonedFileRig rig = rig(MountOptions.Profile.LINUX_5_15.options())) {
            List<Fiemap.Extent> before = rig.mapping();
            Strategy.Outcome out = strategy("unmount-clear").recover(rig.target(Credentials.ROOT), rig.poisoned);
            assertTrue(out.undefinedContent());
            assertReadsBack(rig, out);
            assertEquals(before, rig.mapping());
            assertEquals(0, rig.badSectors());
            byte[] data = new byte[(int) FILE_SIZE];
            assertNull(rig.readAll(data));
            FileRange first = rig.poisoned.get(0);
            byte[] block = Arrays.copyOfRange(data, (int) first.offset(), (int) first.end());
            assertNotEquals(0, block[0] | block[block.length - 1] | block[512], "content is whatever the poison left, not zeros");
            assertFalse(Arrays.equals(new byte[BLOCK], block));
        }
    }

    @Test
    void best_followsTheMount() {
        assertEquals("zeroinit", Strategies.best(MountOptions.DEFAULTS).name());
        assertEquals("recovery-write", Strategies.best(MountOptions.Profile.LINUX_5_19.options()).name());
        assertEquals("zero-range", Strategies.best(MountOptions.Profile.RFC_ZERO_RANGE.options()).name());
        assertEquals("punch-pwrite", Strategies.best(MountOptions.Profile.LINUX_5_15.options()).name());
        assertEquals(8, Strategies.all().size());
        assertArrayEquals(new String[] {"punch-pwrite", "punch-falloc", "fiemap-blkzeroout", "unmount-clear",
                        "zero-range", "zeroinit", "recovery-write", "salvage"},
                Strategies.all().stream().map(Strategy::name).toArray());
    }
}
