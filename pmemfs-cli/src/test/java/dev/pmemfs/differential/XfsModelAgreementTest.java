package dev.pmemfs.differential;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Gen;
import dev.pmemfs.testing.fileops.OpGenerator;
import dev.pmemfs.testing.xfs.XfsScratch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness checked against itself: random sequences on real XFS must agree with the in-memory
 * reference model on every answer, size and byte, and XFS's seek walk and FIEMAP map must agree with
 * each other. If this fails, the differential test's verdicts cannot be trusted.
 */
class XfsModelAgreementTest {
    @TempDir
    static Path dir;
    static XfsScratch xfs;

    @BeforeAll
    static void mount() throws IOException {
        xfs = XfsScratch.mountOrSkip(dir);
    }

    @AfterAll
    static void unmount() throws IOException {
        if (xfs != null) {
            xfs.close();
        }
    }

    @Test
    void randomSequences_onXfs_agreeWithModel() {
        DifferentialCase xfsOnly = new DifferentialCase(DifferentialCase.Files.onXfs(xfs), null, XfsScratch.BLOCK_SIZE,
                OpGenerator.standard(), 10_000);
        Map<String, Integer> outcomes = new TreeMap<>();
        Gen.forAll("xfs-model-agreement", 12, g -> xfsOnly.run(g, 400, 25)
                .forEach((k, v) -> outcomes.merge(k, v, Integer::sum)));
        System.out.println("XFS vs model, outcomes over all sequences: " + outcomes);
        if (!Gen.onePinnedCase()) {
            // The generator must reach every op's success and its deliberate failures, or the
            // comparison silently covers less than it claims.
            for (String op : List.of("Pwrite", "Pread", "Truncate", "Falloc", "Fpunch", "Fzero", "Fcollapse", "Finsert",
                    "Fmode", "SeekData", "SeekHole")) {
                assertTrue(outcomes.getOrDefault(op + " ok", 0) > 0, op + " never succeeded: " + outcomes);
                assertTrue(outcomes.keySet().stream().anyMatch(k -> k.startsWith(op + " E")),
                        op + " never failed: " + outcomes);
            }
        }
    }
}
