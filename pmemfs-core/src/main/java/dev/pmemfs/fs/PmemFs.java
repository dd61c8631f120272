package dev.pmemfs.fs;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The entry point of the fs layer: {@link #mkfs} formats a pmem device and {@link #mount} mounts it
 * (replaying the journal and freeing orphans), returning the {@link FileSystem}.
 */
public final class PmemFs {
    private PmemFs() {}

    /** Root directory permission bits at mkfs. */
    static final int ROOT_MODE = 0755;

    /** Formats the device: superblocks, empty journal, bitmaps, root directory. Returns the geometry summary. */
    public static String mkfs(DaxDevice dax, BlockDevice bdev, MkfsOptions opts) throws ErrnoException {
        return mkfs(dax, bdev, opts, InstantSource.system());
    }

    /** {@link #mkfs(DaxDevice, BlockDevice, MkfsOptions)} with the root directory's times from {@code clock}. */
    public static String mkfs(DaxDevice dax, BlockDevice bdev, MkfsOptions opts, InstantSource clock)
            throws ErrnoException {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(dax, "dax");
        Objects.requireNonNull(bdev, "bdev");
        Objects.requireNonNull(opts, "opts");
        long pages = dax.nrPages();
        long total = pages;
        if (total < Geometry.MIN_BLOCKS) {
            throw new ErrnoException(Errno.EINVAL, "mkfs", dax.name() + " has " + total + " blocks; pmemfs needs at least "
                    + Geometry.MIN_BLOCKS + " (" + (Geometry.MIN_BLOCKS * FileSystem.BLOCK_SIZE >> 20) + " MiB)");
        }
        if (total >= Geometry.MAX_BLOCKS) {
            throw new ErrnoException(Errno.EINVAL, "mkfs", dax.name() + " is larger than 16 TiB");
        }
        if (opts.journalBlocks() != 0 && opts.journalBlocks() < 256) {
            throw new ErrnoException(Errno.EINVAL, "mkfs", "journal of " + opts.journalBlocks()
                    + " blocks is too small (at least 256)");
        }
        int n = opts.dataParity();
        if (n > 0) {
            // The filesystem ends where its parity region must begin (docs/FORMAT.md "Data parity").
            total = ParityLayout.fsBlocks(pages, n, t -> Geometry.compute(t,
                    opts.inodes() > 0 ? opts.inodes() : Geometry.defaultInodes(t), opts.journalBlocks(),
                    opts.metaReplicas()));
            if (total < Geometry.MIN_BLOCKS) {
                throw new ErrnoException(Errno.EINVAL, "mkfs", dax.name() + " has " + pages + " blocks: too few for "
                        + "a filesystem of " + Geometry.MIN_BLOCKS + " blocks and its data parity at data_parity=" + n);
            }
        }
        long inodes = opts.inodes() > 0 ? opts.inodes() : Geometry.defaultInodes(total);
        Geometry g = Geometry.compute(total, inodes, opts.journalBlocks(), opts.metaReplicas());
        if (g.fileDataStart() + 64 > total) {
            throw new ErrnoException(Errno.EINVAL, "mkfs", "metadata (" + g.dataStart() + " blocks) leaves no room "
                    + "for data on " + total + " blocks; use fewer inodes");
        }
        int fsid = ThreadLocalRandom.current().nextInt() | 1;
        long startSeq = ThreadLocalRandom.current().nextLong(1, 1L << 40);
        long rootIno = 1;
        Superblock sb = new Superblock(g, fsid, rootIno, startSeq, 0, opts.defaults(), true, n);
        MetaStore meta = new MetaStore(dax, bdev, sb);
        // The mirror region is zeroed (which clears poison): a lazily initialised inode-table or rmap block
        // and its copy must read alike, as empty, until the first write of the pair.
        if (g.mirrorLen() > 0) {
            bdev.issueZeroout(Volume.sector(g.mirrorStart()), g.mirrorLen() << (DaxDevice.PAGE_SHIFT
                    - BlockDevice.SECTOR_SHIFT));
        }
        // Block bitmap: every metadata region is in use.
        Bitmap used = new Bitmap(total);
        used.setRange(0, g.dataStart(), true);
        for (long k = 0; k < g.bbmLen(); k++) {
            byte[] img = new byte[MetaBlock.SIZE];
            long from = k * Geometry.BITS_PER_BITMAP_BLOCK;
            used.store(from, Math.min(Geometry.BITS_PER_BITMAP_BLOCK, total - from), img, MetaBlock.HEADER);
            MetaBlock.seal(img, MetaBlock.MAGIC_BBITMAP, g.bbmStart() + k, fsid);
            meta.write(g.bbmStart() + k, img);
        }
        Bitmap ibm = new Bitmap(g.inodeCount() + 1);
        ibm.set(0, true);
        ibm.set(rootIno, true);
        for (long k = 0; k < g.ibmLen(); k++) {
            byte[] img = new byte[MetaBlock.SIZE];
            long from = k * Geometry.BITS_PER_BITMAP_BLOCK;
            ibm.store(from, Math.min(Geometry.BITS_PER_BITMAP_BLOCK, ibm.size() - from), img, MetaBlock.HEADER);
            MetaBlock.seal(img, MetaBlock.MAGIC_IBITMAP, g.ibmStart() + k, fsid);
            meta.write(g.ibmStart() + k, img);
        }
        // The zero page, zeroed through the block path (which also clears any poison on it).
        bdev.issueZeroout(Volume.sector(Geometry.ZERO_PAGE), 8);
        byte[] orphans = OrphanList.image(java.util.List.of());
        MetaBlock.seal(orphans, MetaBlock.MAGIC_ORPHAN, Geometry.ORPHAN_BLOCK, fsid);
        meta.write(Geometry.ORPHAN_BLOCK, orphans);
        // The root inode, written through a transaction image sealed in place (no journal yet).
        Allocator alloc = new Allocator(used, g.dataStart());
        InodeTable table = new InodeTable(meta, ibm);
        Inode root = new Inode(rootIno);
        root.type = FileType.DIRECTORY;
        root.mode = ROOT_MODE;
        root.nlink = 2;
        long now = Volume.nanos(clock.instant());
        root.atimeNs = root.mtimeNs = root.ctimeNs = now;
        root.parent = rootIno;
        byte[] itab = new byte[MetaBlock.SIZE];
        Transaction tx = new Transaction(meta);
        tx.put(g.itabBlock(rootIno), MetaBlock.MAGIC_INODES, itab);
        table.log(tx, root, alloc, new Rmap(meta));
        for (var e : tx.sealed(fsid).entrySet()) {
            meta.write(e.getKey(), e.getValue());
        }
        dax.fence();
        String parity = "";
        if (n > 0) {
            ParityLayout pl = ParityLayout.of(g, n);
            Parity.format(dax, bdev, pl);
            parity = String.format(" data-parity=%d stripes=%d parity-blocks=%d (%.1f%% of %d)", n, pl.stripes(),
                    pl.regionBlocks(), 100.0 * pl.regionBlocks() / pages, pages);
        }
        // The superblocks last: until they are durable the device does not hold a pmemfs.
        meta.writeSuperblock(sb);
        return String.format("meta-data=%s blocks=%d bsize=%d inodes=%d journal=%d blocks data-start=%d fsid=%08x"
                + " meta_replicas=%d%s", dax.name(), total, FileSystem.BLOCK_SIZE, g.inodeCount(), g.journalLen(),
                g.dataStart(), fsid, g.replicas(), parity) + replicaSpace(g);
    }

    /**
     * What two copies cost in space, as mkfs prints it: the blocks holding copies (mirror region and the
     * pool's second half) and the pool's first half, reserved for directory, extent-list and symlink
     * blocks; "" with one copy.
     */
    static String replicaSpace(Geometry g) {
        if (g.replicas() < 2) {
            return "";
        }
        long copies = g.mirrorLen() + g.twinDistance();
        return String.format(java.util.Locale.ROOT, " copies=%d blocks (%.1f %%) metadata-pool=%d blocks (%.1f %%)",
                copies, 100.0 * copies / g.totalBlocks(), g.twinDistance(), 100.0 * g.twinDistance() / g.totalBlocks());
    }

    /** The mount options mkfs stored as this filesystem's defaults (what a mount without options gets). */
    public static MountOptions storedDefaults(DaxDevice dax) throws ErrnoException {
        return readSuperblock(Objects.requireNonNull(dax, "dax")).defaults();
    }

    /**
     * Whether the device already holds a pmemfs, decided from the two superblock copies alone (as
     * mkfs.xfs looks for an existing signature before it writes): a description of what is there, or
     * empty when neither copy carries the superblock magic. A copy with the magic that fails its
     * checksum still counts (a damaged filesystem is still a filesystem), and so does a copy that cannot
     * be read at all (poison): nothing proves the device is free. Never derived from fsck, so a bug in
     * the checker cannot make mkfs overwrite a filesystem.
     */
    public static java.util.Optional<String> existingFilesystem(DaxDevice dax) {
        Objects.requireNonNull(dax, "dax");
        String damaged = null;
        for (long b : new long[] {Geometry.SB_PRIMARY, Geometry.SB_BACKUP}) {
            byte[] img;
            try {
                img = DaxSeam.readBlock(dax, b, "superblock");
            } catch (ErrnoException e) {
                return java.util.Optional.of("its superblock block " + b + " cannot be read (" + e.getMessage()
                        + "), so it may hold a filesystem");
            }
            if (MetaBlock.magicOf(img) != MetaBlock.MAGIC_SUPER) {
                continue;
            }
            try {
                Superblock sb = Superblock.decode(img, b);
                return java.util.Optional.of(String.format("it holds a pmemfs (fsid %08x, %d blocks)", sb.fsid(),
                        sb.geometry().totalBlocks()));
            } catch (FsCorruptedException e) {
                if (damaged == null) {
                    damaged = "it holds a damaged pmemfs (" + e.getMessage() + ")";
                }
            }
        }
        return java.util.Optional.ofNullable(damaged);
    }

    /** Reads the superblock (primary, else the backup copy). */
    static Superblock readSuperblock(DaxDevice dax) throws ErrnoException {
        ErrnoException first = null;
        for (long b : new long[] {Geometry.SB_PRIMARY, Geometry.SB_BACKUP}) {
            try {
                return Superblock.decode(DaxSeam.readBlock(dax, b, "superblock"), b);
            } catch (ErrnoException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw new ErrnoException(Errno.EUCLEAN, "mount", dax.name() + " holds no valid pmemfs superblock ("
                + first.getMessage() + "); run mkfs, or fsck if it held a filesystem");
    }

    /**
     * Mounts: superblock, journal replay, the two allocation bitmaps (nothing else is read: inodes and
     * directories load on demand), orphan cleanup, and registration as the dax holder.
     *
     * @param options the options in force; null uses the defaults stored by mkfs
     */
    public static FileSystem mount(DaxDevice dax, BlockDevice bdev, MountOptions options) throws ErrnoException {
        return mount(dax, bdev, options, InstantSource.system());
    }

    /**
     * {@link #mount(DaxDevice, BlockDevice, MountOptions)} with every timestamp taken from {@code clock}
     * (the kernel's current_time(); tests pass a settable fake clock).
     */
    public static FileSystem mount(DaxDevice dax, BlockDevice bdev, MountOptions options, InstantSource clock)
            throws ErrnoException {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(dax, "dax");
        Objects.requireNonNull(bdev, "bdev");
        Superblock sb = readSuperblock(dax);
        if (sb.geometry().totalBlocks() > dax.nrPages()) {
            throw new ErrnoException(Errno.EINVAL, "mount", "filesystem of " + sb.geometry().totalBlocks()
                    + " blocks is larger than " + dax.name() + " (" + dax.nrPages() + " pages)");
        }
        Parity parity = null;
        if (sb.dataParity() > 0) {
            ParityLayout pl = ParityLayout.of(sb.geometry(), sb.dataParity());
            if (pl.end() > dax.nrPages()) {
                throw new ErrnoException(Errno.EINVAL, "mount", "the data parity of the filesystem ends at block "
                        + pl.end() + ", past the end of " + dax.name() + " (" + dax.nrPages() + " pages)");
            }
            // Replay and everything after it store through the parity layer, so parity follows them.
            parity = Parity.open(dax, bdev, pl);
            dax = new dev.pmemfs.dax.FilteredDax(dax, parity);
            bdev = new ParityBlockDevice(bdev, parity);
        }
        MetaStore meta = new MetaStore(dax, bdev, sb);
        meta.setHealOnRead(true);
        ReplayResult replay = meta.replay();
        if (parity != null) {
            // Stripes whose intent bit survived a crash: their parity is recomputed before first use.
            parity.sync();
        }
        Geometry g = meta.geometry();
        Bitmap used = loadBitmap(meta, g.bbmStart(), g.bbmLen(), g.totalBlocks(), MetaBlock.MAGIC_BBITMAP,
                "block bitmap");
        Bitmap ibm = loadBitmap(meta, g.ibmStart(), g.ibmLen(), g.inodeCount() + 1, MetaBlock.MAGIC_IBITMAP,
                "inode bitmap");
        Allocator alloc = new Allocator(used, g.dataStart(), g.twinDistance());
        InodeTable table = new InodeTable(meta, ibm);
        Volume vol = new Volume(dax, bdev, options != null ? options : sb.defaults(), meta, alloc, table, clock,
                parity);
        MountedFs fs = new MountedFs(vol, replay);
        fs.healKnownPoison();
        fs.processOrphans();
        dax.setHolder(fs);
        return fs;
    }

    /** What journal replay did when {@code fs} was mounted ("recovering journal" in mount's output). */
    public static ReplayResult journalReplay(FileSystem fs) {
        if (!(fs instanceof MountedFs m)) {
            throw new IllegalArgumentException("not a pmemfs mount: " + fs);
        }
        return m.replayResult();
    }

    static Bitmap loadBitmap(MetaStore meta, long start, long len, long nbits, int magic, String what)
            throws ErrnoException {
        Bitmap bm = new Bitmap(nbits);
        for (long k = 0; k < len; k++) {
            byte[] img = meta.get(start + k, magic, what, false);
            long from = k * Geometry.BITS_PER_BITMAP_BLOCK;
            bm.load(from, Math.min(Geometry.BITS_PER_BITMAP_BLOCK, nbits - from), img, MetaBlock.HEADER);
        }
        return bm;
    }
}
