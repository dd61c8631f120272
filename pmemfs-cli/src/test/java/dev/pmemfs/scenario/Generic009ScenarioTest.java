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
 * fstests generic/009, "Test fallocate FALLOC_FL_ZERO_RANGE": {@code _test_generic_punch falloc fzero fzero
 * fiemap _filter_fiemap} plain, with -d (no sync), -k (keep the file) and -d -k; the expected text is
 * generic/009.out. Run on the Linux-behaviour mount (zero_range=unwritten), as on XFS.
 */
class Generic009ScenarioTest {
    static final String TAIL = """
            \t14. data -> hole @ EOF
            0: [0..383]: data
            1: [384..639]: unwritten
            eb591f549edabba2b21f80ce4deed8a9
            \t15. data -> hole @ 0
            0: [0..255]: unwritten
            1: [256..639]: data
            b0c249edb75ce5b52136864d879cde83
            \t16. data -> cache cold ->hole
            0: [0..255]: unwritten
            1: [256..639]: data
            b0c249edb75ce5b52136864d879cde83
            \t17. data -> hole in single block file
            0: [0..7]: data
            0000000 cdcd cdcd cdcd cdcd cdcd cdcd cdcd cdcd
            *
            0000200 0000 0000 0000 0000 0000 0000 0000 0000
            *
            0000400 cdcd cdcd cdcd cdcd cdcd cdcd cdcd cdcd
            *
            """;

    /** The first two runs of 009.out (fresh file each case). */
    static final String FRESH = """
            \t1. into a hole
            0: [0..127]: hole
            1: [128..383]: unwritten
            2: [384..639]: hole
            1aca77e2188f52a62674fe8a873bdaba
            \t2. into allocated space
            0: [0..127]: data
            1: [128..383]: unwritten
            2: [384..639]: data
            2f7a72b9ca9923b610514a11a45a80c9
            \t3. into unwritten space
            0: [0..639]: unwritten
            1aca77e2188f52a62674fe8a873bdaba
            \t4. hole -> data
            0: [0..127]: hole
            1: [128..383]: unwritten
            2: [384..511]: data
            3: [512..639]: hole
            286aad7ca07b2256f0f2bb8e608ff63d
            \t5. hole -> unwritten
            0: [0..127]: hole
            1: [128..511]: unwritten
            2: [512..639]: hole
            1aca77e2188f52a62674fe8a873bdaba
            \t6. data -> hole
            0: [0..127]: data
            1: [128..383]: unwritten
            2: [384..639]: hole
            3976e5cc0b8a47c4cdc9e0211635f568
            \t7. data -> unwritten
            0: [0..127]: data
            1: [128..511]: unwritten
            2: [512..639]: hole
            3976e5cc0b8a47c4cdc9e0211635f568
            \t8. unwritten -> hole
            0: [0..383]: unwritten
            1: [384..639]: hole
            1aca77e2188f52a62674fe8a873bdaba
            \t9. unwritten -> data
            0: [0..383]: unwritten
            1: [384..511]: data
            2: [512..639]: hole
            286aad7ca07b2256f0f2bb8e608ff63d
            \t10. hole -> data -> hole
            0: [0..127]: hole
            1: [128..511]: unwritten
            2: [512..639]: hole
            1aca77e2188f52a62674fe8a873bdaba
            \t11. data -> hole -> data
            0: [0..127]: data
            1: [128..511]: unwritten
            2: [512..639]: data
            0bcfc7652751f8fe46381240ccadd9d7
            \t12. unwritten -> data -> unwritten
            0: [0..639]: unwritten
            1aca77e2188f52a62674fe8a873bdaba
            \t13. data -> unwritten -> data
            0: [0..127]: data
            1: [128..511]: unwritten
            2: [512..639]: data
            0bcfc7652751f8fe46381240ccadd9d7
            """ + TAIL;

    /** The last two runs of 009.out (-k: each case starts from the previous case's file). */
    static final String KEPT = """
            \t1. into a hole
            0: [0..127]: hole
            1: [128..383]: unwritten
            2: [384..639]: hole
            1aca77e2188f52a62674fe8a873bdaba
            \t2. into allocated space
            0: [0..127]: data
            1: [128..383]: unwritten
            2: [384..639]: data
            2f7a72b9ca9923b610514a11a45a80c9
            \t3. into unwritten space
            0: [0..127]: data
            1: [128..383]: unwritten
            2: [384..639]: data
            2f7a72b9ca9923b610514a11a45a80c9
            \t4. hole -> data
            0: [0..127]: data
            1: [128..383]: unwritten
            2: [384..639]: data
            2f7a72b9ca9923b610514a11a45a80c9
            \t5. hole -> unwritten
            0: [0..127]: data
            1: [128..383]: unwritten
            2: [384..639]: data
            2f7a72b9ca9923b610514a11a45a80c9
            \t6. data -> hole
            0: [0..127]: data
            1: [128..383]: unwritten
            2: [384..639]: data
            2f7a72b9ca9923b610514a11a45a80c9
            \t7. data -> unwritten
            0: [0..127]: data
            1: [128..383]: unwritten
            2: [384..639]: data
            2f7a72b9ca9923b610514a11a45a80c9
            \t8. unwritten -> hole
            0: [0..127]: data
            1: [128..383]: unwritten
            2: [384..639]: data
            2f7a72b9ca9923b610514a11a45a80c9
            \t9. unwritten -> data
            0: [0..127]: data
            1: [128..383]: unwritten
            2: [384..639]: data
            2f7a72b9ca9923b610514a11a45a80c9
            \t10. hole -> data -> hole
            0: [0..127]: data
            1: [128..511]: unwritten
            2: [512..639]: data
            0bcfc7652751f8fe46381240ccadd9d7
            \t11. data -> hole -> data
            0: [0..127]: data
            1: [128..511]: unwritten
            2: [512..639]: data
            0bcfc7652751f8fe46381240ccadd9d7
            \t12. unwritten -> data -> unwritten
            0: [0..127]: data
            1: [128..511]: unwritten
            2: [512..639]: data
            0bcfc7652751f8fe46381240ccadd9d7
            \t13. data -> unwritten -> data
            0: [0..127]: data
            1: [128..511]: unwritten
            2: [512..639]: data
            0bcfc7652751f8fe46381240ccadd9d7
            """ + TAIL;


    @TempDir
    Path tmp;

    @Test
    void generic009_zeroRangeMatrix_matchesGoldenOutput() throws ErrnoException {
        try (MountedVfs m = new MountedVfs(tmp, 64L << 20, MountedVfs.LINUX)) {
            CommonPunch punch = new CommonPunch(new XfsIoHarness(m.vfs));
            String testfile = "/009.test";

            // Standard zero range tests
            assertEquals(FRESH, punch.testGenericPunch(false, false, "falloc", "fzero", "fzero", "fiemap",
                    XfsIoHarness::filterFiemap, testfile));
            // Delayed allocation zero range tests
            assertEquals(FRESH, punch.testGenericPunch(false, true, "falloc", "fzero", "fzero", "fiemap",
                    XfsIoHarness::filterFiemap, testfile));
            // Multi zero range tests
            assertEquals(KEPT, punch.testGenericPunch(true, false, "falloc", "fzero", "fzero", "fiemap",
                    XfsIoHarness::filterFiemap, testfile));
            // Delayed allocation multi zero range tests
            assertEquals(KEPT, punch.testGenericPunch(true, true, "falloc", "fzero", "fzero", "fiemap",
                    XfsIoHarness::filterFiemap, testfile));
        }
    }
}
