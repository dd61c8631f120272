package dev.pmemfs.study;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.BlockOwner;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.PoisonRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds a {@link DeviceMap} from the filesystem's reverse map (who owns each block) and the media's
 * poison records (the truth, known and latent). Adjacent blocks with the same owner label merge into one
 * run, so the map stays small: a file's label is its path when the workload has few files and "file
 * data" when it has many; metadata is labelled by structure. A block whose owner the filesystem can
 * no longer read (its inode sits in a damaged inode-table block) is shown as file data of an unreadable owner.
 */
final class DeviceMaps {
    private static final int BLOCK = FileModel.BLOCK;
    /** Above this many files, file runs are not labelled one by one. */
    private static final int MAX_NAMED_FILES = 16;

    private DeviceMaps() {}

    static DeviceMap of(Testbed t, WorkloadRun w) throws ErrnoException {
        FileSystem fs = t.fs();
        long total = fs.statfs().totalBlocks();
        boolean named = w.files().size() <= MAX_NAMED_FILES;
        Map<Long, String> paths = new HashMap<>();
        List<DeviceMap.Run> runs = new ArrayList<>();
        DeviceMap.Owner owner = null;
        String label = null;
        long start = 0;
        for (long b = 0; b <= total; b++) {
            DeviceMap.Owner o = null;
            String l = null;
            if (b < total) {
                BlockOwner bo;
                try {
                    bo = fs.owner(b * BLOCK);
                } catch (ErrnoException e) {
                    // The rmap names an inode whose table block no longer reads (garbage or poison):
                    // the block is in use, but by whom the filesystem cannot say.
                    bo = null;
                    o = DeviceMap.Owner.FILE;
                    l = "owner unreadable (" + e.errno().name() + ")";
                }
                switch (bo) {
                    case null -> { }
                    case BlockOwner.FileData f -> {
                        o = DeviceMap.Owner.FILE;
                        l = named ? paths.computeIfAbsent(f.ino(), ino -> pathOf(fs, ino)) : "file data";
                    }
                    case BlockOwner.Metadata m -> {
                        o = DeviceMap.Owner.METADATA;
                        l = structure(m.structure());
                    }
                    case BlockOwner.Free free -> { }
                }
            }
            if (o != owner || (l != null && !l.equals(label))) {
                if (owner != null) {
                    runs.add(new DeviceMap.Run(start, b - start, owner, label));
                }
                owner = o;
                label = l;
                start = b;
            }
        }
        return new DeviceMap(total, runs, poison(t.ns, total));
    }

    /** A map of the poison alone, for a run whose filesystem no longer mounts. */
    static DeviceMap poisonOnly(Namespace ns, long totalBlocks) {
        return new DeviceMap(totalBlocks, List.of(), poison(ns, totalBlocks));
    }

    private static List<DeviceMap.BlockRun> poison(Namespace ns, long totalBlocks) {
        List<DeviceMap.BlockRun> out = new ArrayList<>();
        long start = -1;
        long prev = -2;
        for (long b : poisonedBlocks(ns)) {
            if (b >= totalBlocks) {
                break;
            }
            if (b != prev + 1) {
                if (start >= 0) {
                    out.add(new DeviceMap.BlockRun(start, prev - start + 1));
                }
                start = b;
            }
            prev = b;
        }
        if (start >= 0) {
            out.add(new DeviceMap.BlockRun(start, prev - start + 1));
        }
        return out;
    }

    /** Data-area 4 KiB blocks holding any poison, known or latent (the media's truth), ascending. */
    static TreeSet<Long> poisonedBlocks(Namespace ns) {
        TreeSet<Long> blocks = new TreeSet<>();
        long base = ns.dataOffset();
        for (PoisonRange p : ns.poisonRecords()) {
            long from = Math.max(p.range().offset(), base) - base;
            long to = p.range().end() - base;
            for (long b = from / BLOCK; to > from && b <= (to - 1) / BLOCK; b++) {
                blocks.add(b);
            }
        }
        return blocks;
    }

    /** "directory 12" and "extent list of inode 7" lose their numbers: one label per kind of structure. */
    private static String structure(String s) {
        if (s.startsWith("directory")) {
            return "directory";
        }
        if (s.startsWith("extent list")) {
            return "extent list";
        }
        return s;
    }

    private static String pathOf(FileSystem fs, long ino) {
        try {
            return fs.path(ino);
        } catch (ErrnoException e) {
            return "inode " + ino; // unlinked but still open: it has no name
        }
    }
}
