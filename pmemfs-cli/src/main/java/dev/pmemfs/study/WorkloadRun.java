package dev.pmemfs.study;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Fiemap;
import dev.pmemfs.vfs.Syscalls;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One run of a {@link Workload}: its files, their expected content, and a seeded random stream. The
 * same seed and free space give the same files and the same writes, whatever strategy runs beneath,
 * because no decision here looks at where the filesystem put anything.
 */
abstract sealed class WorkloadRun {
    /** The directory the workload's user owns. */
    static final String DIR = "/data";
    private static final int SCRATCH_BLOCKS = 256;

    final SplittableRandom random;
    final long freeBlocks;
    private final long seed;
    private final SortedMap<String, FileModel> files = new TreeMap<>();
    private final byte[] scratch = new byte[SCRATCH_BLOCKS * FileModel.BLOCK];
    private long keys;

    WorkloadRun(long freeBytes, long seed) {
        this.freeBlocks = freeBytes / FileModel.BLOCK;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** Creates the files (as the workload's user, inside {@link #DIR}). */
    abstract void setUp(Syscalls sys) throws ErrnoException;

    /** The writes an application makes between two poison events. */
    abstract void between(Syscalls sys) throws ErrnoException;

    /** Live files by path. */
    final SortedMap<String, FileModel> files() {
        return Collections.unmodifiableSortedMap(files);
    }

    final FileModel create(Syscalls sys, String path, long blocks) throws ErrnoException {
        FileModel m = new FileModel(path, seed ^ (++keys * 0x2545F4914F6CDD1DL));
        int fd = sys.open(path, Syscalls.O_RDWR | Syscalls.O_CREAT | Syscalls.O_EXCL, 0644);
        try {
            files.put(path, m);
            write(sys, fd, m, 0, blocks);
        } finally {
            sys.close(fd);
        }
        return m;
    }

    /** Starts modelling a file the subclass created itself. */
    final FileModel track(FileModel m) {
        files.put(m.path, m);
        return m;
    }

    final void write(Syscalls sys, FileModel m, long first, long count) throws ErrnoException {
        int fd = sys.open(m.path, Syscalls.O_RDWR, 0);
        try {
            write(sys, fd, m, first, count);
        } finally {
            sys.close(fd);
        }
    }

    private void write(Syscalls sys, int fd, FileModel m, long first, long count) throws ErrnoException {
        for (long b = first; b < first + count; b += SCRATCH_BLOCKS) {
            m.write(sys, fd, b, (int) Math.min(SCRATCH_BLOCKS, first + count - b), scratch);
        }
    }

    final void delete(Syscalls sys, String path) throws ErrnoException {
        sys.unlink(path);
        files.remove(path);
    }

    /**
     * Lines the next allocation up with a 2 MiB device boundary, as DAX users arrange with
     * {@code mkfs.xfs -d su=2m,sw=1} or an extent-size hint so that 2 MiB pages can map their files:
     * a one-block probe file shows through FIEMAP where free space starts, and a pad file fills up to the
     * boundary. The pad is not one of the workload's files.
     */
    final void alignNextAllocation(Syscalls sys) throws ErrnoException {
        String pad = DIR + "/.pad";
        int fd = sys.open(pad, Syscalls.O_RDWR | Syscalls.O_CREAT | Syscalls.O_EXCL, 0644);
        try {
            sys.fallocate(fd, 0, 0, FileModel.BLOCK);
            List<Fiemap.Extent> xs = sys.fiemap(fd, 0, FileModel.BLOCK, Fiemap.FIEMAP_FLAG_SYNC, 1).extents();
            long physical = xs.isEmpty() ? 0 : xs.getFirst().physical();
            long gap = Math.floorMod(-physical, FilePlacement.PMD_SIZE);
            if (gap == 0) {
                sys.close(fd);
                fd = -1;
                sys.unlink(pad);
                return;
            }
            sys.fallocate(fd, 0, 0, gap);
        } finally {
            if (fd >= 0) {
                sys.close(fd);
            }
        }
    }

    /** 1 to 16 blocks (4-64 KiB). */
    final int smallWrite() {
        return 1 + random.nextInt(16);
    }

    /** rdma-buffer: one file of 3/4 of free space (whole 2 MiB), preallocated then written; 64 KiB rewrites in place. */
    static final class RdmaBuffer extends WorkloadRun {
        static final String PATH = DIR + "/rdma.buf";
        private static final long PMD_BLOCKS = FilePlacement.PMD_SIZE / FileModel.BLOCK;

        RdmaBuffer(long freeBytes, long seed) {
            super(freeBytes, seed);
        }

        @Override
        void setUp(Syscalls sys) throws ErrnoException {
            long blocks = Math.max(PMD_BLOCKS, freeBlocks * 3 / 4 / PMD_BLOCKS * PMD_BLOCKS);
            alignNextAllocation(sys);
            int fd = sys.open(PATH, Syscalls.O_RDWR | Syscalls.O_CREAT | Syscalls.O_EXCL, 0644);
            try {
                // ibv_reg_mr wants the buffer's memory allocated up front: preallocate, then fill.
                sys.fallocate(fd, 0, 0, blocks * FileModel.BLOCK);
            } finally {
                sys.close(fd);
            }
            FileModel m = track(new FileModel(PATH, 1));
            write(sys, m, 0, blocks);
        }

        @Override
        void between(Syscalls sys) throws ErrnoException {
            FileModel m = files().get(PATH);
            for (int i = 0; i < 8; i++) {
                long slot = random.nextLong(m.blocks() / 16);
                write(sys, m, slot * 16, 16);
            }
        }
    }

    /** database: a file of 1/4 of free space under 32 random overwrites and 4 appends per event, up to 1/2. */
    static final class Database extends WorkloadRun {
        static final String PATH = DIR + "/table.db";

        Database(long freeBytes, long seed) {
            super(freeBytes, seed);
        }

        @Override
        void setUp(Syscalls sys) throws ErrnoException {
            alignNextAllocation(sys);
            create(sys, PATH, Math.max(16, freeBlocks / 4));
        }

        @Override
        void between(Syscalls sys) throws ErrnoException {
            FileModel m = files().get(PATH);
            for (int i = 0; i < 32; i++) {
                int n = smallWrite();
                long at = random.nextLong(Math.max(1, m.blocks() - n + 1));
                write(sys, m, at, n);
            }
            for (int i = 0; i < 4; i++) {
                int n = smallWrite();
                if (m.blocks() + n <= freeBlocks / 2) {
                    write(sys, m, m.blocks(), n);
                }
            }
        }
    }

    /** small-files: 4-64 KiB files filling 2/5 of free space; 8 created, 8 overwritten, 8 deleted per event. */
    static final class SmallFiles extends WorkloadRun {
        private final List<String> names = new ArrayList<>();
        private long next;

        SmallFiles(long freeBytes, long seed) {
            super(freeBytes, seed);
        }

        @Override
        void setUp(Syscalls sys) throws ErrnoException {
            long used = 0;
            while (used < freeBlocks * 2 / 5) {
                used += createOne(sys);
            }
        }

        private int createOne(Syscalls sys) throws ErrnoException {
            int n = smallWrite();
            String path = String.format("%s/f%06d", DIR, next++);
            create(sys, path, n);
            names.add(path);
            return n;
        }

        @Override
        void between(Syscalls sys) throws ErrnoException {
            for (int i = 0; i < 8; i++) {
                createOne(sys);
            }
            for (int i = 0; i < 8; i++) {
                FileModel m = files().get(names.get(random.nextInt(names.size())));
                long at = random.nextLong(m.blocks());
                write(sys, m, at, Math.min(smallWrite(), m.blocks() - at));
            }
            for (int i = 0; i < 8 && names.size() > 1; i++) {
                delete(sys, names.remove(random.nextInt(names.size())));
            }
        }
    }
}
