package dev.pmemfs.pmem;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.dax.DaxCore;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.dax.DaxHolder;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.BadRange;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The pmem driver bound to one namespace: its dax device and (except for devdax) its block device.
 * Mirrors {@code struct pmem_device}, pmem_attach_disk and pmem_pagemap_memory_failure
 * (drivers/nvdimm/pmem.c; reference §1.2, §7.2).
 *
 * <p>A test gets a device in three lines:
 * <pre>{@code
 * try (Namespace ns = Namespace.create(tmp.resolve("ns.img"), NamespaceConfig.of(64 << 20))) {
 *     Pmem pmem = Pmem.attach(ns);
 *     DaxDevice dax = pmem.dax();          // "pmem0", pages of the data area
 *     BlockDevice bdev = pmem.block();     // "pmem0", sectors of the data area
 *     ...
 * }
 * }</pre>
 * Poison for tests: {@code ns.injectError(ns.dataOffset() + devOffset, len, notify)} (notify = known,
 * in badblocks; otherwise latent), or {@code bdev.badblocksStore("sector count")}; crash tests create the
 * namespace with a {@link dev.pmemfs.media.TrackingPersistence} (see there). Attaching registers the
 * namespace's memory-failure listener, so one namespace should have one attached driver at a time.
 */
public final class Pmem {
    private static final int PAGE_SIZE = DaxDevice.PAGE_SIZE;

    private final Namespace ns;
    private final PmemBlock block;
    private final DaxCore dax;

    private Pmem(Namespace ns) {
        this.ns = ns;
        this.block = PmemBlock.attach(ns);
        String daxName = ns.mode() == NamespaceMode.DEVDAX ? ns.chardevName() : ns.blockdevName();
        this.dax = new DaxCore(daxName, new PmemDax(block));
        ns.setMemoryFailureListener(this::pagemapMemoryFailure);
    }

    /**
     * Binds the driver to {@code ns} whatever its enable state (tests that own their namespace); what a
     * system does is {@link #probe}.
     */
    public static Pmem attach(Namespace ns) {
        return new Pmem(Objects.requireNonNull(ns, "ns"));
    }

    /**
     * {@code nd_pmem_probe}: binds the driver to an enabled namespace. A disabled namespace (or one in a
     * disabled region) has no driver and no device node: ENXIO, naming what is disabled and how to
     * enable it.
     */
    public static Pmem probe(Namespace ns) throws ErrnoException {
        Objects.requireNonNull(ns, "ns");
        if (!ns.enabled()) {
            String what = ns.regionEnabled() ? ns.name() + " is disabled" : ns.regionName() + " (holding " + ns.name()
                    + ") is disabled";
            String how = ns.regionEnabled() ? "ndctl enable-namespace " + ns.name() : "ndctl enable-region " + ns.regionName();
            throw new ErrnoException(Errno.ENXIO, "nd_pmem_probe", what + ": /dev/"
                    + (ns.mode() == NamespaceMode.DEVDAX ? ns.chardevName() : ns.blockdevName())
                    + " does not exist until it is enabled ('pmemfs " + how + "')");
        }
        return new Pmem(ns);
    }

    public Namespace namespace() {
        return ns;
    }

    /** The dax device ("pmemN" for fsdax/raw, "daxN.0" for devdax). */
    public DaxDevice dax() {
        return dax;
    }

    /** The block device; IllegalStateException for a devdax namespace, which has none. */
    public BlockDevice block() {
        if (!block.exposed()) {
            throw new IllegalStateException(ns.name() + " is devdax: it has no block device, only " + ns.chardevName());
        }
        return block;
    }

    /** The block device, empty for devdax. */
    public Optional<BlockDevice> blockDevice() {
        return block.exposed() ? Optional.of(block) : Optional.empty();
    }

    /**
     * The badblocks of {@code ns}'s data area in device sectors (re-based by the data offset, the
     * reservation left out), ascending and merged: what the driver's {@code bb} holds, read without
     * attaching a driver (ndctl list reads sysfs, it binds nothing).
     */
    public static List<BadRange> deviceBadblocks(Namespace ns) {
        long base = ns.dataOffset() >>> BlockDevice.SECTOR_SHIFT;
        List<BadRange> out = new ArrayList<>();
        for (BadRange r : ns.badblocks(base, ns.dataSize() >>> BlockDevice.SECTOR_SHIFT)) {
            out.add(new BadRange(r.startSector() - base, r.nrSectors()));
        }
        return out;
    }

    /**
     * {@code pmem_pagemap_memory_failure}: a load consumed poison at namespace byte {@code nsOffset};
     * translate to whole device pages and notify the holder with MF_ACTION_REQUIRED. Poison in the
     * info-block reservation has no page (ENXIO in Linux): ignored. The holder's error goes back to
     * the load that consumed the poison (media hands it to the copy's result).
     */
    private void pagemapMemoryFailure(long nsOffset, long len) throws ErrnoException {
        long dev = nsOffset - block.dataOffset();
        if (dev < 0 || dev >= block.capacityBytes()) {
            return;
        }
        long start = dev & -PAGE_SIZE;
        long end = (dev + len + PAGE_SIZE - 1) & -PAGE_SIZE;
        dax.holderNotifyFailure(start, end - start, DaxHolder.MF_ACTION_REQUIRED);
    }

    /**
     * Unbinds the driver: the holder hears MF_MEM_PRE_REMOVE, the dax device dies (ENXIO from then
     * on), and the namespace forgets the listener.
     */
    public void detach() throws ErrnoException {
        try {
            dax.kill();
        } finally {
            ns.setMemoryFailureListener(null);
        }
    }
}
