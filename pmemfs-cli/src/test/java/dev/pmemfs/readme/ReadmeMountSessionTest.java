package dev.pmemfs.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.mount.FuseMount;
import dev.pmemfs.mount.MountTable;
import dev.pmemfs.testing.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's mounted session (the indented block after {@code <!-- mount session -->}) is what the
 * commands print: each {@code $ ./pmemfs ...} line runs in-process on a fresh home (after the set-up
 * the README gives above it), every other {@code $} line runs with sh, {@code /mnt/pm} stands for a
 * temporary mount point, and the output must equal the lines under the command, apart from the mount
 * process's pid and dd's timing. A trailing {@code >/dev/null} discards a command's output.
 */
class ReadmeMountSessionTest {
    static final String MARKER = "<!-- mount session -->";

    @Test
    void theMountedSessionIsWhatTheCommandsPrint(@TempDir Path dir) throws Exception {
        var why = FuseMount.unavailable();
        if (why.isPresent()) {
            System.out.println("FUSE unavailable, skipping: " + why.get());
            Assumptions.assumeTrue(false, why.get());
        }
        List<String> block = block(Files.readAllLines(Path.of("README.md")));
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        Cli cli = new Cli(dir.resolve("home"));
        cli.run("ndctl", "create-namespace", "--size", "256m").ok();
        cli.run("mkfs", "namespace0.0").ok();
        StringBuilder got = new StringBuilder();
        try {
            for (String line : block) {
                if (!line.startsWith("$ ")) {
                    continue;
                }
                String cmd = line.substring(2);
                got.append(line).append('\n');
                boolean discard = cmd.endsWith(" >/dev/null");
                if (discard) {
                    cmd = cmd.substring(0, cmd.length() - " >/dev/null".length());
                }
                String out;
                if (cmd.startsWith("./pmemfs ")) {
                    List<String> words = words(cmd.substring("./pmemfs ".length()).replace("/mnt/pm", mnt.toString()));
                    Cli.Result r = cli.run(words.toArray(String[]::new));
                    out = r.out() + r.err();
                } else {
                    out = sh(dir, cmd.replace("/mnt/pm", mnt.toString()));
                }
                if (!discard) {
                    got.append(out.replace(mnt.toString(), "/mnt/pm"));
                }
            }
        } finally {
            if (MountTable.anyAt(mnt).isPresent()) {
                cli.run("umount", mnt.toString());
            }
            if (MountTable.anyAt(mnt).isPresent()) {
                MountTable.unmount(mnt, true);
            }
        }
        String want = String.join("\n", block) + "\n";
        assertEquals(normalize(want), normalize(got.toString()),
                "README's mount session differs from what the commands print; the session as run:\n" + got);
        assertTrue(MountTable.anyAt(mnt).isEmpty());
    }

    /** The mount process's pid and dd's timing change from run to run. */
    private static String normalize(String s) {
        return s.replaceAll("process \\d+", "process N").replaceAll("copied, [0-9.e-]+ s, [0-9.,]+ [kMG]?B/s", "copied, T");
    }

    private static List<String> block(List<String> readme) {
        int at = readme.indexOf(MARKER);
        assertTrue(at >= 0, "README.md has no " + MARKER);
        int i = at + 1;
        while (i < readme.size() && readme.get(i).isBlank()) {
            i++;
        }
        List<String> lines = new ArrayList<>();
        for (; i < readme.size() && (readme.get(i).startsWith("    ") || readme.get(i).isEmpty()); i++) {
            lines.add(readme.get(i).isEmpty() ? "" : readme.get(i).substring(4));
        }
        while (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        assertTrue(!lines.isEmpty(), "no indented block after " + MARKER);
        return lines;
    }

    /** Shell words: blanks separate, single quotes group. */
    private static List<String> words(String s) {
        List<String> w = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : s.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    w.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) {
            w.add(cur.toString());
        }
        return w;
    }

    private static String sh(Path cwd, String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).directory(cwd.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + script);
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
