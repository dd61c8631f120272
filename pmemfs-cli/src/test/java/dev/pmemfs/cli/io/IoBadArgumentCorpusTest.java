package dev.pmemfs.cli.io;

import static org.junit.jupiter.api.Assertions.fail;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.testing.MountedVfs;
import dev.pmemfs.vfs.Syscalls;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import dev.pmemfs.fs.MountOptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command of the io session's table ({@link IoCommands#all}, so a new command is covered
 * without touching this test) with hostile words in each operand position and as the argument of
 * each of its options: xfs_io's numbers at and past 2^63 and 2^64, suffixes that wrap or are unknown,
 * path tricks, option-like words, control characters, a lone surrogate. xfs_io answers each with its
 * own message and the session goes on; a Java exception, a stack trace or an "internal error" is a
 * bug. Each command runs on its own small filesystem, almost full so that huge writes end soon in
 * ENOSPC, on a fresh 64 KiB file (mapped first when the command needs a mapping).
 */
class IoBadArgumentCorpusTest {
    static final List<String> CORPUS = List.of(
            "-1", "0", "9223372036854775807", "9223372036854775808", "18446744073709551616", "2^64", "1p", "7e",
            "8e", "16e", "1z", "4kk", "0x", "0x8000000000000000", "9223372036854771712", "/../..", "@/tmp/x",
            "--", "-", "-z", "a\nb", "\u0000", "\uD800\u00FF", "a".repeat(5000));

    /** "-b bs" in a usage text: an option letter that takes an argument. */
    private static final Pattern OPTION_WITH_ARGUMENT = Pattern.compile("-([A-Za-z]) [a-z]+");

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyIoCommandAnswersEveryBadWordWithoutAJavaError() {
        return IoCommands.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private void check(IoCmd c) throws Exception {
        Set<List<String>> lines = new LinkedHashSet<>();
        lines.add(List.of(c.name()));
        for (String v : CORPUS) {
            lines.add(List.of(c.name(), v));
            lines.add(List.of(c.name(), v, "4096"));
            lines.add(List.of(c.name(), "0", v));
            lines.add(List.of(c.name(), "0", "4096", v));
            Matcher m = OPTION_WITH_ARGUMENT.matcher(c.args());
            while (m.find()) {
                lines.add(List.of(c.name(), "-" + m.group(1), v, "0", "4096"));
            }
        }
        List<String> problems = new ArrayList<>();
        Path fsDir = Files.createDirectory(dir.resolve(c.name()));
        try (MountedVfs m = new MountedVfs(fsDir, 16L << 20, MountOptions.DEFAULTS)) {
            fillAllBut(m, 512 << 10);
            int i = 0;
            for (List<String> words : lines) {
                String file = "/f" + i++;
                String line = String.join(" ", words);
                StringWriter out = new StringWriter();
                try (Syscalls p = m.root()) {
                    IoSession s = new IoSession(p, new PrintWriter(out, true), new PrintWriter(out, true), () -> 0);
                    if (!s.openInitial(file, Syscalls.O_RDWR | Syscalls.O_CREAT, 0600)) {
                        throw new AssertionError("cannot create " + file + ": " + out);
                    }
                    List<String> script = new ArrayList<>(List.of("pwrite -q 0 64k"));
                    if (c.needsMapping()) {
                        script.add("mmap 0 64k");
                    }
                    script.add(line);
                    int status = s.run(script);
                    String text = out.toString();
                    if (text.contains("Exception") || text.contains("\tat ")
                            || text.toLowerCase(Locale.ROOT).contains("internal error")) {
                        problems.add(show(line) + " printed a Java error: " + abbreviate(text));
                    } else if (status != 0 && status != 1) {
                        problems.add(show(line) + " exited " + status + ": " + abbreviate(text));
                    }
                } catch (RuntimeException | Error e) {
                    problems.add(show(line) + " threw " + e);
                }
                removeQuietly(m, file);
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " of " + lines.size() + " command lines of " + c.name() + " misbehaved:\n"
                    + String.join("\n", problems));
        }
    }

    /**
     * Leaves only about {@code free} bytes of the filesystem free (a preallocated file holds the rest),
     * so a write of 2^63 bytes meets ENOSPC after a few hundred calls instead of thousands.
     */
    private static void fillAllBut(MountedVfs m, long free) throws ErrnoException {
        try (Syscalls p = m.root()) {
            int fd = p.open("/filler", Syscalls.O_RDWR | Syscalls.O_CREAT, 0600);
            try {
                for (long size = 16L << 20; size > free; size -= 256 << 10) {
                    try {
                        p.fallocate(fd, 0, 0, size);
                        p.ftruncate(fd, size - free);
                        return;
                    } catch (ErrnoException e) {
                        // ENOSPC: try a smaller one
                    }
                }
            } finally {
                p.close(fd);
            }
        }
    }

    /** Clears the flags a chattr may have set (immutable, append-only) and unlinks the file. */
    private static void removeQuietly(MountedVfs m, String file) {
        try (Syscalls p = m.root()) {
            int fd = p.open(file, Syscalls.O_RDONLY, 0);
            try {
                p.setFlags(fd, 0);
            } finally {
                p.close(fd);
            }
            p.unlink(file);
        } catch (ErrnoException e) {
            // an "open -f" of a corpus word may have made other files; a lost inode here is harmless
        }
    }

    private static String show(String line) {
        return "'" + abbreviate(line).replace("\n", "\\n").replace("\u0000", "\\0") + "'";
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
