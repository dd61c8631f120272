package dev.pmemfs.study;

import dev.pmemfs.fs.FileExtent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * A hand-built study of six strategies on a 256 MiB device holding one 128 MiB preallocated RDMA
 * buffer, with twelve poison events (some clustered, one in the journal). The relocating strategies
 * move each poisoned range to fresh blocks and leave the poison behind; the in-place ones clear it.
 * punch-falloc stops with ENOSPC at event 7, as if the device were full.
 */
final class StudyFixture {
    static final long BLOCK = 4096;
    static final long DEVICE_BLOCKS = 65_536;
    static final long FILE_START = 2048;
    static final long FILE_BLOCKS = 32_768;
    static final int EVENTS = 12;
    static final long METADATA_BLOCKS = 1024;

    /** Event {@code i} (1-based) poisons {@code count} file blocks from file block {@code fileBlock}; event 6 hits the journal. */
    record Event(long fileBlock, long count, boolean metadata) {}

    static final List<Event> EVENTS_LIST = List.of(
            new Event(1_000, 1, false), new Event(9_513, 3, false), new Event(9_520, 2, false),
            new Event(20_480, 1, false), new Event(31_000, 8, false), new Event(700, 1, true),
            new Event(15_001, 1, false), new Event(15_004, 4, false), new Event(4_096, 1, false),
            new Event(27_777, 2, false), new Event(12_345, 1, false), new Event(30_000, 16, false));

    private StudyFixture() {}

    static StudyResult result() {
        return new StudyResult("rdma-buffer", DEVICE_BLOCKS * BLOCK, EVENTS, 42, List.of(
                run("punch-pwrite", "file write", true, 45_000, 0, -1),
                run("punch-falloc", "file write", true, 52_000, 0, 7),
                run("fiemap-blkzeroout", "raw device (CAP_SYS_RAWIO)", false, 31_000, BLOCK - 512, -1),
                run("unmount-clear", "admin", false, 180_000_000, BLOCK - 256, -1),
                run("zeroinit", "file write", false, 14_000, BLOCK - 256, -1),
                run("recovery-write", "file write", false, 9_000, 0, -1)));
    }

    /**
     * One strategy's run through the events: {@code relocates} moves poisoned blocks to fresh ones
     * (poison stays), else they are cleared in place; {@code destroyedPerBlock} good bytes are lost per
     * recovered block; the run stops with ENOSPC at event {@code enospcAt} (-1: never).
     */
    private static StrategyRun run(String name, String privilege, boolean relocates, long baseNanos,
                                   long destroyedPerBlock, int enospcAt) {
        long[] map = new long[(int) FILE_BLOCKS];
        for (int i = 0; i < map.length; i++) {
            map[i] = FILE_START + i;
        }
        TreeSet<Long> poison = new TreeSet<>();
        long cursor = FILE_START + FILE_BLOCKS + 512;
        long cleanFree = DEVICE_BLOCKS - METADATA_BLOCKS - FILE_BLOCKS;
        long destroyed = 0;
        long metadataDamaged = 0;
        List<StepMetrics> steps = new ArrayList<>();
        List<Long> latencies = new ArrayList<>();
        steps.add(step(0, map, cleanFree, 0, 0, 0, 0, null));
        DeviceMap before = deviceMap(map, poison);
        for (int i = 1; i <= EVENTS; i++) {
            Event e = EVENTS_LIST.get(i - 1);
            long latency = baseNanos + baseNanos * ((i * 37L) % 11) / 10;
            if (i == enospcAt) {
                steps.add(step(i, map, cleanFree, poison.size(), destroyed, metadataDamaged, latency, "ENOSPC"));
                latencies.add(latency);
                break;
            }
            if (e.metadata()) {
                // Poison in the journal: in-place clearing at unmount zeroes it; the others leave it poisoned.
                if (name.equals("unmount-clear")) {
                    metadataDamaged++;
                } else {
                    poison.add(256 + e.fileBlock()); // a journal block
                }
            } else if (relocates) {
                for (long b = e.fileBlock(); b < e.fileBlock() + e.count(); b++) {
                    poison.add(map[(int) b]);
                    map[(int) b] = cursor++;
                    cleanFree--;
                }
            } else {
                destroyed += destroyedPerBlock * e.count();
            }
            latencies.add(latency);
            steps.add(step(i, map, cleanFree, poison.size(), destroyed, metadataDamaged, latency, null));
        }
        return new StrategyRun(name, privilege, "linux-5.19", steps, before, deviceMap(map, poison), latencies, 0);
    }

    private static StepMetrics step(int event, long[] map, long cleanFree, long poisoned, long destroyed,
                                    long metadataDamaged, long nanos, String failure) {
        FilePlacement l = FilePlacement.of(extents(map), FILE_BLOCKS * BLOCK);
        return new StepMetrics(event, l.extents(), l.physicalRuns(), l.pmdMappableFraction(), l.rdmaSges(),
                cleanFree, poisoned, destroyed, destroyed / 8, metadataDamaged, metadataDamaged, nanos, failure, null);
    }

    static List<FileExtent> extents(long[] map) {
        List<FileExtent> out = new ArrayList<>();
        int start = 0;
        for (int b = 1; b <= map.length; b++) {
            if (b == map.length || map[b] != map[b - 1] + 1) {
                out.add(new FileExtent(start * BLOCK, map[start] * BLOCK, (b - start) * BLOCK, false));
                start = b;
            }
        }
        return out;
    }

    private static DeviceMap deviceMap(long[] map, TreeSet<Long> poison) {
        List<DeviceMap.Run> runs = new ArrayList<>();
        runs.add(new DeviceMap.Run(0, 2, DeviceMap.Owner.METADATA, "superblock"));
        runs.add(new DeviceMap.Run(2, 254, DeviceMap.Owner.METADATA, "inode table"));
        runs.add(new DeviceMap.Run(256, 768, DeviceMap.Owner.METADATA, "journal"));
        for (FileExtent e : extents(map)) {
            runs.add(new DeviceMap.Run(e.physical() / BLOCK, e.length() / BLOCK, DeviceMap.Owner.FILE, "/rdma-buffer"));
        }
        runs.sort(Comparator.comparingLong(DeviceMap.Run::start));
        List<DeviceMap.BlockRun> bad = new ArrayList<>();
        for (long b : poison) {
            if (!bad.isEmpty() && bad.getLast().start() + bad.getLast().count() == b) {
                DeviceMap.BlockRun last = bad.removeLast();
                bad.add(new DeviceMap.BlockRun(last.start(), last.count() + 1));
            } else {
                bad.add(new DeviceMap.BlockRun(b, 1));
            }
        }
        return new DeviceMap(DEVICE_BLOCKS, runs, bad);
    }
}
