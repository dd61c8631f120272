package dev.pmemfs.fs;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.List;

/**
 * COLLAPSE_RANGE and INSERT_RANGE: a file's extents shifted down or up by whole blocks, with their
 * reverse-map entries (xfs_collapse_file_space, xfs_insert_file_space, xfs_bmap_shift_extents). A small
 * shift is one transaction; a large one moves extents in bounded transactions in the order that never
 * lets a moved extent land on one still to move, as XFS does.
 */
final class ExtentShift {
    private static final int PAGE = FileIo.PAGE;

    private final Volume vol;
    private final Inactivation reaper;
    private final FileSpace space;

    ExtentShift(Volume vol, Inactivation reaper, FileSpace space) {
        this.vol = vol;
        this.reaper = reaper;
        this.space = space;
    }

    /** Blocks whose rmap entries one shifting transaction may rewrite (about 33 rmap blocks). */
    static final long SHIFT_BATCH_BLOCKS = 8192;
    /** Extents one shifting transaction may move (scattered extents each dirty their own rmap block). */
    static final int SHIFT_BATCH_EXTENTS = 64;

    /** FALLOC_FL_COLLAPSE_RANGE (xfs_collapse_file_space). */
    void collapse(Inode in, long offset, long len, long now) throws ErrnoException {
        if (offset % PAGE != 0 || len % PAGE != 0) {
            throw new ErrnoException(Errno.EINVAL, "fallocate", "collapse range not block aligned");
        }
        if (offset + len >= in.size) {
            throw new ErrnoException(Errno.EINVAL, "fallocate", "collapse range reaches end of file");
        }
        long from = offset / PAGE;
        long by = len / PAGE;
        // xfs_prepare_shift trims the blocks past EOF first, so that preallocation beyond EOF is not shifted
        // into the file (seen on XFS by the differential test; insert keeps them, as XFS does).
        long eofBlock = Math.ceilDiv(in.size, PAGE);
        if (!in.extents.overlapping(eofBlock, Long.MAX_VALUE).isEmpty()) {
            space.punchBlocks(in, eofBlock, Long.MAX_VALUE, now, "fallocate");
        }
        List<Extent> mapped = in.extents.overlapping(from, from + by);
        if (mapped.size() > Inactivation.FREE_BATCH) {
            space.punchBlocks(in, from, from + by, now, "fallocate");
        }
        List<Extent> moving = in.extents.overlapping(from + by, Long.MAX_VALUE);
        if (blocksOf(moving) <= SHIFT_BATCH_BLOCKS && moving.size() <= SHIFT_BATCH_EXTENTS) {
            // The common case: one transaction, all or nothing.
            vol.transact("fallocate", tx -> {
                reaper.freeBlocks(tx, in, from, from + by);
                in.extents.shiftDown(from, by);
                for (Extent x : moving) {
                    vol.rmap.set(tx, x.devBlock(), x.count(), in.ino, x.fileBlock() - by, 0);
                }
                in.size -= len;
                in.mtimeNs = in.ctimeNs = now;
                return null;
            });
            return;
        }
        // A large file: like xfs_collapse_file_space, move the extents down in bounded transactions,
        // lowest first (moved extents always land below the ones still to move), then shrink.
        vol.transact("fallocate", tx -> {
            reaper.freeBlocks(tx, in, from, from + by);
            return null;
        });
        long cursor = from + by;
        while (true) {
            long c = cursor;
            Long next = vol.transact("fallocate", tx -> {
                long moved = 0;
                long cur = c;
                int n = 0;
                for (Extent x : in.extents.overlapping(cur, Long.MAX_VALUE)) {
                    if (moved > 0 && (moved + x.count() > SHIFT_BATCH_BLOCKS || n == SHIFT_BATCH_EXTENTS)) {
                        break;
                    }
                    n++;
                    tx.dirty(in);
                    in.extents.remove(x.fileBlock(), x.end());
                    in.extents.insert(x.shifted(-by));
                    vol.rmap.set(tx, x.devBlock(), x.count(), in.ino, x.fileBlock() - by, 0);
                    moved += x.count();
                    cur = x.end();
                }
                return moved == 0 ? null : cur;
            });
            if (next == null) {
                break;
            }
            cursor = next;
        }
        vol.transact("fallocate", tx -> {
            tx.dirty(in);
            in.size -= len;
            in.mtimeNs = in.ctimeNs = now;
            return null;
        });
    }

    private static long blocksOf(List<Extent> extents) {
        long n = 0;
        for (Extent x : extents) {
            n += x.count();
        }
        return n;
    }

    /** FALLOC_FL_INSERT_RANGE (xfs_insert_file_space). */
    void insert(Inode in, long offset, long len, long maxBytes, long now) throws ErrnoException {
        if (offset % PAGE != 0 || len % PAGE != 0) {
            throw new ErrnoException(Errno.EINVAL, "fallocate", "insert range not block aligned");
        }
        // xfs_file_fallocate's order: the new size is checked before the offset.
        if (maxBytes - in.size < len) {
            throw new ErrnoException(Errno.EFBIG, "fallocate", "file would exceed the maximum size");
        }
        if (offset >= in.size) {
            throw new ErrnoException(Errno.EINVAL, "fallocate", "insert offset at or beyond end of file");
        }
        if (in.extents.size() + 1 >= InodeTable.MAX_EXTENTS) {
            throw new ErrnoException(Errno.ENOSPC, "fallocate", "inode " + in.ino + " has the maximum number of extents");
        }
        long from = offset / PAGE;
        long by = len / PAGE;
        List<Extent> moving = in.extents.overlapping(from, Long.MAX_VALUE);
        if (blocksOf(moving) <= SHIFT_BATCH_BLOCKS && moving.size() <= SHIFT_BATCH_EXTENTS) {
            vol.transact("fallocate", tx -> {
                tx.dirty(in);
                in.extents.shiftUp(from, by);
                for (Extent x : moving) {
                    vol.rmap.set(tx, x.devBlock(), x.count(), in.ino, x.fileBlock() + by, 0);
                }
                in.size += len;
                in.mtimeNs = in.ctimeNs = now;
                return null;
            });
            return;
        }
        // xfs_insert_file_space: grow first, then move extents up in bounded transactions, highest
        // first (moved extents always land above the ones still to move).
        vol.transact("fallocate", tx -> {
            tx.dirty(in);
            in.extents.split(from);
            in.size += len;
            in.mtimeNs = in.ctimeNs = now;
            return null;
        });
        long cursor = Long.MAX_VALUE;
        while (true) {
            long c = cursor;
            Long next = vol.transact("fallocate", tx -> {
                List<Extent> left = in.extents.overlapping(from, c);
                long moved = 0;
                long cur = c;
                int n = 0;
                for (int i = left.size() - 1; i >= 0; i--) {
                    Extent x = left.get(i);
                    if (moved > 0 && (moved + x.count() > SHIFT_BATCH_BLOCKS || n == SHIFT_BATCH_EXTENTS)) {
                        break;
                    }
                    n++;
                    tx.dirty(in);
                    in.extents.remove(x.fileBlock(), x.end());
                    in.extents.insert(x.shifted(by));
                    vol.rmap.set(tx, x.devBlock(), x.count(), in.ino, x.fileBlock() + by, 0);
                    moved += x.count();
                    cur = x.fileBlock();
                }
                return moved == 0 ? null : cur;
            });
            if (next == null) {
                break;
            }
            cursor = next;
        }
    }
}
