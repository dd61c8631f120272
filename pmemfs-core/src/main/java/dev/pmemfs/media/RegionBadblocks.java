package dev.pmemfs.media;

import dev.pmemfs.errno.ErrnoException;
import java.util.List;

/**
 * The region's badblocks list (512-byte sectors, region-relative): what the driver knows is bad, kept
 * with the poison in {@link MediaState} and so persisted with it. The block and dax views re-base it by
 * the data offset.
 *
 * <p>Models block/badblocks.c's badblocks_set, badblocks_clear and badblocks_check over the list that
 * nvdimm's badrange code fills (reference §2).
 */
final class RegionBadblocks {
    private final MediaState state;

    RegionBadblocks(MediaState state) {
        this.state = state;
    }

    void set(long startSector, long nrSectors) throws ErrnoException {
        if (startSector < 0 || nrSectors <= 0 || startSector + nrSectors < startSector) {
            throw new IllegalArgumentException("bad sector range " + startSector + "+" + nrSectors);
        }
        state.badblocksSet(startSector, startSector + nrSectors);
    }

    void clear(long startSector, long nrSectors) throws ErrnoException {
        if (nrSectors <= 0) {
            return;
        }
        state.badblocksClear(startSector, startSector + nrSectors);
    }

    boolean check(long startSector, long nrSectors) {
        return nrSectors > 0 && state.badblocksOverlap(startSector, startSector + nrSectors);
    }

    long firstBad(long startSector, long nrSectors) {
        return nrSectors <= 0 ? -1 : state.firstBadSector(startSector, startSector + nrSectors);
    }

    List<BadRange> list(long startSector, long nrSectors) {
        return state.badblocks(startSector, startSector + nrSectors);
    }

    long ranges() {
        return state.badblockRanges();
    }
}
