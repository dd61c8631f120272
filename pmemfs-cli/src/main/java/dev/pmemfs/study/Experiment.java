package dev.pmemfs.study;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.BlockOwner;
import dev.pmemfs.fs.FileExtent;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.media.ByteRange;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.recovery.Damage;
import dev.pmemfs.recovery.FileRange;
import dev.pmemfs.recovery.Privilege;
import dev.pmemfs.recovery.Strategy;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.Stat;
import dev.pmemfs.vfs.Syscalls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * One strategy's run: a fresh namespace under the pairing's mount profile, the workload set up, then
 * for every planned poison event — inject it, scrub when it was latent, find the damage through the
 * rmap, let the strategy repair each damaged file as its user would (timed), count the good bytes that
 * went with it, let the workload write on, and measure. The run stops at its first failure (ENOSPC,
 * EIO, EUCLEAN, ...), which the last step records.
 */
final class Experiment {
    private static final int BLOCK = FileModel.BLOCK;

    private final StudyConfig config;
    private final Pairing pairing;
    private final List<PoisonEvent> plan;
    private final Consumer<String> progress;

    Experiment(StudyConfig config, Pairing pairing, List<PoisonEvent> plan, Consumer<String> progress) {
        this.config = config;
        this.pairing = pairing;
        this.plan = plan;
        this.progress = progress;
    }

    StrategyRun run(Path dir) throws IOException, ErrnoException {
        Strategy strategy = pairing.strategy();
        List<StepMetrics> steps = new ArrayList<>();
        List<Long> latencies = new ArrayList<>();
        try (Testbed t = Testbed.create(dir, config.sizeBytes(), pairing.mkfsOptions(), pairing.options())) {
            long freeBytes = t.fs().statfs().freeBlocks() * BLOCK;
            WorkloadRun w = config.workload().start(freeBytes, config.seed());
            String failure = null;
            try {
                w.setUp(t.owner());
            } catch (ErrnoException e) {
                failure = e.errno().name();
            }
            State s = new State();
            steps.add(measure(0, t, w, s, 0, failure, null, null));
            progress.accept(pairing.text() + ": set up");
            DeviceMap before = DeviceMaps.of(t, w);
            for (PoisonEvent e : plan) {
                if (failure != null) {
                    break;
                }
                long nanos = 0;
                String where = "nothing to hit";
                try {
                    ByteRange hit = Placement.inject(t, w, e);
                    where = describe(t, e, hit);
                    noteMetadata(t, hit, s);
                    if (hit != null && !e.known()) {
                        t.ns.scrub(); // ARS finds the latent error before anyone reads it
                    }
                    List<Damage.Hit> hits = Damage.find(t.fs());
                    GoodBytes good = GoodBytes.before(t, w, hits);
                    nanos = recover(t, w, hits, latencies);
                    GoodBytes.Counted counted = good.after(t);
                    s.destroyed += counted.destroyed();
                    s.lost += counted.lost();
                    w.between(t.owner());
                } catch (ErrnoException ex) {
                    failure = ex.errno().name();
                    where = where + "; stopped: " + ex.getMessage();
                }
                steps.add(measure(e.index(), t, w, s, nanos, failure, steps.getLast(), where));
                failure = steps.getLast().failure();
                progress.accept(pairing.text() + ": event " + e.index());
            }
            DeviceMap after = t.mounted() ? DeviceMaps.of(t, w)
                    : DeviceMaps.poisonOnly(t.ns, before.totalBlocks());
            return new StrategyRun(strategy.name(), strategy.privilege().text(), pairing.profileText(), steps,
                    before, after, latencies, unreadableAfterRemount(t, w));
        }
    }

    /**
     * Unmounts and mounts again, as the next boot would, and counts the workload's files that no longer
     * stat or read whole (as root); -1 when the filesystem does not mount. Damage a mounted filesystem
     * works around from memory (a poisoned inode-table block whose inodes are cached) shows here.
     */
    private static long unreadableAfterRemount(Testbed t, WorkloadRun w) {
        try {
            t.remount();
        } catch (ErrnoException e) {
            return -1;
        }
        long unreadable = 0;
        byte[] buf = new byte[1 << 20];
        for (String path : w.files().keySet()) {
            try {
                Syscalls root = t.root();
                int fd = root.open(path, Syscalls.O_RDONLY, 0);
                try {
                    long size = root.fstat(fd).size();
                    for (long pos = 0; pos < size; ) {
                        int n = root.pread(fd, buf, 0, (int) Math.min(buf.length, size - pos), pos);
                        if (n <= 0) {
                            throw new ErrnoException(Errno.EIO, "pread", path + ": short read at " + pos);
                        }
                        pos += n;
                    }
                } finally {
                    root.close(fd);
                }
            } catch (ErrnoException e) {
                unreadable++;
            }
        }
        return unreadable;
    }

    /** Running totals of a run. */
    private static final class State {
        long destroyed;
        long lost;
        /** Data-area blocks that were metadata when poison hit them. */
        final TreeSet<Long> metadataHit = new TreeSet<>();
    }

    /** Where {@code hit} landed, named by the owner of its first block (before any recovery moves it). */
    private static String describe(Testbed t, PoisonEvent e, ByteRange hit) throws ErrnoException {
        if (hit == null) {
            return "nothing to hit (" + e.kind().text + ")";
        }
        BlockOwner owner;
        try {
            owner = t.fs().owner((hit.offset() - t.ns.dataOffset()) / BLOCK * BLOCK);
        } catch (ErrnoException ex) {
            return "a block whose owner does not read (" + ex.errno().name() + ")" + (e.known() ? "" : ", latent");
        }
        String where = switch (owner) {
            case BlockOwner.FileData f -> (e.kind() == PoisonEvent.Kind.FILE_CLUSTER ? e.blocks() + "-block cluster: "
                    : "file data: ") + t.fs().path(f.ino());
            case BlockOwner.Metadata m -> "metadata: " + m.structure();
            case BlockOwner.Free f -> "free space";
        };
        return e.known() ? where : where + ", latent";
    }

    private static void noteMetadata(Testbed t, ByteRange hit, State s) throws ErrnoException {
        if (hit == null) {
            return;
        }
        long from = (hit.offset() - t.ns.dataOffset()) / BLOCK;
        long to = (hit.end() - t.ns.dataOffset() - 1) / BLOCK;
        for (long b = from; b <= to; b++) {
            if (t.fs().owner(b * BLOCK) instanceof BlockOwner.Metadata) {
                s.metadataHit.add(b);
            }
        }
    }

    /**
     * Metadata blocks hit by poison that hold no poison now but still hold its fill: a clear unit of
     * the block reads back entirely as {@link Namespace#GARBAGE}, which no checksummed metadata block
     * holds. A block the filesystem rewrote since is not counted: it holds good metadata again.
     */
    private static long unflagged(Testbed t, State s) throws ErrnoException {
        long n = 0;
        byte[] buf = new byte[BLOCK];
        int unit = t.ns.clearErrUnit();
        for (long b : s.metadataHit) {
            long off = t.ns.dataOffset() + b * BLOCK;
            if (t.ns.poisoned(off, BLOCK) || !t.ns.read(off, buf, 0, BLOCK).isComplete()) {
                continue;
            }
            for (int u = 0; u < BLOCK; u += unit) {
                boolean fill = true;
                for (int i = u; i < u + unit && fill; i++) {
                    fill = buf[i] == Namespace.GARBAGE;
                }
                if (fill) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    /**
     * Repairs what the event damaged; returns the summed latency. Online designs repair each damaged
     * workload file as its user (nothing they can do for free space or metadata); the offline clear runs
     * once whenever the device holds any known error, as an administrator would run it.
     */
    private long recover(Testbed t, WorkloadRun w, List<Damage.Hit> hits, List<Long> latencies) throws ErrnoException {
        Strategy strategy = pairing.strategy();
        Credentials cred = pairing.credentials();
        FileSystem fs = t.fs();
        Map<Long, String> files = new LinkedHashMap<>();
        for (Damage.Hit h : hits) {
            if (h instanceof Damage.FileHit f && w.files().containsKey(f.path())) {
                files.putIfAbsent(f.ino(), f.path());
            }
        }
        long total = 0;
        if (strategy.privilege() == Privilege.ADMIN) {
            if (hits.isEmpty()) {
                return 0;
            }
            Map.Entry<Long, String> first = files.entrySet().stream().findFirst().orElse(null);
            String path = first == null ? WorkloadRun.DIR : first.getValue();
            List<FileRange> ranges = first == null ? List.of() : Damage.rangesOf(hits, first.getKey());
            total += timed(() -> strategy.recover(t.target(cred, path), ranges), latencies);
            return total;
        }
        for (Map.Entry<Long, String> f : files.entrySet()) {
            List<FileRange> ranges = Damage.rangesOf(hits, f.getKey());
            total += timed(() -> strategy.recover(t.target(cred, f.getValue()), ranges), latencies);
        }
        return total;
    }

    @FunctionalInterface
    private interface Recovery {
        Strategy.Outcome run() throws ErrnoException;
    }

    private static long timed(Recovery r, List<Long> latencies) throws ErrnoException {
        long t0 = System.nanoTime();
        r.run();
        long nanos = System.nanoTime() - t0;
        latencies.add(nanos);
        return nanos;
    }

    /**
     * The metrics after an event. FilePlacement and free space come from the mounted filesystem; what cannot be
     * measured any more (the filesystem does not mount, or an inode no longer reads) is carried over from
     * the step before, while poison (media truth) and fsck are measured whatever happened. Each
     * measurement stands alone, so one that fails does not hide the others; its errno stops the run.
     */
    private StepMetrics measure(int event, Testbed t, WorkloadRun w, State s, long nanos, String failure,
                                StepMetrics previous, String hit) {
        String[] stop = {failure};
        Set<Long> poisoned = DeviceMaps.poisonedBlocks(t.ns);
        FilePlacement layout = t.mounted() ? attempt(() -> layout(t, w), null, stop) : null;
        long cleanBefore = previous == null ? 0 : previous.cleanFreeBlocks();
        long cleanFree = t.mounted() ? attempt(() -> cleanFree(t, poisoned), cleanBefore, stop) : cleanBefore;
        long metadata = attempt(() -> (long) t.fsck().errors(), previous == null ? 0L : previous.metadataDamaged(), stop);
        long unflagged = attempt(() -> unflagged(t, s), previous == null ? 0L : previous.metadataUnflagged(), stop);
        if (layout == null) {
            return new StepMetrics(event, previous == null ? 0 : previous.extents(),
                    previous == null ? 0 : previous.physicalRuns(), previous == null ? 0 : previous.pmdMappableFraction(),
                    previous == null ? 0 : previous.rdmaSges(), cleanFree, poisoned.size(), s.destroyed, s.lost, metadata,
                    unflagged, nanos, stop[0], hit);
        }
        return new StepMetrics(event, layout.extents(), layout.physicalRuns(), layout.pmdMappableFraction(),
                layout.rdmaSges(), cleanFree, poisoned.size(), s.destroyed, s.lost, metadata, unflagged, nanos, stop[0], hit);
    }

    @FunctionalInterface
    private interface Measurement<T> {
        T take() throws ErrnoException;
    }

    /** The measurement, or {@code otherwise} when it fails; the first failure is kept in {@code stop[0]}. */
    private static <T> T attempt(Measurement<T> m, T otherwise, String[] stop) {
        try {
            return m.take();
        } catch (ErrnoException e) {
            if (stop[0] == null) {
                stop[0] = e.errno().name();
            }
            return otherwise;
        }
    }

    private static FilePlacement layout(Testbed t, WorkloadRun w) throws ErrnoException {
        FilePlacement sum = FilePlacement.EMPTY;
        FileSystem fs = t.fs();
        for (String path : w.files().keySet()) {
            Stat st = t.root().stat(path);
            List<FileExtent> xs = st.size() == 0 ? List.of() : fs.extents(st.ino(), 0, st.size());
            sum = sum.plus(FilePlacement.of(xs, st.size()));
        }
        return sum;
    }

    /** Free blocks minus the poisoned ones among them. */
    private static long cleanFree(Testbed t, Set<Long> poisoned) throws ErrnoException {
        FileSystem fs = t.fs();
        long total = fs.statfs().totalBlocks();
        long dirty = 0;
        for (long b : poisoned) {
            if (b < total && fs.owner(b * BLOCK) instanceof BlockOwner.Free) {
                dirty++;
            }
        }
        return fs.statfs().freeBlocks() - dirty;
    }
}
