package dev.pmemfs.study;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Writes a study's outputs into one directory: {@code results.json} (everything), {@code results.csv}
 * (strategy × summary metric), {@code summary.md} (the summary table) and {@code report.html} (table
 * and charts). The files depend only on the result, so the same result gives the same bytes.
 */
public final class StudyReport {
    public static final String JSON = "results.json";
    public static final String CSV = "results.csv";
    public static final String MARKDOWN = "summary.md";
    public static final String HTML = "report.html";

    private StudyReport() {}

    /**
     * Writes the four files into {@code dir} (created if missing), replacing files of the same names,
     * and returns their paths in the order above.
     */
    public static List<Path> write(StudyResult result, Path dir) throws IOException {
        Objects.requireNonNull(result, "result");
        Files.createDirectories(dir);
        List<Summary> summaries = Summary.of(result);
        Path json = Files.writeString(dir.resolve(JSON), ResultsJson.render(result), StandardCharsets.UTF_8);
        Path csv = Files.writeString(dir.resolve(CSV), ResultsCsv.render(summaries), StandardCharsets.UTF_8);
        Path md = Files.writeString(dir.resolve(MARKDOWN), SummaryMarkdown.render(result, summaries), StandardCharsets.UTF_8);
        Path html = Files.writeString(dir.resolve(HTML), HtmlReport.render(result, summaries), StandardCharsets.UTF_8);
        return List.of(json, csv, md, html);
    }
}
