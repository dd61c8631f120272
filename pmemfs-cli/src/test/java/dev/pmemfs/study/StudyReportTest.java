package dev.pmemfs.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyReportTest {
    @TempDir
    Path dir;

    @Test
    void write_missingDirectory_createsItWithFourFiles() throws Exception {
        Path out = dir.resolve("a/b");
        List<Path> files = StudyReport.write(StudyFixture.result(), out);
        assertEquals(List.of(out.resolve("results.json"), out.resolve("results.csv"), out.resolve("summary.md"),
                out.resolve("report.html")), files);
        for (Path f : files) {
            assertTrue(Files.size(f) > 100, f + " is nearly empty");
        }
        assertEquals(StudyFixture.result(), ResultsJson.parse(Files.readString(files.getFirst())));
    }

    @Test
    void write_twice_sameBytes() throws Exception {
        List<Path> first = StudyReport.write(StudyFixture.result(), dir.resolve("one"));
        List<Path> second = StudyReport.write(StudyFixture.result(), dir.resolve("two"));
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(Files.readAllBytes(first.get(i)), Files.readAllBytes(second.get(i)), first.get(i).toString());
        }
    }
}
