package dev.pmemfs.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.testing.CommonPunch;
import dev.pmemfs.testing.MountedVfs;
import dev.pmemfs.testing.XfsIoHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fstests generic/255, "Test Generic fallocate hole punching": {@code _test_generic_punch falloc fpunch
 * fpunch fiemap _filter_hole_fiemap} plain, -d, -k and -d -k; the expected text is generic/255.out.
 */
class Generic255ScenarioTest {
    static final String TAIL = """
            \t14. data -> hole @ EOF
            0: [0..383]: extent
            1: [384..639]: hole
            eb591f549edabba2b21f80ce4deed8a9
            \t15. data -> hole @ 0
            0: [0..255]: hole
            1: [256..639]: extent
            b0c249edb75ce5b52136864d879cde83
            \t16. data -> cache cold ->hole
            0: [0..255]: hole
            1: [256..639]: extent
            b0c249edb75ce5b52136864d879cde83
            \t17. data -> hole in single block file
            0: [0..7]: extent
            0000000 cdcd cdcd cdcd cdcd cdcd cdcd cdcd cdcd
            *
            0000200 0000 0000 0000 0000 0000 0000 0000 0000
            *
            0000400 cdcd cdcd cdcd cdcd cdcd cdcd cdcd cdcd
            *
            """;

    static final String SAME_AS_2 = """
            0: [0..127]: extent
            1: [128..383]: hole
            2: [384..639]: extent
            2f7a72b9ca9923b610514a11a45a80c9
            """;

    static final String MIDDLE_HOLE = """
            0: [0..127]: extent
            1: [128..511]: hole
            2: [512..639]: extent
            0bcfc7652751f8fe46381240ccadd9d7
            """;

    /** The first two runs of 255.out. */
    static final String FRESH = """
            \t1. into a hole
            1aca77e2188f52a62674fe8a873bdaba
            \t2. into allocated space
            0: [0..127]: extent
            1: [128..383]: hole
            2: [384..639]: extent
            2f7a72b9ca9923b610514a11a45a80c9
            \t3. into unwritten space
            0: [0..127]: extent
            1: [128..383]: hole
            2: [384..639]: extent
            1aca77e2188f52a62674fe8a873bdaba
            \t4. hole -> data
            0: [0..383]: hole
            1: [384..511]: extent
            2: [512..639]: hole
            286aad7ca07b2256f0f2bb8e608ff63d
            \t5. hole -> unwritten
            0: [0..383]: hole
            1: [384..511]: extent
            2: [512..639]: hole
            1aca77e2188f52a62674fe8a873bdaba
            \t6. data -> hole
            0: [0..127]: extent
            1: [128..639]: hole
            3976e5cc0b8a47c4cdc9e0211635f568
            \t7. data -> unwritten
            0: [0..127]: extent
            1: [128..383]: hole
            2: [384..511]: extent
            3: [512..639]: hole
            3976e5cc0b8a47c4cdc9e0211635f568
            \t8. unwritten -> hole
            0: [0..127]: extent
            1: [128..639]: hole
            1aca77e2188f52a62674fe8a873bdaba
            \t9. unwritten -> data
            0: [0..127]: extent
            1: [128..383]: hole
            2: [384..511]: extent
            3: [512..639]: hole
            286aad7ca07b2256f0f2bb8e608ff63d
            \t10. hole -> data -> hole
            1aca77e2188f52a62674fe8a873bdaba
            \t11. data -> hole -> data
            0: [0..127]: extent
            1: [128..511]: hole
            2: [512..639]: extent
            0bcfc7652751f8fe46381240ccadd9d7
            \t12. unwritten -> data -> unwritten
            0: [0..127]: extent
            1: [128..511]: hole
            2: [512..639]: extent
            1aca77e2188f52a62674fe8a873bdaba
            \t13. data -> unwritten -> data
            0: [0..127]: extent
            1: [128..511]: hole
            2: [512..639]: extent
            0bcfc7652751f8fe46381240ccadd9d7
            """ + TAIL;

    /** The last two runs of 255.out (-k). */
    static final String KEPT = """
            \t1. into a hole
            1aca77e2188f52a62674fe8a873bdaba
            \t2. into allocated space
            0: [0..127]: extent
            1: [128..383]: hole
            2: [384..639]: extent
            2f7a72b9ca9923b610514a11a45a80c9
            """ + "\t3. into unwritten space\n" + SAME_AS_2 + "\t4. hole -> data\n" + SAME_AS_2
            + "\t5. hole -> unwritten\n" + SAME_AS_2 + "\t6. data -> hole\n" + SAME_AS_2
            + "\t7. data -> unwritten\n" + SAME_AS_2 + "\t8. unwritten -> hole\n" + SAME_AS_2
            + "\t9. unwritten -> data\n" + SAME_AS_2 + "\t10. hole -> data -> hole\n" + MIDDLE_HOLE
            + "\t11. data -> hole -> data\n" + MIDDLE_HOLE + "\t12. unwritten -> data -> unwritten\n" + MIDDLE_HOLE
            + "\t13. data -> unwritten -> data\n" + MIDDLE_HOLE + TAIL;

    @TempDir
    Path tmp;

    @Test
    void generic255_punchHoleMatrix_matchesGoldenOutput() throws ErrnoException {
        try (MountedVfs m = new MountedVfs(tmp, 64L << 20, MountedVfs.LINUX)) {
            CommonPunch punch = new CommonPunch(new XfsIoHarness(m.vfs));
            String testfile = "/255.test";

            // Standard punch hole tests
            assertEquals(FRESH, punch.testGenericPunch(false, false, "falloc", "fpunch", "fpunch", "fiemap",
                    XfsIoHarness::filterHoleFiemap, testfile));
            // Delayed allocation punch hole tests
            assertEquals(FRESH, punch.testGenericPunch(false, true, "falloc", "fpunch", "fpunch", "fiemap",
                    XfsIoHarness::filterHoleFiemap, testfile));
            // Multi hole punch tests
            assertEquals(KEPT, punch.testGenericPunch(true, false, "falloc", "fpunch", "fpunch", "fiemap",
                    XfsIoHarness::filterHoleFiemap, testfile));
            // Delayed allocation multi punch hole tests
            assertEquals(KEPT, punch.testGenericPunch(true, true, "falloc", "fpunch", "fpunch", "fiemap",
                    XfsIoHarness::filterHoleFiemap, testfile));
        }
    }
}
