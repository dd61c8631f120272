package dev.pmemfs.media;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;

/**
 * {@code ndctl clear-errors}' work on an offline namespace (ndctl/namespace.c; reference §8.4): for
 * every region badblocks entry wholly inside the data area, the firmware's Clear Uncorrectable Error.
 * Entries that reach into the info block or memmap reservation are skipped, as ndctl skips them. The
 * cleared bytes keep whatever the poison left ("platform defined").
 */
public final class ClearErrors {
    private ClearErrors() {}

    /**
     * Clears every known error of the data area; the caller has taken the namespace offline.
     *
     * @return bytes cleared
     * @throws ErrnoException ENXIO when the firmware clears less than a whole entry
     *                        ("expected to clear: N actual: M", as ndctl reports it)
     */
    public static long run(Namespace ns) throws ErrnoException {
        long start = ns.dataOffset() >>> Namespace.SECTOR_SHIFT;
        long end = ns.size() >>> Namespace.SECTOR_SHIFT;
        long total = 0;
        for (BadRange r : ns.badblocks()) {
            if (r.startSector() < start || r.endSector() > end) {
                continue;
            }
            long want = r.nrSectors() << Namespace.SECTOR_SHIFT;
            long cleared = ns.clearPoison(r.startSector() << Namespace.SECTOR_SHIFT, want);
            if (cleared != want) {
                throw new ErrnoException(Errno.ENXIO, "clear-errors", ns.name() + ": sectors " + r.startSector()
                        + "+" + r.nrSectors() + ": expected to clear: " + want + " actual: " + cleared);
            }
            total += cleared;
        }
        return total;
    }
}
