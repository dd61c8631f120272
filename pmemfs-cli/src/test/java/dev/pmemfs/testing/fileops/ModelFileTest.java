package dev.pmemfs.testing.fileops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.errno.Errno;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelFileTest {
    private static final int BS = 4096;
    private static final OpResult OK = new OpResult.Value(0);
    private static final OpResult EINVAL = new OpResult.Failed(Errno.EINVAL);
    private static final OpResult ENXIO = new OpResult.Failed(Errno.ENXIO);

    private final ModelFile model = new ModelFile(BS);

    private OpResult apply(FileOp op) {
        return model.apply(op).orElseThrow();
    }

    /** Three blocks written with patterns 1, 2, 3. */
    private void threeBlocks() {
        for (int i = 0; i < 3; i++) {
            assertEquals(new OpResult.Value(BS), apply(new FileOp.Pwrite((long) i * BS, BS, i + 1)));
        }
    }

    private byte[] block(int seed) {
        return new FileOp.Pwrite(0, BS, seed).data();
    }

    @Test
    void pwriteData_pattern_isNonZeroPositionDependentAndSeeded() {
        byte[] a = new FileOp.Pwrite(0, 3 * BS + 5, 9).data();
        for (int i = 0; i < a.length; i++) {
            assertEquals((byte) (1 + Math.floorMod(9 * 131 + i * 7 + (i >>> 12) * 31, 255)), a[i], "byte " + i);
        }
        assertTrue(!Arrays.equals(a, new FileOp.Pwrite(0, 3 * BS + 5, 10).data()));
    }

    @Test
    void pwrite_zeroLengthPastEof_returnsZeroAndKeepsSize() {
        assertEquals(new OpResult.Value(0), apply(new FileOp.Pwrite(10 * BS, 0, 7)));
        assertEquals(0, model.size());
    }

    @Test
    void pwrite_negativeOffset_einval() {
        assertEquals(EINVAL, apply(new FileOp.Pwrite(-1, 10, 7)));
    }

    @Test
    void pread_pastEof_returnsNoBytes_andShortAtEof() {
        threeBlocks();
        assertEquals(new OpResult.Data(new byte[0]), apply(new FileOp.Pread(3 * BS, 100)));
        OpResult tail = apply(new FileOp.Pread(3 * BS - 10, 100));
        assertEquals(10, ((OpResult.Data) tail).bytes().length);
    }

    @Test
    void truncate_shrinkThenGrow_exposesZeros() {
        threeBlocks();
        assertEquals(OK, apply(new FileOp.Truncate(100)));
        assertEquals(OK, apply(new FileOp.Truncate(2 * BS)));
        byte[] c = model.contents();
        assertArrayEquals(Arrays.copyOf(block(1), 100), Arrays.copyOf(c, 100));
        assertTrue(Arrays.equals(new byte[2 * BS - 100], Arrays.copyOfRange(c, 100, 2 * BS)));
    }

    @Test
    void fpunch_pastEof_keepsSize_zeroesOnlyInside() {
        threeBlocks();
        assertEquals(OK, apply(new FileOp.Fpunch(2 * BS + 1, 10 * BS)));
        assertEquals(3 * BS, model.size());
        assertEquals(block(3)[0], model.contents()[2 * BS]);
        assertEquals(0, model.contents()[2 * BS + 1]);
    }

    @Test
    void fzero_withoutKeepSize_growsFile_keepSizeDoesNot() {
        threeBlocks();
        assertEquals(OK, apply(new FileOp.Fzero(BS, 10 * BS, true)));
        assertEquals(3 * BS, model.size());
        assertEquals(OK, apply(new FileOp.Fzero(BS, 10 * BS, false)));
        assertEquals(11 * BS, model.size());
        assertArrayEquals(block(1), Arrays.copyOf(model.contents(), BS));
    }

    @Test
    void falloc_zeroLength_einval() {
        assertEquals(EINVAL, apply(new FileOp.Falloc(0, 0, false)));
        assertEquals(EINVAL, apply(new FileOp.Fzero(0, -1, true)));
        assertEquals(EINVAL, apply(new FileOp.Fpunch(-BS, BS)));
    }

    @Test
    void fcollapse_middleBlock_shiftsTailDown() {
        threeBlocks();
        assertEquals(OK, apply(new FileOp.Fcollapse(BS, BS)));
        assertEquals(2 * BS, model.size());
        assertArrayEquals(block(3), Arrays.copyOfRange(model.contents(), BS, 2 * BS));
    }

    @Test
    void fcollapse_reachingEofOrUnaligned_einval() {
        threeBlocks();
        assertEquals(EINVAL, apply(new FileOp.Fcollapse(BS, 2 * BS)));
        assertEquals(EINVAL, apply(new FileOp.Fcollapse(1, BS)));
        assertEquals(EINVAL, apply(new FileOp.Fcollapse(0, BS + 1)));
        assertEquals(3 * BS, model.size());
    }

    @Test
    void finsert_middle_opensZeroGap() {
        threeBlocks();
        assertEquals(OK, apply(new FileOp.Finsert(BS, 2 * BS)));
        assertEquals(5 * BS, model.size());
        byte[] c = model.contents();
        assertArrayEquals(new byte[2 * BS], Arrays.copyOfRange(c, BS, 3 * BS));
        assertArrayEquals(block(2), Arrays.copyOfRange(c, 3 * BS, 4 * BS));
    }

    @Test
    void finsert_atEofOrUnaligned_einval() {
        threeBlocks();
        assertEquals(EINVAL, apply(new FileOp.Finsert(3 * BS, BS)));
        assertEquals(EINVAL, apply(new FileOp.Finsert(BS, 100)));
    }

    @Test
    void apply_seek_isNotPredicted() {
        assertEquals(Optional.empty(), model.apply(new FileOp.SeekData(0)));
    }

    @Test
    void checkSeek_pastEofOrNegative_needsEnxio() {
        threeBlocks();
        assertEquals(Optional.empty(), model.checkSeek(new FileOp.SeekData(3 * BS), ENXIO));
        assertEquals(Optional.empty(), model.checkSeek(new FileOp.SeekHole(-1), ENXIO));
        assertTrue(model.checkSeek(new FileOp.SeekHole(3 * BS), new OpResult.Value(3 * BS)).isPresent());
    }

    @Test
    void checkSeek_dataSkippingNonZeroBytes_isReported() {
        threeBlocks();
        assertTrue(model.checkSeek(new FileOp.SeekData(0), new OpResult.Value(BS)).isPresent());
        assertEquals(Optional.empty(), model.checkSeek(new FileOp.SeekData(0), new OpResult.Value(0)));
    }

    @Test
    void checkSeek_enxioForDataBeforeEof_onlyWhenRestIsZero() {
        threeBlocks();
        assertTrue(model.checkSeek(new FileOp.SeekData(BS), ENXIO).isPresent());
        apply(new FileOp.Fpunch(BS, 2 * BS));
        assertEquals(Optional.empty(), model.checkSeek(new FileOp.SeekData(BS), ENXIO));
    }

    @Test
    void checkSeek_holeOverNonZeroBlockOrUnaligned_isReported() {
        threeBlocks();
        apply(new FileOp.Fpunch(BS, BS));
        assertEquals(Optional.empty(), model.checkSeek(new FileOp.SeekHole(10), new OpResult.Value(BS)));
        assertEquals(Optional.empty(), model.checkSeek(new FileOp.SeekHole(BS + 5), new OpResult.Value(BS + 5)));
        assertEquals(Optional.empty(), model.checkSeek(new FileOp.SeekHole(10), new OpResult.Value(3 * BS)));
        assertTrue(model.checkSeek(new FileOp.SeekHole(10), new OpResult.Value(2 * BS)).isPresent());
        assertTrue(model.checkSeek(new FileOp.SeekHole(10), new OpResult.Value(BS + 1)).isPresent());
    }
}
