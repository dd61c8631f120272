package dev.pmemfs.media;

/** A badblocks entry: {@code nrSectors} 512-byte sectors from {@code startSector}, as sysfs prints it. */
public record BadRange(long startSector, long nrSectors) {
    public BadRange {
        if (startSector < 0 || nrSectors <= 0) {
            throw new IllegalArgumentException("bad sector range " + startSector + "+" + nrSectors);
        }
    }

    public long endSector() {
        return startSector + nrSectors;
    }

    /** The same range in bytes. */
    public ByteRange toByteRange() {
        return new ByteRange(startSector << 9, nrSectors << 9);
    }
}
