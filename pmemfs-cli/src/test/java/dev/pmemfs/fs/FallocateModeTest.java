package dev.pmemfs.fs;

import static dev.pmemfs.fs.Falloc.FALLOC_FL_COLLAPSE_RANGE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_INSERT_RANGE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_KEEP_SIZE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_NO_HIDE_STALE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_PUNCH_HOLE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_UNSHARE_RANGE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_WRITE_ZEROES;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_ZEROINIT_RANGE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_ZERO_RANGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FallocateMode.Op;
import org.junit.jupiter.api.Test;

/** The mode rules of vfs_fallocate (reference §4.2 steps 2–3) plus the ZEROINIT rule. */
class FallocateModeTest {
    private static Errno errnoOf(int mode) {
        return assertThrows(ErrnoException.class, () -> FallocateMode.of(mode)).errno();
    }

    @Test
    void of_validModes_parseToTheirOperation() throws ErrnoException {
        assertEquals(Op.ALLOCATE, FallocateMode.of(0).op());
        assertTrue(FallocateMode.of(FALLOC_FL_KEEP_SIZE).keepSize());
        assertEquals(Op.PUNCH_HOLE, FallocateMode.of(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE).op());
        assertEquals(Op.ZERO_RANGE, FallocateMode.of(FALLOC_FL_ZERO_RANGE).op());
        assertEquals(Op.ZERO_RANGE, FallocateMode.of(FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE).op());
        assertEquals(Op.COLLAPSE_RANGE, FallocateMode.of(FALLOC_FL_COLLAPSE_RANGE).op());
        assertEquals(Op.INSERT_RANGE, FallocateMode.of(FALLOC_FL_INSERT_RANGE).op());
        assertEquals(Op.UNSHARE_RANGE, FallocateMode.of(FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_KEEP_SIZE).op());
        assertEquals(Op.WRITE_ZEROES, FallocateMode.of(FALLOC_FL_WRITE_ZEROES).op());
        assertEquals(Op.ZEROINIT_RANGE, FallocateMode.of(FALLOC_FL_ZEROINIT_RANGE | FALLOC_FL_KEEP_SIZE).op());
    }

    @Test
    void of_unknownBits_isEopnotsupp() {
        assertEquals(Errno.EOPNOTSUPP, errnoOf(FALLOC_FL_NO_HIDE_STALE));
        assertEquals(Errno.EOPNOTSUPP, errnoOf(0x200));
        assertEquals(Errno.EOPNOTSUPP, errnoOf(0x80000000));
        // Unknown bits are checked before the ZEROINIT rule.
        assertEquals(Errno.EOPNOTSUPP, errnoOf(FALLOC_FL_ZEROINIT_RANGE | 0x200));
    }

    @Test
    void of_punchWithoutKeepSize_isEopnotsupp() {
        assertEquals(Errno.EOPNOTSUPP, errnoOf(FALLOC_FL_PUNCH_HOLE));
    }

    @Test
    void of_collapseInsertWriteZeroesWithKeepSize_isEopnotsupp() {
        assertEquals(Errno.EOPNOTSUPP, errnoOf(FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_KEEP_SIZE));
        assertEquals(Errno.EOPNOTSUPP, errnoOf(FALLOC_FL_INSERT_RANGE | FALLOC_FL_KEEP_SIZE));
        assertEquals(Errno.EOPNOTSUPP, errnoOf(FALLOC_FL_WRITE_ZEROES | FALLOC_FL_KEEP_SIZE));
    }

    @Test
    void of_twoModes_isEopnotsupp() {
        assertEquals(Errno.EOPNOTSUPP, errnoOf(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE));
        assertEquals(Errno.EOPNOTSUPP, errnoOf(FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE));
        assertEquals(Errno.EOPNOTSUPP, errnoOf(FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_ZERO_RANGE));
    }

    @Test
    void of_zeroinitWithoutKeepSizeOrWithAnotherMode_isEinval() {
        assertEquals(Errno.EINVAL, errnoOf(FALLOC_FL_ZEROINIT_RANGE));
        assertEquals(Errno.EINVAL, errnoOf(FALLOC_FL_ZEROINIT_RANGE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE));
        assertEquals(Errno.EINVAL, errnoOf(FALLOC_FL_ZEROINIT_RANGE | FALLOC_FL_ZERO_RANGE));
    }

    @Test
    void of_everyModeWord_agreesWithTheKernelTable() {
        // Exhaustive over the 9 defined bits: the result is EOPNOTSUPP, EINVAL or a mode, never anything else,
        // and a word is accepted exactly when the kernel's switch (plus the RFC rule) accepts it.
        for (int mode = 0; mode < 0x200; mode++) {
            boolean keep = (mode & FALLOC_FL_KEEP_SIZE) != 0;
            int ops = mode & ~FALLOC_FL_KEEP_SIZE;
            boolean unknown = (mode & FALLOC_FL_NO_HIDE_STALE) != 0;
            boolean accepted = !unknown && switch (ops) {
                case 0, FALLOC_FL_UNSHARE_RANGE, FALLOC_FL_ZERO_RANGE -> true;
                case FALLOC_FL_PUNCH_HOLE, FALLOC_FL_ZEROINIT_RANGE -> keep;
                case FALLOC_FL_COLLAPSE_RANGE, FALLOC_FL_INSERT_RANGE, FALLOC_FL_WRITE_ZEROES -> !keep;
                default -> false;
            };
            try {
                FallocateMode m = FallocateMode.of(mode);
                assertTrue(accepted, "accepted 0x" + Integer.toHexString(mode));
                assertEquals(mode, m.bits());
            } catch (ErrnoException e) {
                assertFalse(accepted, "refused 0x" + Integer.toHexString(mode));
                Errno expected = !unknown && (mode & FALLOC_FL_ZEROINIT_RANGE) != 0 ? Errno.EINVAL : Errno.EOPNOTSUPP;
                assertEquals(expected, e.errno(), "mode 0x" + Integer.toHexString(mode));
            }
        }
    }

    @Test
    void beyondPreallocation_onlyPlainAllocationIsNot() throws ErrnoException {
        assertFalse(FallocateMode.of(0).beyondPreallocation());
        assertFalse(FallocateMode.of(FALLOC_FL_KEEP_SIZE).beyondPreallocation());
        assertTrue(FallocateMode.of(FALLOC_FL_ZERO_RANGE).beyondPreallocation());
        assertTrue(FallocateMode.of(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE).beyondPreallocation());
    }

    @Test
    void of_zeroinitOnAKernelWithoutIt_isAnUnknownBit() throws ErrnoException {
        int mode = dev.pmemfs.fs.Falloc.FALLOC_FL_ZEROINIT_RANGE | FALLOC_FL_KEEP_SIZE;
        assertEquals(Errno.EOPNOTSUPP, assertThrows(ErrnoException.class, () -> FallocateMode.of(mode, false, true)).errno());
        assertEquals(Errno.EOPNOTSUPP, assertThrows(ErrnoException.class,
                () -> FallocateMode.of(dev.pmemfs.fs.Falloc.FALLOC_FL_ZEROINIT_RANGE, false, true)).errno(),
                "without the mode, the KEEP_SIZE rule never applies");
        assertEquals(Op.ZEROINIT_RANGE, FallocateMode.of(mode, true, true).op());
    }

    /**
     * FALLOC_FL_WRITE_ZEROES (Linux 6.17): a kernel without it fails 0x80 as an unknown bit at step 2,
     * before the descriptor is looked at; one with it (linux-6.17, pmemfs) checks KEEP_SIZE at step 3.
     */
    @Test
    void of_writeZeroesByProfile_unknownBitBefore617() throws ErrnoException {
        MountOptions old = MountOptions.Profile.LINUX_5_19.options();
        MountOptions v617 = MountOptions.Profile.LINUX_6_17.options();
        assertEquals(Errno.EOPNOTSUPP, assertThrows(ErrnoException.class,
                () -> FallocateMode.of(FALLOC_FL_WRITE_ZEROES, old)).errno());
        assertEquals(Op.WRITE_ZEROES, FallocateMode.of(FALLOC_FL_WRITE_ZEROES, v617).op());
        assertEquals(Op.WRITE_ZEROES, FallocateMode.of(FALLOC_FL_WRITE_ZEROES, MountOptions.DEFAULTS).op());
        assertEquals(Errno.EOPNOTSUPP, assertThrows(ErrnoException.class,
                () -> FallocateMode.of(FALLOC_FL_WRITE_ZEROES | FALLOC_FL_KEEP_SIZE, v617)).errno());
    }
}
