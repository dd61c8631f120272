package dev.pmemfs.testing.fileops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Gen;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpGeneratorTest {
    private static List<FileOp> sequence(long seed, int n) {
        OpGenerator gen = OpGenerator.standard();
        ModelFile model = new ModelFile(4096);
        Gen g = new Gen(seed);
        List<FileOp> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FileOp op = gen.next(g, model.size());
            model.apply(op);
            ops.add(op);
        }
        return ops;
    }

    @Test
    void next_sameSeed_sameSequence() {
        assertEquals(sequence(42, 500), sequence(42, 500));
    }

    @Test
    void next_manyOps_keepsFileUnderLimit() {
        Gen.forAll("op-generator-bounds", 8, g -> {
            OpGenerator gen = OpGenerator.standard();
            ModelFile model = new ModelFile(4096);
            for (int i = 0; i < 2000; i++) {
                FileOp op = gen.next(g, model.size());
                model.apply(op);
                assertTrue(model.size() <= 4L << 20, "size " + model.size() + " after " + op);
            }
        });
    }

    @Test
    void next_manyOps_offsetsMostlyAlignedWithSomeUnaligned() {
        int aligned = 0;
        int unaligned = 0;
        int unalignedLengths = 0;
        for (FileOp op : sequence(7, 5000)) {
            if (op instanceof FileOp.Fpunch(long off, long len)) {
                if (off % 4096 == 0) {
                    aligned++;
                } else {
                    unaligned++;
                }
                if (len % 4096 != 0) {
                    unalignedLengths++;
                }
            }
        }
        assertTrue(aligned > 2 * unaligned && unaligned > aligned / 20, aligned + " aligned vs " + unaligned + " unaligned punches");
        assertTrue(unalignedLengths > (aligned + unaligned) / 20, unalignedLengths + " unaligned punch lengths");
    }
}
