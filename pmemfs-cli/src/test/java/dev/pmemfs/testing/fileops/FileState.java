package dev.pmemfs.testing.fileops;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Fiemap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Everything a differential test compares about one file at one moment: its size, its contents, the
 * data runs a SEEK_DATA/SEEK_HOLE walk finds, and the per-block map FIEMAP reports.
 *
 * <p>The block map has one character per 4 KiB block inside EOF (the block holding EOF included):
 * {@code '.'} hole, {@code 'D'} written data, {@code 'U'} unwritten, {@code '?'} an extent flagged
 * delalloc/unknown (which a settled file must not have). Blocks past EOF are left out on purpose:
 * preallocation beyond EOF (fallocate KEEP_SIZE, speculative preallocation) is not visible to reads
 * and filesystems legitimately differ there.
 */
public record FileState(long size, byte[] contents, List<DataRun> seekMap, String blockMap) {
    public static final char HOLE = '.';
    public static final char DATA = 'D';
    public static final char UNWRITTEN = 'U';
    public static final char UNKNOWN = '?';
    private static final int FIEMAP_BATCH = 256;
    /** FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_DELALLOC: not yet allocated, so not a settled map. */
    private static final int UNSETTLED_FLAGS = 0x2 | 0x4;

    public FileState {
        contents = contents.clone();
        seekMap = List.copyOf(seekMap);
    }

    /** A SEEK_DATA answer and the SEEK_HOLE answer that follows it: {@code [start, end)} reads as data. */
    public record DataRun(long start, long end) {
        @Override
        public String toString() {
            return "[" + start + "," + end + ")";
        }
    }

    @Override
    public byte[] contents() {
        return contents.clone();
    }

    /**
     * Reads the target's size and contents, then settles it (after the reads, which may fill a page
     * cache) and takes its SEEK_DATA/SEEK_HOLE walk and FIEMAP map.
     */
    public static FileState capture(FileTarget t, int blockSize) throws ErrnoException {
        long size = t.size();
        if (size > Integer.MAX_VALUE) {
            throw new IllegalStateException(t.name() + " file of " + size + " bytes is too big to capture");
        }
        byte[] contents = new byte[(int) size];
        int done = 0;
        while (done < size) {
            byte[] chunk = new byte[(int) Math.min(1 << 20, size - done)];
            int n = t.pread(chunk, done);
            if (n <= 0) {
                throw new IllegalStateException(t.name() + " pread at " + done + " returned " + n + " inside a file of "
                        + size + " bytes");
            }
            System.arraycopy(chunk, 0, contents, done, n);
            done += n;
        }
        t.settle();
        return new FileState(size, contents, seekWalk(t, size), blockMap(t, size, blockSize));
    }

    private static List<DataRun> seekWalk(FileTarget t, long size) throws ErrnoException {
        List<DataRun> runs = new ArrayList<>();
        long pos = 0;
        while (pos < size) {
            long data;
            try {
                data = t.lseek(pos, FileOp.SEEK_DATA);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.ENXIO) {
                    break;
                }
                throw e;
            }
            long hole = t.lseek(data, FileOp.SEEK_HOLE);
            if (data < pos || hole <= data) {
                throw new IllegalStateException(t.name() + " seek walk stuck: SEEK_DATA(" + pos + ")=" + data
                        + ", SEEK_HOLE(" + data + ")=" + hole);
            }
            runs.add(new DataRun(data, hole));
            pos = hole;
        }
        return runs;
    }

    private static String blockMap(FileTarget t, long size, int blockSize) throws ErrnoException {
        int blocks = (int) ((size + blockSize - 1) / blockSize);
        char[] map = new char[blocks];
        Arrays.fill(map, HOLE);
        long start = 0;
        while (start < size) {
            Fiemap fm = t.fiemap(start, size - start, Fiemap.FIEMAP_FLAG_SYNC, FIEMAP_BATCH);
            if (fm.extents().isEmpty()) {
                break;
            }
            long next = start;
            for (Fiemap.Extent e : fm.extents()) {
                char state = (e.flags() & UNSETTLED_FLAGS) != 0 ? UNKNOWN : e.unwritten() ? UNWRITTEN : DATA;
                long from = Math.max(0, e.logical() / blockSize);
                long to = Math.min(blocks, (e.logical() + e.length() + blockSize - 1) / blockSize);
                for (long b = from; b < to; b++) {
                    map[(int) b] = state;
                }
                next = Math.max(next, e.logical() + e.length());
            }
            Fiemap.Extent last = fm.extents().getLast();
            if (last.last() || fm.extents().size() < FIEMAP_BATCH || next <= start) {
                break;
            }
            start = next;
        }
        return new String(map);
    }

    /**
     * The first way this state differs from {@code other}, in order size, contents, block map, seek
     * map; empty when they agree.
     */
    public Optional<String> firstDifference(FileState other) {
        if (size != other.size) {
            return Optional.of("size " + size + " vs " + other.size);
        }
        int at = Arrays.mismatch(contents, other.contents);
        if (at >= 0) {
            return Optional.of("contents differ first at byte " + at + ": "
                    + (contents[at] & 0xff) + " vs " + (other.contents[at] & 0xff));
        }
        int block = mismatch(blockMap, other.blockMap);
        if (block >= 0) {
            return Optional.of("FIEMAP block map differs first at block " + block + ": '" + blockMap.charAt(block)
                    + "' vs '" + other.blockMap.charAt(block) + "'");
        }
        if (!seekMap.equals(other.seekMap)) {
            return Optional.of("SEEK_DATA/SEEK_HOLE data runs differ: " + seekMap + " vs " + other.seekMap);
        }
        return Optional.empty();
    }

    /**
     * Checks the state against itself: holes and unwritten blocks read as zeros, and the seek walk's
     * data runs are exactly the written blocks of the block map (clipped to EOF) — which holds for a
     * settled file on XFS and must hold on pmemfs. Empty when consistent.
     */
    public Optional<String> selfInconsistency(int blockSize) {
        for (int b = 0; b < blockMap.length(); b++) {
            char c = blockMap.charAt(b);
            if (c == UNKNOWN) {
                return Optional.of("block " + b + " is delalloc/unknown in a settled file");
            }
            if (c != DATA) {
                int from = b * blockSize;
                int to = (int) Math.min(size, (long) from + blockSize);
                for (int i = from; i < to; i++) {
                    if (contents[i] != 0) {
                        return Optional.of("block " + b + " is '" + c + "' but byte " + i + " reads " + (contents[i] & 0xff));
                    }
                }
            }
        }
        List<DataRun> expected = new ArrayList<>();
        for (int b = 0; b < blockMap.length(); ) {
            if (blockMap.charAt(b) != DATA) {
                b++;
                continue;
            }
            int e = b;
            while (e < blockMap.length() && blockMap.charAt(e) == DATA) {
                e++;
            }
            expected.add(new DataRun((long) b * blockSize, Math.min(size, (long) e * blockSize)));
            b = e;
        }
        return expected.equals(seekMap) ? Optional.empty()
                : Optional.of("seek walk " + seekMap + " but the block map's data runs are " + expected);
    }

    /** Size, block map as runs ("0-3:D 4-9:. 10:U") and seek runs, for failure messages. */
    public String describe() {
        return "size " + size + ", blocks " + runs(blockMap) + ", seek data " + seekMap;
    }

    static String runs(String map) {
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < map.length(); ) {
            int e = b;
            while (e + 1 < map.length() && map.charAt(e + 1) == map.charAt(b)) {
                e++;
            }
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(b);
            if (e > b) {
                sb.append('-').append(e);
            }
            sb.append(':').append(map.charAt(b));
            b = e + 1;
        }
        return sb.isEmpty() ? "(none)" : sb.toString();
    }

    private static int mismatch(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return i;
            }
        }
        return a.length() == b.length() ? -1 : n;
    }
}
