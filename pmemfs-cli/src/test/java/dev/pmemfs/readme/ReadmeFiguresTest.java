package dev.pmemfs.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pmemfs.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's study figures are what {@code ./pmemfs study} prints, today: runs the command a reader
 * runs (defaults, in-process, about 20 s of CPU), rebuilds the README's table from the
 * {@code summary.md} it wrote, checks each figure of the prose against the same run, and fails on any
 * number in the section that no check covers. On a mismatch it writes the README it expects to
 * {@code target/README.expected.md}.
 */
class ReadmeFiguresTest {
    private static final Path README = Path.of("README.md");
    private static final String SECTION = "## What the study shows";
    private static final String TABLE_MARK = "<!-- generated from ./pmemfs study's summary.md; ReadmeFiguresTest checks it -->";
    /** The summary.md columns the README shows, in its order. */
    private static final List<String> COLUMNS = List.of("Strategy", "Mount profile", "Physical runs", "RDMA SGEs",
            "PMD-mappable", "Clean blocks consumed", "Poisoned blocks left", "Metadata unflagged", "Went on");
    private static final List<String> RELOCATING = List.of("punch-pwrite @ linux-5.19", "punch-falloc @ linux-5.19",
            "zero-range @ linux-5.19");

    @TempDir
    Path out;

    /** One row of summary.md, by column header. */
    private record Row(Map<String, String> cells) {
        String get(String column) {
            String v = cells.get(column);
            if (v == null) {
                throw new AssertionError("summary.md has no column '" + column + "': " + cells.keySet());
            }
            return v;
        }

        long num(String column) {
            return Long.parseLong(get(column));
        }

        String label() {
            return get("Strategy") + " @ " + get("Mount profile");
        }

        boolean wentOn() {
            return get("Went on").equals("yes");
        }
    }

    @Test
    void studySection_matchesWhatTheDefaultStudyPrints() throws IOException {
        // -Dpmemfs.readme.study=DIR checks against a study already run into DIR with the defaults.
        String given = System.getProperty("pmemfs.readme.study");
        if (given != null) {
            out = Path.of(given);
        } else {
            Cli.Result r = Cli.runRaw("study", "-q", "--out", out.toString());
            assertEquals(0, r.exit(), r.err());
        }
        String summary = Files.readString(out.resolve("summary.md"));
        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        List<String> header = new ArrayList<>();
        List<Row> rows = parseTable(summary, header);

        String readme = Files.readString(README);
        String expectedReadme = withTable(readme, table(rows));
        List<String> problems = new ArrayList<>();
        if (!expectedReadme.equals(readme)) {
            problems.add("the study table differs from summary.md's columns " + COLUMNS);
        }
        // The table is checked whole above; the prose is what is left.
        String section = flat(section(expectedReadme).lines().filter(l -> !l.startsWith("|"))
                .collect(Collectors.joining("\n")));
        List<String> phrases = phrases(summary, rows, results);
        String rest = section;
        for (String p : phrases) {
            if (!section.contains(p)) {
                problems.add("README lacks: " + p);
            }
            rest = rest.replace(p, " ");
        }
        // Every number left once the checked phrases and the generated table are gone is unchecked.
        rest = rest.replaceAll("(^| )\\d\\. ", " "); // list markers
        Matcher unchecked = Pattern.compile(".{0,30}\\d.{0,30}").matcher(rest);
        while (unchecked.find()) {
            problems.add("number no check covers: ..." + unchecked.group() + "...");
        }
        if (!problems.isEmpty()) {
            Path expected = Path.of("target", "README.expected.md");
            Files.createDirectories(expected.getParent());
            Files.writeString(expected, expectedReadme);
            throw new AssertionError("README's study section does not match './pmemfs study' (README with the table "
                    + "regenerated: " + expected + "):\n  " + String.join("\n  ", problems) + "\nsummary.md:\n" + summary);
        }
    }

    /** Every figure the prose states, as the sentence that states it, built from this run. */
    private static List<String> phrases(String summary, List<Row> rows, JsonNode results) {
        Matcher params = Pattern.compile("Workload `(.+?)`, device (.+?), (\\d+) poison events, seed (\\S+)\\.")
                .matcher(summary);
        assertTrue(params.find(), summary);
        Matcher plan = Pattern.compile("(\\d+) % single 512-byte sectors and (\\d+) % clusters of (\\d+)-(\\d+) adjacent "
                + "4 KiB blocks in file data, (\\d+) % sectors in free space and (\\d+) % sectors in metadata outside the "
                + "journal; a quarter are latent").matcher(flat(summary));
        assertTrue(plan.find(), summary);
        List<Row> relocating = rows.stream().filter(x -> x.num("Physical runs") > 1).toList();
        assertEquals(RELOCATING, relocating.stream().map(Row::label).toList(), "the designs the prose calls relocating");
        List<Row> inPlace = rows.stream().filter(x -> x.num("Physical runs") <= 1).toList();
        Row unmountClear = only(rows, x -> x.label().equals("unmount-clear @ linux-5.19"));
        Row healedClear = only(rows, x -> x.label().equals("unmount-clear @ pmemfs,meta_replicas=2"));
        List<Row> replicated = rows.stream().filter(x -> x.get("Mount profile").contains("meta_replicas=2")).toList();
        List<Row> oneCopy = rows.stream().filter(x -> !replicated.contains(x)).toList();
        List<Row> online = rows.stream().filter(x -> !x.get("Strategy").equals("unmount-clear")).toList();
        List<Row> onlineInPlace = inPlace.stream().filter(online::contains).toList();
        List<Row> preallocating = rows.stream().filter(x -> x.label().equals("punch-falloc @ linux-5.19")
                || x.label().equals("zero-range @ linux-5.19")).toList();
        long maxConsumed = relocating.stream().mapToLong(x -> x.num("Clean blocks consumed")).max().orElseThrow();
        long cleanAtStart = results.get("runs").get(0).get("steps").get(0).get("cleanFreeBlocks").asLong();
        Matcher stop = Pattern.compile("no \\((\\w+)\\)").matcher(unmountClear.get("Went on"));
        assertTrue(stop.matches(), "unmount-clear stopped: " + unmountClear.get("Went on"));
        assertTrue(rows.stream().noneMatch(x -> x.get("Went on").contains("ENOSPC")), "the prose says no run hit ENOSPC");
        assertEquals("0 B", unmountClear.get("Good data destroyed"), "the prose says clear at unmount destroys none");
        Row salvage = only(rows, x -> x.label().equals("salvage @ pmemfs"));
        assertEquals("0 B", salvage.get("Good data destroyed"), "the prose says salvage keeps the good data");
        // With replicas, fsck finds no damaged metadata after any event, not only the last.
        long worstReplicated = 0;
        for (JsonNode run : results.get("runs")) {
            if (run.get("profile").asText().contains("meta_replicas=2")) {
                for (JsonNode step : run.get("steps")) {
                    worstReplicated = Math.max(worstReplicated, step.get("metadataDamaged").asLong());
                }
            }
        }
        assertTrue(replicated.stream().allMatch(Row::wentOn), "the prose says the replicated runs went on");
        List<String> blockLevel = List.of("unmount-clear", "salvage");
        return List.of(
                "(defaults: workload `" + params.group(1) + "`, one preallocated, fully written buffer filling most of "
                        + "the free space; device " + params.group(2) + ", " + params.group(3) + " poison events, seed "
                        + params.group(4) + ")",
                plan.group(1) + " % single sectors and " + plan.group(2) + " % clusters of " + plan.group(3) + "-"
                        + plan.group(4) + " blocks in file data, " + plan.group(5) + " % in free space, " + plan.group(6)
                        + " % in metadata, a quarter of them latent",
                "After " + range(online, x -> x.num("Events")) + " events punch + pwrite, libpmem2's punch + fallocate and "
                        + "Linux's ZERO_RANGE turn one physical run into " + range(relocating, x -> x.num("Physical runs"))
                        + ": " + range(relocating, x -> x.num("RDMA SGEs")) + " scatter-gather entries to register the "
                        + "buffer instead of " + range(inPlace, x -> x.num("RDMA SGEs")) + ", and only "
                        + range(relocating, ReadmeFiguresTest::pmd) + " % of it still mappable with 2 MiB pages.",
                "Every in-place design keeps " + range(inPlace, x -> x.num("Physical runs")) + " run and "
                        + range(inPlace, ReadmeFiguresTest::pmd) + " %;",
                "(" + range(relocating, x -> x.num("Clean blocks consumed")) + " against "
                        + range(onlineInPlace, x -> x.num("Clean blocks consumed"))
                        + ", which are free-space events nobody repairs)",
                "at most " + String.format(Locale.ROOT, "%.1f", 100.0 * maxConsumed / cleanAtStart)
                        + " % of the clean free space and no run here hit ENOSPC",
                "— " + range(preallocating, x -> x.num("Poisoned blocks left")) + " poisoned blocks left for punch + "
                        + "fallocate and Linux ZERO_RANGE",
                "damaged metadata for every design that keeps one copy of it ("
                        + range(oneCopy, x -> x.num("Metadata damaged (fsck)")) + ")",
                "With self-healing metadata (`mkfs -o meta_replicas=2`, the rows `@ pmemfs,meta_replicas=2`) the same "
                        + "clear at unmount went on to event " + healedClear.num("Events") + ", fsck found "
                        + worstReplicated + " damaged metadata blocks after every event of both replicated runs, and "
                        + healedClear.num("Poisoned blocks left") + " poisoned blocks were left",
                "(" + unmountClear.num("Metadata unflagged") + " blocks here, " + range(online, x -> x.num("Metadata unflagged"))
                        + " for every other design)",
                "the run stopped with " + stop.group(1) + " at event " + unmountClear.num("Events") + " (try",
                "The online designs went on to event " + range(online, x -> x.num("Events")) + ".",
                "the rest of each 4 KiB block around a 512-byte poisoned sector ("
                        + rows.stream().filter(x -> !blockLevel.contains(x.get("Strategy"))).map(x -> x.get("Good data destroyed")).distinct()
                        .collect(Collectors.joining("–")) + " over the run)");
    }

    private static long pmd(Row r) {
        String v = r.get("PMD-mappable");
        return Math.round(Double.parseDouble(v.replace(" %", "")));
    }

    /** "115" when every row agrees, else "min–max". */
    private static String range(List<Row> rows, java.util.function.ToLongFunction<Row> f) {
        long min = rows.stream().mapToLong(f).min().orElseThrow();
        long max = rows.stream().mapToLong(f).max().orElseThrow();
        return min == max ? Long.toString(min) : min + "–" + max;
    }

    private static Row only(List<Row> rows, Predicate<Row> p) {
        List<Row> m = rows.stream().filter(p).toList();
        assertEquals(1, m.size(), "rows matching");
        return m.get(0);
    }

    /** The README's table: the chosen columns of summary.md, cells as summary.md prints them. */
    private static String table(List<Row> rows) {
        StringBuilder t = new StringBuilder("| " + String.join(" | ", COLUMNS) + " |\n|");
        for (String c : COLUMNS) {
            t.append(c.equals("Strategy") || c.equals("Mount profile") || c.equals("Went on") ? " :--- |" : " ---: |");
        }
        t.append('\n');
        for (Row r : rows) {
            t.append("| ").append(COLUMNS.stream().map(r::get).collect(Collectors.joining(" | "))).append(" |\n");
        }
        return t.toString();
    }

    private static List<Row> parseTable(String summary, List<String> header) {
        List<Row> rows = new ArrayList<>();
        for (String line : summary.lines().toList()) {
            if (!line.startsWith("| ") || line.matches("[|:\\- ]+")) {
                continue;
            }
            List<String> cells = List.of(line.substring(2, line.length() - 2).split(" \\| ", -1));
            if (header.isEmpty()) {
                header.addAll(cells);
                continue;
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                m.put(header.get(i), cells.get(i));
            }
            rows.add(new Row(m));
        }
        assertTrue(rows.size() >= RELOCATING.size(), summary);
        return rows;
    }

    /** {@code readme} with the lines after the table mark up to the next blank line replaced by {@code table}. */
    private static String withTable(String readme, String table) {
        int mark = readme.indexOf(TABLE_MARK);
        assertTrue(mark >= 0, "README has no line '" + TABLE_MARK + "'");
        int start = readme.indexOf('\n', mark) + 1;
        int end = readme.indexOf("\n\n", start);
        return readme.substring(0, start) + table + readme.substring(end + 1);
    }

    private static String section(String readme) {
        int a = readme.indexOf(SECTION);
        assertTrue(a >= 0, "README has no '" + SECTION + "'");
        int b = readme.indexOf("\n## ", a + SECTION.length());
        return readme.substring(a, b < 0 ? readme.length() : b);
    }

    /** Whitespace runs (line breaks included) as one space, so a sentence matches however it is wrapped. */
    private static String flat(String text) {
        return text.replaceAll("\\s+", " ");
    }
}
