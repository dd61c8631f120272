package dev.pmemfs.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.study.DeviceMapChart.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceMapChartTest {
    private static DeviceMap.Run file(long start, long count) {
        return new DeviceMap.Run(start, count, DeviceMap.Owner.FILE, "/f");
    }

    @Test
    void blocksPerCell_smallAndLargeDevices_powerOfTwoThatFits() {
        assertEquals(1, DeviceMapChart.blocksPerCell(100));
        assertEquals(1, DeviceMapChart.blocksPerCell(128 * 40));
        assertEquals(2, DeviceMapChart.blocksPerCell(128 * 40 + 1));
        assertEquals(16, DeviceMapChart.blocksPerCell(65_536));
    }

    @Test
    void cells_oneBlockPerCell_eachKindWherePlaced() {
        DeviceMap map = new DeviceMap(10, List.of(
                new DeviceMap.Run(0, 2, DeviceMap.Owner.METADATA, "superblock"), file(4, 3)),
                List.of(new DeviceMap.BlockRun(1, 1), new DeviceMap.BlockRun(6, 3)));
        assertEquals(List.of(Kind.METADATA, Kind.POISON_OWNED, Kind.FREE, Kind.FREE, Kind.FILE, Kind.FILE,
                Kind.POISON_OWNED, Kind.POISON_FREE, Kind.POISON_FREE, Kind.FREE), List.of(DeviceMapChart.cells(map)));
    }

    @Test
    void cells_bigCells_singleRelocatedBlockAndPoisonStillShow() {
        long total = 128L * 40 * 16; // 16 blocks per cell
        DeviceMap map = new DeviceMap(total, List.of(file(0, 1000), file(5000, 1)),
                List.of(new DeviceMap.BlockRun(3000, 1)));
        Kind[] cells = DeviceMapChart.cells(map);
        assertEquals(Kind.FILE_AND_FREE, cells[5000 / 16], "one relocated block marks its cell");
        assertEquals(Kind.POISON_FREE, cells[3000 / 16]);
        assertEquals(Kind.FILE, cells[0], "a cell the file fills");
        assertEquals(Kind.FILE_AND_FREE, cells[999 / 16], "the file ends inside this cell");
        assertEquals(Kind.FREE, cells[1000 / 16 + 1]);
    }

    @Test
    void counts_poisonAcrossOwnedAndFree_splitExactly() {
        DeviceMap map = new DeviceMap(100, List.of(file(10, 10), file(30, 5),
                new DeviceMap.Run(0, 4, DeviceMap.Owner.METADATA, "sb")),
                List.of(new DeviceMap.BlockRun(2, 30), new DeviceMap.BlockRun(90, 2)));
        // poison 2..31: owned 2,3 (metadata) + 10..19 (file) + 30,31 (file) = 14; free 4..9, 20..29, 90, 91 = 18
        assertEquals(new DeviceMapChart.Counts(15, 4, 2, 14, 18), DeviceMapChart.counts(map));
    }

    @Test
    void render_fixtureMap_rowsRunLengthEncodedWithTooltips() {
        StrategyRun run = StudyFixture.result().runs().getFirst();
        String svg = DeviceMapChart.render("map", run.after());
        int rects = svg.split("<rect", -1).length - 1;
        assertTrue(rects < 400, rects + " rects: rows are not run-length encoded");
        assertTrue(svg.contains("<title>blocks 0–943: metadata</title>"), "metadata cells merged up to the journal poison");
        assertTrue(svg.contains("<title>blocks 944–959: poison in file data or metadata</title>"), svg.substring(0, 900));
        assertTrue(svg.contains("poison in free space"));
        assertTrue(svg.contains(">64 MiB</text>"));
    }
}
