package dev.pmemfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pmemfs.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Every command and subcommand, found by walking picocli's command tree (a new command is covered
 * without touching this test), run in-process with a corpus of hostile arguments in every position:
 * nothing, one too many, negative numbers, 2^63 and 2^64, odd size suffixes, empty and blank words,
 * path tricks, control characters and text that is not valid UTF-8 (a lone surrogate, as the JVM
 * decodes such bytes). Each run must end in one clear line on stderr and a usage or failure exit
 * code (or succeed, where the word happens to be valid), never a stack trace or "internal error".
 *
 * <p>The namespace is one small formatted fixture, restored from a pristine copy whenever a run
 * changed it, so destructive commands (destroy-namespace, mkfs, dev write) cannot starve the runs after
 * them. Commands that do long work on valid input (study, bench, demo) get a guard argument that is
 * checked after all others ({@code --out}/{@code --dir} naming a regular file), so a word that turns
 * out valid ends in a usage error instead of a benchmark.
 */
class BadArgumentCorpusTest {
    private static final String NS = "namespace0.0";

    /**
     * The hostile words, one or two per class: empty and blank, negative, 2^63-1, 2^63 and 2^64 (and
     * 2^64 as people write it), odd size suffixes (one that wraps to zero in C, an unknown one), a bare
     * hex prefix, path tricks inside a namespace and on the host, a namespace that does not exist,
     * option-like words, an @file word, a newline, NUL, a lone surrogate (what the JVM makes of bytes
     * that are not UTF-8), a very long word, and the two overflowing OFF:LEN ranges.
     */
    static final List<String> CORPUS = List.of(
            "", " ", "-1", "9223372036854775807", "9223372036854775808", "18446744073709551616", "2^64", "16e",
            "1z", "0x", NS + ":/../..", "namespace99.0", "../..", "-", "--", "@/nonexistent-pmemfs/args",
            "a\nb", "\u0000", "\uD800\u00FF", "a".repeat(5000), "0:9223372036854775807", "9223372036854775807:1");

    @TempDir
    static Path dir;
    static Path home;
    static Path pristine;
    /** A regular file: where a command wants a directory, it makes any otherwise valid run fail fast. */
    static Path notADirectory;
    /** Where relative host paths of the corpus land (commands that write host files write here). */
    static Path scratch;

    @BeforeAll
    static void fixture() throws IOException {
        home = Files.createDirectory(dir.resolve("home"));
        pristine = Files.createDirectory(dir.resolve("pristine"));
        scratch = Files.createDirectory(dir.resolve("scratch"));
        notADirectory = Files.writeString(dir.resolve("regular-file"), "not a directory\n");
        Cli cli = new Cli(home);
        cli.run("ndctl", "create-namespace", "--size", "16m").ok();
        cli.run("mkfs", NS).ok();
        cli.run("io", "-f", NS + ":/a", "-c", "pwrite 0 8k").ok();
        Files.writeString(scratch.resolve("host-file"), "host data\n");
        copyTree(home, pristine);
    }

    /** One picocli command of the tree, by its words after "pmemfs". */
    record Node(List<String> words, CommandSpec spec) {
        String name() {
            return words.isEmpty() ? "pmemfs" : "pmemfs " + String.join(" ", words);
        }
    }

    static List<Node> commandTree() {
        List<Node> out = new ArrayList<>();
        walk(PmemfsCommand.commandLine(), List.of(), out);
        return out;
    }

    private static void walk(CommandLine cl, List<String> words, List<Node> out) {
        out.add(new Node(words, cl.getCommandSpec()));
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            // Aliases list the same subcommand twice; visit it under its own name only.
            if (e.getKey().equals(e.getValue().getCommandName())) {
                List<String> sub = new ArrayList<>(words);
                sub.add(e.getKey());
                walk(e.getValue(), List.copyOf(sub), out);
            }
        }
    }

    @Test
    void theWalkFindsEveryLevelOfTheTree() {
        List<String> names = commandTree().stream().map(Node::name).toList();
        for (String expected : List.of("pmemfs", "pmemfs ndctl inject-error", "pmemfs dev write", "pmemfs io",
                "pmemfs recover", "pmemfs study", "pmemfs bench micro")) {
            assertTrue(names.contains(expected), expected + " missing from " + names);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCommandRefusesEveryBadArgumentInOneLine() {
        return commandTree().stream().map(n -> DynamicTest.dynamicTest(n.name(), () -> check(n)));
    }

    /** The known cases of issue 12.1, each a usage error with its own message. */
    @Test
    void knownCrashesAreNowUsageErrors() throws IOException {
        restore();
        Cli cli = new Cli(home);
        for (String range : List.of("9223372036854775807:1", "0:9223372036854775807", "9223372036854771712:4096")) {
            Cli.Result r = cli.run("recover", NS + ":/a", "--range", range);
            assertEquals(ExitCodes.USAGE, r.exit(), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("--range"), r.err());
        }
        for (String b : List.of("9223372036854775807", "1p", "7e", "18446744073709551616")) {
            for (String cmd : List.of("pwrite", "pread")) {
                Cli.Result r = cli.run("io", NS + ":/a", "-c", cmd + " -b " + b + " 0 4096");
                assertEquals(1, r.exit(), r.err());
                assertEquals("memalign: Cannot allocate memory\n", r.err(), "xfs_io's answer to -b " + b);
            }
        }
        Cli.Result study = Cli.runRaw("study", "--strategies", ",,,", "--out", notADirectory.toString());
        assertEquals(ExitCodes.USAGE, study.exit(), study.err());
        assertEquals("pmemfs study: Invalid --strategies: no strategies given in ',,,' (valid: punch-pwrite|punch-falloc|"
                + "fiemap-blkzeroout|unmount-clear|zero-range|zeroinit|recovery-write|salvage, all)\n", study.err());
    }

    // ---- the runs ----

    /** Commands that run long on valid input, and the argument that makes a valid run fail fast. */
    private static List<String> guard(Node n) {
        if (n.name().startsWith("pmemfs study")) {
            return List.of("--out", notADirectory.toString());
        }
        if (n.name().startsWith("pmemfs bench")) {
            return List.of("--dir", notADirectory.toString());
        }
        return List.of();
    }

    /** A command whose run with no arguments at all is a real (long) run, not a usage error. */
    private static boolean runsWithoutArguments(Node n) {
        return n.name().equals("pmemfs demo");
    }

    private static void check(Node n) throws IOException {
        Set<List<String>> runs = new LinkedHashSet<>();
        List<String> guard = guard(n);
        List<PositionalParamSpec> positionals = n.spec().positionalParameters();
        List<String> plausible = positionals.stream().map(p -> plausible(n, p)).toList();
        if (!runsWithoutArguments(n)) {
            runs.add(concat(guard, List.of()));
        }
        // "--" ends the options: alone it is no argument at all.
        List<String> corpus = runsWithoutArguments(n) ? CORPUS.stream().filter(v -> !v.equals("--")).toList() : CORPUS;
        // One too many (after plausible positionals), in every corpus word.
        for (String v : corpus) {
            List<String> extra = new ArrayList<>(plausible);
            extra.add(v);
            if (positionals.stream().noneMatch(p -> p.arity().max() == Integer.MAX_VALUE)) {
                runs.add(concat(guard, extra));
            }
        }
        for (int i = 0; i < positionals.size(); i++) {
            for (String v : corpus) {
                List<String> args = new ArrayList<>(plausible);
                args.set(i, hostPath(positionals.get(i)) ? underScratch(v) : v);
                runs.add(concat(guard, args));
            }
        }
        for (OptionSpec o : n.spec().options()) {
            if (o.arity().max() == 0 || o.longestName().equals("--home") || !firstSeen(n, o)) {
                continue;
            }
            for (String v : corpus) {
                String value = hostPath(o) ? underScratch(v) : v;
                boolean isGuard = guard.contains(o.longestName());
                if (isGuard && !failsAsGuard(value)) {
                    continue; // a valid --out/--dir would start the long run itself
                }
                List<String> args = new ArrayList<>(plausible);
                args.add(o.longestName());
                args.add(value);
                runs.add(isGuard ? List.copyOf(args) : concat(guard, args));
            }
            // The attached form, --opt=VALUE, once per option.
            List<String> attached = new ArrayList<>(plausible);
            attached.add(o.longestName() + "=" + (hostPath(o) ? "\u0000" : "-1"));
            runs.add(concat(guard, attached));
        }
        List<String> problems = new ArrayList<>();
        Set<String> pristineFiles = files(pristine);
        restore();
        InProcess.Runner runner = new InProcess.Runner();
        for (List<String> args : runs) {
            List<String> argv = new ArrayList<>(n.words());
            if (n.spec().findOption("--home") != null) {
                argv.add("--home");
                argv.add(home.toString());
            }
            argv.addAll(args);
            InProcess.Result r;
            try {
                r = runner.run(argv.toArray(String[]::new));
            } catch (Throwable t) {
                problems.add(show(argv) + " threw " + t);
                continue;
            } finally {
                if (!files(home).equals(pristineFiles)) {
                    restore(); // a namespace was destroyed or created
                }
            }
            String problem = judge(n, args, r);
            if (problem != null) {
                problems.add(show(argv) + " -> " + problem + "\n    exit " + r.exit() + ", stderr: " + r.err().strip()
                        + (r.out().isEmpty() ? "" : "\n    stdout: " + abbreviate(r.out().strip())));
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " of " + runs.size() + " runs of " + n.name() + " misbehaved:\n"
                    + String.join("\n", problems));
        }
    }

    /** Null when the run answered as a command line should, else what is wrong. */
    private static String judge(Node n, List<String> args, InProcess.Result r) {
        String all = r.out() + r.err();
        if (all.contains("\tat ") || all.contains("Exception") || all.contains("Error:") && all.contains("java.")) {
            return "a stack trace or a Java exception name";
        }
        if (all.toLowerCase(java.util.Locale.ROOT).contains("internal error") || r.exit() == ExitCodes.SOFTWARE) {
            return "an internal error";
        }
        if (r.exit() == 0) {
            return null; // the word was valid there (a seed of -1, a file name "1p")
        }
        if (n.name().equals("pmemfs io") && args.contains("-c") && r.exit() == 1) {
            return null; // xfs_io's own messages (stdout or stderr, possibly with the usage line)
        }
        if (r.exit() != ExitCodes.USAGE && r.exit() != ExitCodes.FAILURE && !n.name().equals("pmemfs fsck")) {
            return "exit code " + r.exit() + " is neither usage (2) nor failure (1)";
        }
        if (r.err().lines().count() != 1 || r.err().isBlank()) {
            return "not exactly one line on stderr";
        }
        return null;
    }

    // ---- arguments ----

    /** Mixin options already run with the corpus: the same parser on every command that mixes it in. */
    private static final Set<String> SEEN_MIXIN_OPTIONS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Whether this option still needs its corpus run: always for a command's own options; for an option
     * of a mixin (--user, --cap, -o), only on the first command that carries it.
     */
    private static boolean firstSeen(Node n, OptionSpec o) {
        for (CommandSpec mixin : n.spec().mixins().values()) {
            if (mixin.findOption(o.longestName()) != null) {
                return SEEN_MIXIN_OPTIONS.add(mixin.userObject().getClass().getName() + " " + o.longestName());
            }
        }
        return true;
    }

    /** A valid-looking value for a positional, so the corpus word under test is the only bad one. */
    private static String plausible(Node n, PositionalParamSpec p) {
        String label = p.paramLabel();
        if (n.name().equals("pmemfs cp")) {
            return p.index().min() == 0 ? scratch.resolve("host-file").toString() : NS + ":/copy";
        }
        if (label.startsWith("NS:")) {
            return NS + ":/a";
        }
        return switch (label) {
            case "NS" -> NS;
            case "OFFSET" -> "0";
            case "LEN" -> "4096";
            case "COMMAND" -> "io";
            default -> "x";
        };
    }

    /** Whether the argument names a file or directory on the host (relative words must not land in the worktree). */
    private static boolean hostPath(ArgSpec a) {
        String label = a.paramLabel();
        return a.type() == Path.class || label.equals("FILE") || label.equals("DIR") || label.equals("SRC")
                || label.equals("DST");
    }

    /** Host paths stay inside the scratch directory; the absolute ones of the corpus are harmless there. */
    private static String underScratch(String v) {
        if (v.startsWith("/")) {
            return v.equals("/") ? "/nonexistent-pmemfs/" : v;
        }
        return v.isEmpty() ? v : scratch + "/" + v;
    }

    /** Whether {@code --out V}/{@code --dir V} is refused before any work: not a path, or not a directory. */
    private static boolean failsAsGuard(String v) {
        try {
            Path p = Path.of(v);
            return v.isEmpty() ? false : Files.exists(p) && !Files.isDirectory(p);
        } catch (InvalidPathException e) {
            return true;
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    private static String show(List<String> argv) {
        StringBuilder b = new StringBuilder("pmemfs");
        for (String a : argv) {
            b.append(" '").append(abbreviate(a).replace("\n", "\\n").replace("\u0000", "\\0")).append('\'');
        }
        return b.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    // ---- the fixture ----

    /** Names and sizes of the files of a home: what a create or destroy of a namespace changes. */
    private static Set<String> files(Path root) throws IOException {
        Set<String> names = new java.util.TreeSet<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                names.add(root.relativize(p) + " " + Files.size(p));
            }
        }
        return names;
    }

    /** The home as the fixture made it: one formatted namespace holding /a. */
    private static void restore() throws IOException {
        deleteTree(home);
        Files.createDirectory(home);
        copyTree(pristine, home);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
