package dev.pmemfs.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's JUnit example, run as written; the README must show exactly this method. */
class ReadmeExampleTest {
    // README begin
    @Test
    void myCodeSeesMediaErrors() throws IOException {
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("pmemfs:/namespace0.0"),
                Map.of("create", "64m", "profile", "linux-5.19"))) {
            Path db = fs.getPath("/db");
            Files.write(db, new byte[64 << 10]);                  // your code, on a Path
            PmemFiles.inject(db, 8192, 4096);                     // poison one block of the file
            MediaErrorException e = assertThrows(MediaErrorException.class, () -> Files.readAllBytes(db));
            assertEquals(8192, e.offset());                       // the bad range: offset, length, errno
            PmemFiles.recover(db);                                // the best recovery design of the profile
            assertEquals(64 << 10, Files.readAllBytes(db).length);
        }
    }
    // README end

    @Test
    void theReadmeShowsThisExample() throws IOException {
        String self = Files.readString(Path.of("pmemfs-cli/src/test/java/dev/pmemfs/nio/ReadmeExampleTest.java"));
        String body = self.substring(self.indexOf("// README begin\n") + 16, self.indexOf("    // README end"));
        String unindented = body.lines().map(l -> l.startsWith("    ") ? l.substring(4) : l)
                .reduce("", (a, b) -> a + b + "\n");
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("```java\n" + unindented + "```"), "README's example differs from:\n" + unindented);
    }
}
