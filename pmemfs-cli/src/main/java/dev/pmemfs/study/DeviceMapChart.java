package dev.pmemfs.study;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link DeviceMap} drawn as a grid of cells, each standing for a power-of-two number of 4 KiB blocks,
 * rows running left to right and top to bottom through the device. A cell shows the most telling thing
 * in its blocks, in this order: poison in blocks a file or metadata owns, poison in free space, metadata,
 * file data (a lighter shade when free blocks share the cell), free. Without that precedence a single
 * relocated block or poisoned block in a big cell would vanish, and those are what the map is for.
 */
final class DeviceMapChart {
    static final double WIDTH = 470;
    private static final int COLUMNS = 128;
    private static final int MAX_ROWS = 40;
    private static final double LEFT = 58;
    private static final double TOP = 4;
    private static final double CELL_W = (WIDTH - LEFT - 4) / COLUMNS;
    private static final double CELL_H = 5.2;
    static final long BLOCK_SIZE = 4096;

    /** What a cell shows, in increasing precedence. */
    enum Kind {
        FREE("free", "#e8ecf1"),
        FILE_AND_FREE("file data and free space", "#93b3e3"),
        FILE("file data", "#5b8bd0"),
        METADATA("metadata", "#5d4e6d"),
        POISON_FREE("poison in free space", "#f5a524"),
        POISON_OWNED("poison in file data or metadata", "#d62728");

        final String label;
        final String colour;

        Kind(String label, String colour) {
            this.label = label;
            this.colour = colour;
        }
    }

    /** Block counts of a map: what the caption under it says. */
    record Counts(long fileBlocks, long metadataBlocks, long fileRuns, long poisonOwned, long poisonFree) {}

    private DeviceMapChart() {}

    /** Blocks per cell: the smallest power of two that fits the device in the grid. */
    static long blocksPerCell(long totalBlocks) {
        long cells = (long) COLUMNS * MAX_ROWS;
        long per = 1;
        while (per * cells < totalBlocks) {
            per <<= 1;
        }
        return per;
    }

    /** The kind of every cell of {@code map}. */
    static Kind[] cells(DeviceMap map) {
        long per = blocksPerCell(map.totalBlocks());
        int n = (int) Math.max(1, Math.ceilDiv(map.totalBlocks(), per));
        Kind[] cells = new Kind[n];
        java.util.Arrays.fill(cells, Kind.FREE);
        long[] fileBlocks = new long[n];
        for (DeviceMap.Run r : map.runs()) {
            if (r.owner() == DeviceMap.Owner.METADATA) {
                mark(cells, per, r.start(), r.count(), Kind.METADATA);
                continue;
            }
            long end = Math.min(r.start() + r.count(), n * per);
            for (long at = r.start(); at < end; ) {
                int cell = (int) (at / per);
                long stop = Math.min(end, (cell + 1) * per);
                fileBlocks[cell] += stop - at;
                at = stop;
            }
        }
        for (int c = 0; c < n; c++) {
            long blocksInCell = Math.min(per, map.totalBlocks() - c * per);
            if (fileBlocks[c] > 0 && cells[c] == Kind.FREE) {
                cells[c] = fileBlocks[c] >= blocksInCell ? Kind.FILE : Kind.FILE_AND_FREE;
            }
        }
        TreeMap<Long, DeviceMap.Run> owned = byStart(map);
        for (DeviceMap.BlockRun p : map.poison()) {
            forEachPiece(owned, p, (start, count, isOwned) ->
                    mark(cells, per, start, count, isOwned ? Kind.POISON_OWNED : Kind.POISON_FREE));
        }
        return cells;
    }

    static Counts counts(DeviceMap map) {
        long file = 0;
        long metadata = 0;
        long fileRuns = 0;
        for (DeviceMap.Run r : map.runs()) {
            if (r.owner() == DeviceMap.Owner.FILE) {
                file += r.count();
                fileRuns++;
            } else {
                metadata += r.count();
            }
        }
        long[] poison = new long[2];
        TreeMap<Long, DeviceMap.Run> owned = byStart(map);
        for (DeviceMap.BlockRun p : map.poison()) {
            forEachPiece(owned, p, (start, count, isOwned) -> poison[isOwned ? 0 : 1] += count);
        }
        return new Counts(file, metadata, fileRuns, poison[0], poison[1]);
    }

    static String render(String title, DeviceMap map) {
        long per = blocksPerCell(map.totalBlocks());
        Kind[] cells = cells(map);
        int rows = (int) Math.ceilDiv(cells.length, COLUMNS);
        double height = TOP + rows * CELL_H + 6;
        Svg svg = new Svg(WIDTH, height, title, "chart device-map");
        // Crisp edges: anti-aliased seams between rows would draw false lines through the map.
        svg.group("shape-rendering=\"crispEdges\"");
        int labelEvery = Math.max(1, rows / 4);
        for (int row = 0; row < rows; row += labelEvery) {
            double y = TOP + row * CELL_H;
            long offset = row * COLUMNS * per * BLOCK_SIZE;
            svg.text(LEFT - 6, y + CELL_H, offset == 0 ? "0" : new HumanBytes(offset).toString(),
                    "class=\"tick small\" text-anchor=\"end\"");
        }
        for (int row = 0; row < rows; row++) {
            int col = 0;
            while (col < COLUMNS && row * COLUMNS + col < cells.length) {
                int first = row * COLUMNS + col;
                Kind kind = cells[first];
                int end = first;
                while (end + 1 < cells.length && (end + 1) / COLUMNS == row && cells[end + 1] == kind) {
                    end++;
                }
                long firstBlock = first * per;
                long lastBlock = Math.min(map.totalBlocks(), (end + 1) * per) - 1;
                svg.rect(LEFT + col * CELL_W, TOP + row * CELL_H, (end - first + 1) * CELL_W, CELL_H,
                        "fill=\"" + kind.colour + "\"",
                        "blocks " + firstBlock + "–" + lastBlock + ": " + kind.label);
                col += end - first + 1;
            }
        }
        svg.rect(LEFT, TOP, COLUMNS * CELL_W, rows * CELL_H, "fill=\"none\" stroke=\"#9aa5b1\" stroke-width=\"0.6\"");
        svg.end();
        // Poisoned cells again, a little larger and outlined: one bad block in a map of thousands of cells
        // is the thing the reader looks for.
        svg.group("class=\"poison-marks\"");
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] == Kind.POISON_FREE || cells[i] == Kind.POISON_OWNED) {
                svg.rect(LEFT + (i % COLUMNS) * CELL_W - 0.9, TOP + (i / COLUMNS) * CELL_H - 0.9, CELL_W + 1.8,
                        CELL_H + 1.8, "fill=\"" + cells[i].colour + "\" stroke=\"#3b0a0a\" stroke-width=\"0.7\"");
            }
        }
        svg.end();
        return svg.close();
    }

    private static void mark(Kind[] cells, long per, long start, long count, Kind kind) {
        if (count <= 0) {
            return;
        }
        int from = (int) (start / per);
        int to = (int) Math.min(cells.length - 1, (start + count - 1) / per);
        for (int c = from; c <= to; c++) {
            if (kind.compareTo(cells[c]) > 0) {
                cells[c] = kind;
            }
        }
    }

    private static TreeMap<Long, DeviceMap.Run> byStart(DeviceMap map) {
        TreeMap<Long, DeviceMap.Run> owned = new TreeMap<>();
        for (DeviceMap.Run r : map.runs()) {
            owned.put(r.start(), r);
        }
        return owned;
    }

    private interface Piece {
        void accept(long start, long count, boolean owned);
    }

    /** Splits poison run {@code p} into the pieces inside owned runs and the pieces in free space. */
    private static void forEachPiece(TreeMap<Long, DeviceMap.Run> owned, DeviceMap.BlockRun p, Piece piece) {
        long at = p.start();
        long end = p.start() + p.count();
        Map.Entry<Long, DeviceMap.Run> floor = owned.floorEntry(at);
        Long key = floor != null && floor.getValue().start() + floor.getValue().count() > at ? floor.getKey()
                : owned.ceilingKey(at);
        while (at < end) {
            DeviceMap.Run r = key == null ? null : owned.get(key);
            if (r == null || r.start() >= end) {
                piece.accept(at, end - at, false);
                return;
            }
            if (r.start() > at) {
                piece.accept(at, r.start() - at, false);
                at = r.start();
            }
            long stop = Math.min(end, r.start() + r.count());
            piece.accept(at, stop - at, true);
            at = stop;
            key = owned.higherKey(key);
        }
    }

    /** The legend: one swatch per kind. */
    static List<Kind> legend() {
        return List.of(Kind.values());
    }
}
