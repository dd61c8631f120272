package dev.pmemfs.fs;

import static dev.pmemfs.fs.Falloc.FALLOC_FL_COLLAPSE_RANGE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_INSERT_RANGE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_KEEP_SIZE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_MODE_MASK;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_PUNCH_HOLE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_UNSHARE_RANGE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_WRITE_ZEROES;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_ZEROINIT_RANGE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_ZERO_RANGE;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.Objects;

/**
 * A fallocate(2) mode word, decoded once where the syscall enters (vfs) and handed to the filesystem
 * as this value: the exclusive operation and whether KEEP_SIZE is set. Mirrors steps 2–3 of
 * {@code vfs_fallocate} (fs/open.c, ≥6.12; reference §4.2), on a kernel that knows
 * FALLOC_FL_WRITE_ZEROES (6.17) and the 2021 RFC's FALLOC_FL_ZEROINIT_RANGE only when the mount
 * options say so (otherwise each is an unknown bit), plus the RFC's rule that ZEROINIT_RANGE is only
 * valid as {@code ZEROINIT_RANGE|KEEP_SIZE} (EINVAL otherwise).
 */
public record FallocateMode(int bits, Op op, boolean keepSize) {
    /** The exclusive operations of {@code FALLOC_FL_MODE_MASK}. */
    public enum Op {
        ALLOCATE, PUNCH_HOLE, COLLAPSE_RANGE, ZERO_RANGE, INSERT_RANGE, UNSHARE_RANGE, WRITE_ZEROES, ZEROINIT_RANGE
    }

    public FallocateMode {
        Objects.requireNonNull(op, "op");
    }

    /** Decodes {@code mode} on a kernel that knows every mode (WRITE_ZEROES and ZEROINIT_RANGE included). */
    public static FallocateMode of(int mode) throws ErrnoException {
        return of(mode, true, true);
    }

    /** Decodes {@code mode} as the kernel the mount options describe. */
    public static FallocateMode of(int mode, MountOptions options) throws ErrnoException {
        return of(mode, options.zeroinit(), options.writeZeroes() != MountOptions.WriteZeroes.ABSENT);
    }

    /**
     * Unknown bits → EOPNOTSUPP (0x100 unless {@code zeroinit}, 0x80 unless {@code writeZeroes}: a kernel
     * without the mode fails it here, before every check but the range's); PUNCH without KEEP_SIZE,
     * COLLAPSE/INSERT/WRITE_ZEROES with KEEP_SIZE and any two operations together → EOPNOTSUPP; ZEROINIT
     * in any word other than {@code ZEROINIT|KEEP_SIZE} → EINVAL.
     */
    static FallocateMode of(int mode, boolean zeroinit, boolean writeZeroes) throws ErrnoException {
        int known = FALLOC_FL_MODE_MASK;
        if (!zeroinit) {
            known &= ~FALLOC_FL_ZEROINIT_RANGE;
        }
        if (!writeZeroes) {
            known &= ~FALLOC_FL_WRITE_ZEROES;
        }
        if ((mode & ~(known | FALLOC_FL_KEEP_SIZE)) != 0) {
            throw fail(Errno.EOPNOTSUPP, mode, "unknown mode bits");
        }
        boolean keep = (mode & FALLOC_FL_KEEP_SIZE) != 0;
        Op op = switch (mode & FALLOC_FL_MODE_MASK) {
            case 0 -> Op.ALLOCATE;
            case FALLOC_FL_UNSHARE_RANGE -> Op.UNSHARE_RANGE;
            case FALLOC_FL_ZERO_RANGE -> Op.ZERO_RANGE;
            case FALLOC_FL_PUNCH_HOLE -> requireKeepSize(mode, keep, Op.PUNCH_HOLE);
            case FALLOC_FL_COLLAPSE_RANGE -> requireNoKeepSize(mode, keep, Op.COLLAPSE_RANGE);
            case FALLOC_FL_INSERT_RANGE -> requireNoKeepSize(mode, keep, Op.INSERT_RANGE);
            case FALLOC_FL_WRITE_ZEROES -> requireNoKeepSize(mode, keep, Op.WRITE_ZEROES);
            case FALLOC_FL_ZEROINIT_RANGE -> requireZeroinitKeepSize(mode, keep);
            default -> throw twoModes(mode);
        };
        return new FallocateMode(mode, op, keep);
    }

    /** Whether the operation changes anything but the allocation (append-only files refuse these, step 5). */
    public boolean beyondPreallocation() {
        return (bits & ~FALLOC_FL_KEEP_SIZE) != 0;
    }

    @Override
    public String toString() {
        return op + (keepSize ? "|KEEP_SIZE" : "") + " (0x" + Integer.toHexString(bits) + ")";
    }

    private static Op requireKeepSize(int mode, boolean keep, Op op) throws ErrnoException {
        if (!keep) {
            throw fail(Errno.EOPNOTSUPP, mode, op + " needs KEEP_SIZE");
        }
        return op;
    }

    private static Op requireNoKeepSize(int mode, boolean keep, Op op) throws ErrnoException {
        if (keep) {
            throw fail(Errno.EOPNOTSUPP, mode, op + " cannot keep the size");
        }
        return op;
    }

    private static Op requireZeroinitKeepSize(int mode, boolean keep) throws ErrnoException {
        if (!keep) {
            throw fail(Errno.EINVAL, mode, "ZEROINIT_RANGE must be used with KEEP_SIZE");
        }
        return Op.ZEROINIT_RANGE;
    }

    private static ErrnoException twoModes(int mode) {
        // The RFC's check rejects every word holding ZEROINIT that is not ZEROINIT|KEEP_SIZE with EINVAL;
        // other pairs of operations fall to the kernel's default case.
        if ((mode & FALLOC_FL_ZEROINIT_RANGE) != 0) {
            return fail(Errno.EINVAL, mode, "ZEROINIT_RANGE cannot be combined with another mode");
        }
        return fail(Errno.EOPNOTSUPP, mode, "two exclusive modes");
    }

    private static ErrnoException fail(Errno errno, int mode, String why) {
        return new ErrnoException(errno, "fallocate", "mode 0x" + Integer.toHexString(mode) + ": " + why);
    }
}
