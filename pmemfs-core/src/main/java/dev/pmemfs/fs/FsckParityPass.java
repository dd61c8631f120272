package dev.pmemfs.fs;

import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.dax.DaxWindow;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The last pass of fsck on a filesystem with data parity (md's "check" sync action,
 * drivers/md/md.c {@code action_store}): every stripe whose intent bit is clear must have a parity block
 * equal to the XOR of its data blocks. A stripe with its intent bit set was being written when the
 * filesystem stopped: mount recomputes it, as journal replay finishes a committed record, so it is
 * counted, not an error. A stripe with a block that does not read (poison) cannot be checked: that is
 * what parity is for ({@code pmemfs recover --strategy restore}). {@code --repair} recomputes every
 * stripe's parity ({@link Repair.RecomputeParity}, md's "repair" action) after all other repairs.
 */
final class FsckParityPass {
    private static final int PAGE = FileSystem.BLOCK_SIZE;
    /** Mismatching stripes named one by one; the rest are counted in one line. */
    private static final int NAMED = 16;

    private FsckParityPass() {}

    static void run(FsckScan s) throws ErrnoException {
        if (s.sb.dataParity() == 0) {
            return;
        }
        ParityLayout pl = ParityLayout.of(s.g, s.sb.dataParity());
        if (pl.end() > s.dax.nrPages()) {
            throw new ErrnoException(Errno.EUCLEAN, "fsck", "the data parity region of " + s.dax.name()
                    + " ends at block " + pl.end() + " but the device has " + s.dax.nrPages()
                    + " pages (the image was truncated)");
        }
        BitSet intent = new BitSet();
        for (long k = 0; k < pl.intentLen(); k++) {
            long first = k * ParityLayout.BITS_PER_INTENT_BLOCK;
            try {
                BitSet bits = BitSet.valueOf(DaxSeam.readBlock(s.dax, pl.intentStart() + k, "parity intent bitmap"));
                for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
                    if (first + i >= pl.stripes()) {
                        s.error("parity intent bitmap block " + (pl.intentStart() + k) + " marks stripe "
                                + (first + i) + ", past the last stripe " + (pl.stripes() - 1),
                                new Repair.RecomputeParity());
                        break;
                    }
                    intent.set((int) (first + i));
                }
            } catch (ErrnoException e) {
                s.error("parity intent bitmap block " + (pl.intentStart() + k) + " cannot be read (" + e.getMessage()
                        + "); mount recomputes the parity of every stripe it covers", new Repair.RecomputeParity());
                long count = Math.min(ParityLayout.BITS_PER_INTENT_BLOCK, pl.stripes() - first);
                intent.set((int) first, (int) (first + count));
            }
        }
        long mismatched = 0;
        long unreadable = 0;
        byte[] acc = new byte[PAGE];
        byte[] buf = new byte[PAGE];
        for (long st = 0; st < pl.stripes(); st++) {
            if (intent.get((int) st)) {
                continue;
            }
            Arrays.fill(acc, (byte) 0);
            boolean readable = true;
            for (long b = pl.firstBlock(st); b < pl.endBlock(st) && readable; b++) {
                readable = read(s, b, buf);
                if (readable) {
                    Parity.xor(acc, buf);
                }
            }
            if (!readable) {
                unreadable++;
                continue;
            }
            if (!read(s, pl.parityBlock(st), buf)) {
                s.error("parity block " + pl.parityBlock(st) + " of stripe " + st + " (blocks " + pl.firstBlock(st)
                        + ".." + (pl.endBlock(st) - 1) + ") cannot be read: no block of that stripe can be restored "
                        + "until it is recomputed", new Repair.RecomputeParity());
                continue;
            }
            if (!Arrays.equals(acc, buf)) {
                mismatched++;
                if (mismatched <= NAMED) {
                    s.error("parity of stripe " + st + " (blocks " + pl.firstBlock(st) + ".." + (pl.endBlock(st) - 1)
                            + ") does not match its data", new Repair.RecomputeParity());
                }
            }
        }
        if (mismatched > NAMED) {
            s.error((mismatched - NAMED) + " more stripes whose parity does not match their data",
                    new Repair.RecomputeParity());
        }
        if (!intent.isEmpty()) {
            s.note(intent.cardinality() + " stripes were being written when the filesystem stopped; mount "
                    + "recomputes their parity");
        }
        if (unreadable > 0) {
            s.note(unreadable + " stripes hold a poisoned block and were not checked (pmemfs recover --strategy "
                    + "restore rebuilds it from parity)");
        }
    }

    private static boolean read(FsckScan s, long block, byte[] buf) throws ErrnoException {
        DaxWindow w;
        try {
            w = s.dax.directAccess(block, 1, DaxAccessMode.ACCESS);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EHWPOISON) {
                throw e;
            }
            return false;
        }
        return w.read(0, buf, 0, PAGE).isComplete();
    }
}
