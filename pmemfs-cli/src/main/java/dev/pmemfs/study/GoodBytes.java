package dev.pmemfs.study;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.PoisonRange;
import dev.pmemfs.recovery.Damage;
import dev.pmemfs.vfs.Syscalls;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counts the good bytes a recovery destroys and the poisoned bytes it did not bring back. Before it, every damaged file block is noted with the
 * bytes that still hold the file's data on the media (all but the poisoned clear units); after it, the
 * block is read back and each of those bytes that no longer holds its data counts as destroyed. Bytes
 * the poison took are not counted as destroyed: they were gone before any recovery ran; those that read
 * back as anything but the file's data after it are counted as lost (zero for a design that restores
 * them, the poisoned sectors for salvage, the whole poison for every block-level design).
 */
final class GoodBytes {
    private static final int BLOCK = FileModel.BLOCK;

    /** What the recoveries of one event cost: good bytes destroyed and poisoned bytes not brought back. */
    record Counted(long destroyed, long lost) {}

    /** One damaged block: its file, block number, expected content and which bytes were intact. */
    private record Probe(FileModel model, long block, byte[] expected, boolean[] intact) {}

    private final List<Probe> probes = new ArrayList<>();

    private GoodBytes() {}

    /** Notes the intact bytes of every workload file block among {@code hits}. */
    static GoodBytes before(Testbed t, WorkloadRun w, List<Damage.Hit> hits) {
        GoodBytes g = new GoodBytes();
        for (Damage.Hit h : hits) {
            if (!(h instanceof Damage.FileHit f)) {
                continue;
            }
            FileModel m = w.files().get(f.path());
            if (m == null) {
                continue;
            }
            for (long off = f.range().offset(); off < f.range().end(); off += BLOCK) {
                long block = off / BLOCK;
                if (block >= m.blocks()) {
                    continue;
                }
                long dev = t.ns.dataOffset() + f.deviceOffset() + (off - f.range().offset());
                boolean[] intact = new boolean[BLOCK];
                Arrays.fill(intact, true);
                for (PoisonRange p : t.ns.poisonRecords(dev, BLOCK)) {
                    long from = Math.max(p.range().offset(), dev) - dev;
                    long to = Math.min(p.range().end(), dev + BLOCK) - dev;
                    Arrays.fill(intact, (int) from, (int) to, false);
                }
                byte[] expected = new byte[BLOCK];
                m.expected(block, expected);
                g.probes.add(new Probe(m, block, expected, intact));
            }
        }
        return g;
    }

    /**
     * Reads every noted block back (as root) and counts the intact bytes that changed and the poisoned
     * bytes that do not read as the file's data; each block's model becomes what it now holds. A block
     * that still cannot be read is left as it was (nothing repaired there, so nothing counted yet).
     */
    Counted after(Testbed t) throws ErrnoException {
        Syscalls root = t.root();
        long destroyed = 0;
        long lost = 0;
        byte[] now = new byte[BLOCK];
        for (Probe p : probes) {
            int fd = root.open(p.model().path, Syscalls.O_RDONLY, 0);
            try {
                Arrays.fill(now, (byte) 0);
                int got = root.pread(fd, now, 0, BLOCK, p.block() * BLOCK);
                for (int i = 0; i < got; i++) {
                    if (now[i] != p.expected()[i]) {
                        if (p.intact()[i]) {
                            destroyed++;
                        } else {
                            lost++;
                        }
                    }
                }
                p.model().settle(p.block(), now);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EIO) {
                    throw e;
                }
                // Still unreadable: nothing was repaired here, so nothing was destroyed yet.
            } finally {
                root.close(fd);
            }
        }
        return new Counted(destroyed, lost);
    }
}
