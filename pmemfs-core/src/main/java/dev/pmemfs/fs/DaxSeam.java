package dev.pmemfs.fs;

import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.dax.DaxWindow;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;

/**
 * The fs–dax seam: the one place where the driver's EHWPOISON becomes the EIO that read(2), write(2)
 * and metadata I/O report, as {@code dax_mem2blk_err} does in include/linux/dax.h (reference §1.4).
 * The fault path does not come through here: it keeps EHWPOISON so vfs can raise SIGBUS.
 */
final class DaxSeam {
    private DaxSeam() {}

    /** {@code dax_mem2blk_err}: EHWPOISON → EIO, everything else unchanged. */
    static ErrnoException mem2blkErr(ErrnoException e, String op, String detail) {
        if (e.errno() == Errno.EHWPOISON) {
            return new ErrnoException(Errno.EIO, op, detail + " (" + e.getMessage() + ")", e);
        }
        return e;
    }

    /** Reads one metadata block through direct access; poison is EIO naming the structure. */
    static byte[] readBlock(DaxDevice dax, long block, String structure) throws ErrnoException {
        DaxWindow w;
        try {
            w = dax.directAccess(block, 1, DaxAccessMode.ACCESS);
        } catch (ErrnoException e) {
            throw mem2blkErr(e, "read_meta", structure + " block " + block + " is poisoned");
        }
        byte[] img = new byte[MetaBlock.SIZE];
        var copied = w.read(0, img, 0, MetaBlock.SIZE);
        if (!copied.isComplete()) {
            throw new ErrnoException(Errno.EIO, "read_meta", structure + " block " + block
                    + ": machine check at device offset " + copied.poisonedAt());
        }
        return img;
    }
}
