package dev.pmemfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reads every main source file and fails on a reference (import or qualified name) that points up
 * or sideways: each top-level package may use only the packages {@link #ALLOWED} lists for it. The
 * frontends are layers too (today {@code recovery} importing {@code cli} fails here), and a new
 * package fails until it is given its place. The README's "How it is built" states the same rule.
 */
class LayeringTest {
    private static final Set<String> DRIVER_AND_BELOW = Set.of("errno", "media", "block", "dax", "pmem");
    private static final Set<String> BELOW_FRONTENDS = Set.of("errno", "media", "block", "dax", "pmem", "fs", "vfs", "stack");

    /** Which pmemfs packages each layer may use (besides itself), bottom to top. */
    static final Map<String, Set<String>> ALLOWED = layers();

    private static Map<String, Set<String>> layers() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("errno", Set.of());
        m.put("media", Set.of("errno"));
        m.put("block", Set.of("errno", "media"));
        // The dax core knows a driver only through DaxOperations; the pmem driver implements both seams.
        m.put("dax", Set.of("errno", "media"));
        m.put("pmem", Set.of("errno", "media", "block", "dax"));
        // The filesystem reaches the device only through the driver's two faces, never the image.
        m.put("fs", Set.of("errno", "dax", "block"));
        m.put("vfs", Set.of("errno", "fs", "dax", "block"));
        // One place that assembles namespace, driver, mkfs, mount and syscalls for every frontend.
        m.put("stack", union(DRIVER_AND_BELOW, Set.of("fs", "vfs")));
        // A binding of libfuse3 knows nothing of pmemfs; the mount serves FUSE requests by the syscalls.
        m.put("fuse", Set.of("errno"));
        m.put("mount", Set.of("errno", "fs", "vfs", "fuse"));
        // The recovery designs work through a file's syscalls and the block device a caller opened.
        m.put("recovery", Set.of("errno", "block", "fs", "vfs"));
        m.put("study", union(BELOW_FRONTENDS, Set.of("recovery")));
        // The java.nio.file provider: a library frontend; the command line's 'bench nio' uses it.
        m.put("nio", union(BELOW_FRONTENDS, Set.of("recovery")));
        m.put("cli", union(BELOW_FRONTENDS, Set.of("mount", "recovery", "study", "nio")));
        return m;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new TreeSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }

    private static final Pattern REF = Pattern.compile("\\bdev\\.pmemfs\\.([a-z]+)\\b");

    /** The Maven modules and the layers each holds: the library modules hold the stack and the provider, nothing above. */
    private static final Map<String, Set<String>> MODULES = Map.of(
            "pmemfs-core", Set.of("errno", "media", "pmem", "dax", "block", "fs", "vfs", "recovery", "stack"),
            "pmemfs-nio", Set.of("nio"),
            "pmemfs-cli", Set.of("fuse", "mount", "study", "cli"));

    @Test
    void noLayerUsesAHigherOrSiblingLayer() throws IOException {
        List<String> violations = new ArrayList<>();
        for (String module : new TreeSet<>(MODULES.keySet())) {
            Path root = Path.of(module, "src/main/java/dev/pmemfs");
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    Path rel = root.relativize(f);
                    if (rel.getNameCount() < 2) {
                        violations.add(f + " is outside every layer: put it in a package");
                        continue;
                    }
                    String layer = rel.getName(0).toString();
                    Set<String> allowed = ALLOWED.get(layer);
                    if (allowed == null) {
                        violations.add(f + ": package dev.pmemfs." + layer + " has no place in LayeringTest.ALLOWED;"
                                + " add it with the packages it may use, and to the README's layer table");
                        continue;
                    }
                    if (!MODULES.get(module).contains(layer)) {
                        violations.add(f + ": layer " + layer + " does not belong in module " + module);
                    }
                    Matcher m = REF.matcher(Files.readString(f));
                    while (m.find()) {
                        String used = m.group(1);
                        if (!used.equals(layer) && !allowed.contains(used)) {
                            violations.add(f + " uses dev.pmemfs." + used);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), violations, "upward or sideways references");
    }

    @Test
    void everyLayerHasOneModule() {
        Set<String> placed = new TreeSet<>();
        MODULES.values().forEach(placed::addAll);
        assertEquals(new TreeSet<>(ALLOWED.keySet()), placed, "each layer of ALLOWED lives in exactly one module");
        assertEquals(ALLOWED.size(), MODULES.values().stream().mapToInt(Set::size).sum(), "no layer in two modules");
    }

    @Test
    void theRulesThemselvesPointDown() {
        // Each layer may use only layers declared before it: the table is an order, with no cycles.
        List<String> order = new ArrayList<>(ALLOWED.keySet());
        List<String> bad = new ArrayList<>();
        ALLOWED.forEach((layer, uses) -> uses.stream().filter(u -> order.indexOf(u) < 0 || order.indexOf(u) >= order.indexOf(layer))
                .forEach(u -> bad.add(layer + " -> " + u)));
        assertEquals(List.of(), bad);
    }

    @Test
    void theReadmeStatesTheRule() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        List<String> missing = new ArrayList<>();
        ALLOWED.forEach((layer, uses) -> {
            String line = "| `" + layer + "` | " + (uses.isEmpty() ? "nothing"
                    : String.join(", ", uses.stream().sorted((a, b) -> order(a) - order(b)).map(u -> "`" + u + "`").toList()))
                    + " |";
            if (!readme.contains(line)) {
                missing.add(line);
            }
        });
        assertEquals(List.of(), missing, "README's layer table rows (what LayeringTest enforces)");
    }

    private static int order(String layer) {
        return new ArrayList<>(ALLOWED.keySet()).indexOf(layer);
    }
}
