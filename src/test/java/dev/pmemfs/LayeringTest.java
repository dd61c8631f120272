package dev.pmemfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Reads the imports of every main source file and fails on an import that points up the layers. */
class LayeringTest {
    /** Which pmemfs packages each layer may use (besides itself). */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "errno", Set.of(),
            "media", Set.of("errno"),
            "block", Set.of("errno", "media"),
            "dax", Set.of("errno", "media", "block"),
            "fs", Set.of("errno", "dax", "block"),
            "vfs", Set.of("errno", "fs", "dax", "block"));

    private static final Pattern REF = Pattern.compile("\\bdev\\.pmemfs\\.([a-z]+)\\b");

    @Test
    void noLayerImportsUpward() throws IOException {
        Path root = Path.of("src/main/java/dev/pmemfs");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String layer = root.relativize(f).getName(0).toString();
                Set<String> allowed = ALLOWED.get(layer);
                if (allowed == null) {
                    continue; // frontends (cli, study, ...) may use every layer
                }
                String text = Files.readString(f);
                Matcher m = REF.matcher(text);
                while (m.find()) {
                    String used = m.group(1);
                    if (!used.equals(layer) && !allowed.contains(used)) {
                        violations.add(f + " uses dev.pmemfs." + used);
                    }
                }
            }
        }
        assertEquals(List.of(), violations, "upward or sideways imports");
    }
}
