package dev.pmemfs.fs;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.dax.DaxWindow;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metadata block I/O: verified reads (checksum, poison), the committed-but-not-checkpointed images,
 * a bounded cache of clean images, the journal, checkpoints and the two superblock copies. The
 * buffer-cache-plus-log part of the filesystem (xfs_buf + xfs_log in spirit).
 *
 * <p>Metadata replicas ({@code meta_replicas=2}): every in-place write of a metadata block writes its
 * copy too ({@link Geometry#replicaOf}), in the same checkpoint or replay, before the fence that lets
 * the journal tail move, so a crash leaves the log able to rewrite both. A read whose primary copy is
 * poisoned or fails its checks uses the copy when that one verifies; a mounted filesystem then
 * rewrites the damaged copy in place (through the block path, which clears poison) and logs one line,
 * as Btrfs's read-repair does for a bad mirror. fsck reads the same way but writes nothing: it collects
 * the damaged copies ({@link #damagedCopies}) and repairs them with the rest of its plan.
 *
 * <p>Called with the transaction lock held (lock order: inode → journal → allocator).
 */
final class MetaStore implements Journal.BlockIo {
    private static final int CLEAN_CACHE_BLOCKS = 8192;

    private final DaxDevice dax;
    private final BlockDevice bdev;
    private final Geometry geometry;
    private final int fsid;
    private Superblock superblock;
    private final Journal journal;
    /** Committed images not yet written in place. */
    private final LinkedHashMap<Long, byte[]> dirty = new LinkedHashMap<>();
    private final LinkedHashMap<Long, byte[]> clean = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > CLEAN_CACHE_BLOCKS;
        }
    };
    /** Blocks freed since the last checkpoint: not to be cached once written in place. */
    private final java.util.HashSet<Long> forgotten = new java.util.HashSet<>();
    /** Told of each metadata block found poisoned on read (the mount records it as a media failure). */
    private java.util.function.BiConsumer<Long, String> poisonListener;
    private static final System.Logger LOG = System.getLogger(MetaStore.class.getName());
    /** Whether a read that falls back on a replica rewrites the damaged copy (a mount) or only notes it (fsck). */
    private boolean healOnRead;
    /** Copies found damaged and not rewritten (fsck): block → why. */
    private final Map<Long, String> damagedCopies = new java.util.TreeMap<>();
    /** One line per copy rewritten from the other, in order (what was logged). */
    private final List<String> heals = new ArrayList<>();
    /**
     * Whether a block of the data area is an allocated metadata block (the mount asks its rmap): only
     * those have a copy, every other data-area block is file data that healing must never touch.
     */
    private java.util.function.LongPredicate allocatedMetadata = b -> false;
    private long commits;
    private long mediaReads;
    private long checkpoints;

    MetaStore(DaxDevice dax, BlockDevice bdev, Superblock sb) {
        this.dax = dax;
        this.bdev = bdev;
        this.geometry = sb.geometry();
        this.fsid = sb.fsid();
        this.superblock = sb;
        this.journal = new Journal(this, geometry.journalStart(), geometry.journalLen(), fsid, sb.tailSeq(),
                sb.tailPos());
    }

    void setPoisonListener(java.util.function.BiConsumer<Long, String> l) {
        poisonListener = l;
    }

    void setAllocatedMetadata(java.util.function.LongPredicate p) {
        allocatedMetadata = p;
    }

    /** A mount heals damaged copies as it reads them; fsck (the default) only notes them. */
    void setHealOnRead(boolean heal) {
        healOnRead = heal;
    }

    /** Copies found damaged and not rewritten, block → why (fsck's replica pass reports them). */
    Map<Long, String> damagedCopies() {
        return damagedCopies;
    }

    /** What was healed so far, one line each, as logged. */
    List<String> heals() {
        synchronized (heals) {
            return List.copyOf(heals);
        }
    }

    Geometry geometry() {
        return geometry;
    }

    int fsid() {
        return fsid;
    }

    Superblock superblock() {
        return superblock;
    }

    long commits() {
        return commits;
    }

    long checkpoints() {
        return checkpoints;
    }

    /** Metadata blocks read from the media (cache misses) so far. */
    long mediaReads() {
        return mediaReads;
    }

    /** Mount: replays the journal in place and records the new tail in both superblocks. */
    ReplayResult replay() throws ErrnoException {
        ReplayResult r = journal.replay(superblock.tailSeq(), superblock.tailPos());
        writeSuperblock(superblock.withTail(journal.headSeq(), journal.headPos(), false));
        return r;
    }

    /**
     * The current image of a metadata block, verified; never modify the returned array. Returns null
     * for a lazily initialised block that was never written (only when {@code staleIsEmpty}).
     */
    byte[] get(long block, int magic, String structure, boolean staleIsEmpty) throws ErrnoException {
        byte[] img = dirty.get(block);
        if (img == null) {
            img = clean.get(block);
        }
        if (img == null) {
            mediaReads++;
            try {
                img = DaxSeam.readBlock(dax, block, structure);
                if (!MetaBlock.verify(img, magic, block, fsid, structure, staleIsEmpty)) {
                    return null;
                }
            } catch (ErrnoException e) {
                img = fromReplica(block, magic, structure, staleIsEmpty, e);
                if (img == null) {
                    return null;
                }
            }
            clean.put(block, img);
        }
        return img;
    }

    /**
     * The primary copy of {@code block} failed ({@code why}): the verified replica's image (null when it
     * reads as empty), after rewriting the primary from it on a mount; {@code why} again when there is no
     * usable replica.
     */
    private byte[] fromReplica(long block, int magic, String structure, boolean staleIsEmpty, ErrnoException why)
            throws ErrnoException {
        long r = geometry.replicaOf(block);
        byte[] copy = null;
        boolean ours = false;
        if (r >= 0) {
            try {
                copy = DaxSeam.readBlock(dax, r, structure + " replica");
                ours = MetaBlock.verify(copy, magic, block, fsid, structure, staleIsEmpty);
            } catch (ErrnoException e) {
                copy = null;
            }
        }
        if (copy == null) {
            if (why.errno() == Errno.EIO && poisonListener != null) {
                poisonListener.accept(block, structure);
            }
            throw why;
        }
        repairCopy(block, r, copy, structure, why.getMessage());
        return ours ? copy : null;
    }

    /** Rewrites damaged copy {@code bad} from {@code img} (a mount), or notes it for fsck. */
    private void repairCopy(long bad, long good, byte[] img, String structure, String why) {
        if (!healOnRead) {
            damagedCopies.putIfAbsent(bad, why);
            return;
        }
        if (check(bad).bad == null) {
            return; // healed meanwhile (a memory-failure notice of the same read got there first)
        }
        String line;
        try {
            writeOne(bad, img);
            dax.fence();
            line = structure + " block " + bad + ": " + why + "; rewrote it from its copy in block " + good;
        } catch (ErrnoException e) {
            line = structure + " block " + bad + ": " + why + "; read its copy in block " + good
                    + ", but rewriting it failed: " + e.getMessage();
        }
        String text = dax.name() + ": " + line;
        LOG.log(System.Logger.Level.WARNING, text);
        synchronized (heals) {
            heals.add(text);
        }
    }

    /**
     * Heals metadata block {@code block} if it is a replicated one that holds damage (poison or failed
     * checks), from the copy that verifies; a mount calls it for every known-bad block (at mount, sync,
     * unmount and on a memory-failure notice). True when a copy was rewritten. Damage in both copies is
     * left for the read that needs the block to report.
     */
    boolean heal(long block) throws ErrnoException {
        long primary = geometry.primaryOf(block);
        long replica = primary == block ? geometry.replicaOf(block) : block;
        if (primary < 0 || replica < 0 || (primary >= geometry.dataStart() && !allocatedMetadata.test(primary))) {
            return false;
        }
        Checked p = check(primary);
        Checked c = check(replica);
        if ((p.bad == null) == (c.bad == null)) {
            return false; // both good, or both damaged (the read that needs it reports that)
        }
        if (p.bad != null) {
            repairCopy(primary, replica, c.img, geometry.structureOf(primary), p.bad);
        } else {
            repairCopy(replica, primary, p.img, geometry.structureOf(primary) + " replica", c.bad);
        }
        return true;
    }

    /**
     * Heals every replicated metadata block the driver knows to be bad ({@link #heal}); the number of
     * copies rewritten. Nothing with one copy.
     */
    int healKnownPoison() throws ErrnoException {
        if (geometry.replicas() < 2) {
            return 0;
        }
        int n = 0;
        for (var r : dax.knownBadRanges()) {
            long first = r.offset() >> DaxDevice.PAGE_SHIFT;
            long end = Math.min(geometry.totalBlocks(), (r.offset() + r.length() + DaxDevice.PAGE_SIZE - 1)
                    >> DaxDevice.PAGE_SHIFT);
            for (long b = first; b < end; b++) {
                if (heal(b)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** A block as read from the media, or why it cannot be used (poison, or it fails its checks). */
    private record Checked(byte[] img, String bad) {}

    private Checked check(long at) {
        long primary = geometry.primaryOf(at);
        String structure = geometry.structureOf(primary);
        try {
            byte[] img = DaxSeam.readBlock(dax, at, structure);
            MetaBlock.verify(img, geometry.magicOf(primary, img), primary, fsid, structure, geometry.lazy(primary));
            return new Checked(img, null);
        } catch (ErrnoException e) {
            return new Checked(null, e.getMessage());
        }
    }

    /** A private copy of the current image to modify, or a fresh zeroed block when it is empty. */
    byte[] edit(long block, int magic, String structure, boolean staleIsEmpty) throws ErrnoException {
        byte[] img = get(block, magic, structure, staleIsEmpty);
        return img == null ? new byte[MetaBlock.SIZE] : img.clone();
    }

    /**
     * A freed metadata block may become file data, written behind this cache's back: forget the clean
     * copy. A committed image stays until the checkpoint (the block stays busy until then).
     */
    void forget(long block) {
        clean.remove(block);
        forgotten.add(block);
    }

    /** Commits one transaction: journals the sealed images, then keeps them for the next checkpoint. */
    void commit(Map<Long, byte[]> images) throws ErrnoException {
        commit(images, Map.of());
    }

    /**
     * Commits one transaction whose record also carries whole file data blocks ({@code data}, raw
     * content, marked {@link Journal#DATA_TARGET}). Those are not kept for the checkpoint: the caller
     * writes them in place ({@link #writeData}) and checkpoints before the file may change them again,
     * so a later replay never writes old content over newer data.
     */
    void commit(Map<Long, byte[]> images, Map<Long, byte[]> data) throws ErrnoException {
        if (images.isEmpty() && data.isEmpty()) {
            return;
        }
        if (!journal.fits(images.size() + data.size())) {
            checkpoint();
        }
        List<Long> targets = new ArrayList<>(images.keySet());
        List<byte[]> imgs = new ArrayList<>(images.values());
        for (Map.Entry<Long, byte[]> e : data.entrySet()) {
            targets.add(e.getKey() | Journal.DATA_TARGET);
            imgs.add(e.getValue());
        }
        journal.append(targets, imgs);
        for (Map.Entry<Long, byte[]> e : images.entrySet()) {
            clean.remove(e.getKey());
            dirty.put(e.getKey(), e.getValue());
        }
        commits++;
    }

    /** Whether a committed image of {@code block} waits for the checkpoint (or, in fsck, for replay). */
    boolean isDirty(long block) {
        return dirty.containsKey(block);
    }

    /** fsck without repair: journaled images are read as current, but nothing is written. */
    void commitOverlay(Map<Long, byte[]> images) {
        dirty.putAll(images);
    }

    /** Writes every committed image in place, fences, and moves the journal tail to the head. */
    void checkpoint() throws ErrnoException {
        if (dirty.isEmpty()) {
            return;
        }
        for (Map.Entry<Long, byte[]> e : dirty.entrySet()) {
            write(e.getKey(), e.getValue());
        }
        dax.fence();
        // Only now may the tail move: a crash before this superblock write replays from the old tail,
        // whose records are still intact because nothing is logged until the new tail is durable.
        journal.checkpointed();
        writeSuperblock(superblock.withTail(journal.headSeq(), journal.headPos(), false));
        for (Map.Entry<Long, byte[]> e : dirty.entrySet()) {
            if (!forgotten.contains(e.getKey())) {
                clean.put(e.getKey(), e.getValue());
            }
        }
        forgotten.clear();
        dirty.clear();
        checkpoints++;
    }

    /** Clean unmount: checkpoint and mark both superblocks clean. */
    void close() throws ErrnoException {
        checkpoint();
        writeSuperblock(superblock.withTail(journal.headSeq(), journal.headPos(), true));
    }

    /** Primary first, then the backup, each fenced: a torn primary leaves the backup valid. */
    void writeSuperblock(Superblock sb) throws ErrnoException {
        write(Geometry.SB_PRIMARY, sb.encode(Geometry.SB_PRIMARY));
        dax.fence();
        write(Geometry.SB_BACKUP, sb.encode(Geometry.SB_BACKUP));
        dax.fence();
        superblock = sb;
    }

    @Override
    public byte[] read(long block) throws ErrnoException {
        return DaxSeam.readBlock(dax, block, "journal");
    }

    /**
     * Stores a whole metadata block in place, and its replica when it has one (both flushed; the caller
     * fences): see {@link #writeOne}.
     */
    @Override
    public void write(long block, byte[] img) throws ErrnoException {
        writeOne(block, img);
        long r = geometry.replicaOf(block);
        if (r >= 0) {
            writeOne(r, img);
        }
    }

    /**
     * Stores a whole block through direct access (flushed); a poisoned block goes through the block
     * write path instead, which clears the poison first (pmem_do_write).
     */
    void writeOne(long block, byte[] img) throws ErrnoException {
        DaxWindow w;
        try {
            w = dax.directAccess(block, 1, DaxAccessMode.ACCESS);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EHWPOISON) {
                throw e;
            }
            bdev.submitWrite(block << (DaxDevice.PAGE_SHIFT - BlockDevice.SECTOR_SHIFT), img, 0, img.length);
            return;
        }
        w.write(0, img, 0, img.length);
    }

    /**
     * Rewrites file data block {@code block} whole with {@code img}: a plain DAX store when it holds no
     * known poison, else the driver's recovery write, which clears the poison, stores the page and drops
     * the badblocks records only once the data is durable (a clear that fails or falls short writes
     * nothing and keeps the records). True when the block now reads without error.
     */
    @Override
    public boolean writeData(long block, byte[] img) throws ErrnoException {
        DaxWindow w;
        try {
            w = dax.directAccess(block, 1, DaxAccessMode.ACCESS);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EHWPOISON) {
                throw e;
            }
            w = dax.directAccess(block, 1, DaxAccessMode.RECOVERY_WRITE);
            if (dax.recoveryWrite(w, 0, img, 0, img.length) != img.length) {
                return false;
            }
            try {
                dax.directAccess(block, 1, DaxAccessMode.ACCESS);
                return true;
            } catch (ErrnoException again) {
                if (again.errno() != Errno.EHWPOISON) {
                    throw again;
                }
                return false; // the firmware cleared nothing: copied, but the records stay
            }
        }
        w.write(0, img, 0, img.length);
        return true;
    }

    @Override
    public long deviceBlocks() {
        return geometry.totalBlocks();
    }

    @Override
    public void fence() {
        dax.fence();
    }
}
