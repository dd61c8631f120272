package dev.pmemfs.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the fixture's {@code report.html} in Debian's headless Chromium (installed by {@code .ci/run}):
 * the screenshot must show a real page (many colours, much ink) and the rendered DOM must hold the
 * table, the charts and every strategy's name. Skipped, with the reason printed, where Chromium is absent.
 */
class HtmlReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 120;

    @TempDir
    Path dir;

    @Test
    void report_inHeadlessChromium_rendersTableChartsAndStrategies() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM);
        if (!present) {
            System.out.println("HtmlReportBrowserTest skipped: " + CHROMIUM + " not found (apt-get install -y chromium)");
        }
        assumeTrue(present, CHROMIUM + " not found; install Debian's chromium package to run this test");
        StudyResult result = StudyFixture.result();
        StudyReport.write(result, dir);
        Path report = dir.resolve(StudyReport.HTML);

        Path png = dir.resolve("report.png");
        run(List.of("--screenshot=" + png, "--window-size=1400,3000"), report, "screenshot");
        assertTrue(Files.size(png) > 10_000, "screenshot is " + Files.size(png) + " bytes");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1400, image.getWidth());
        int nonWhite = 0;
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                int r = rgb >> 16;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (r < 235 || g < 235 || b < 235) {
                    nonWhite++;
                }
            }
        }
        int sampled = (image.getWidth() / 2) * (image.getHeight() / 2);
        assertTrue(colours.size() > 200, "only " + colours.size() + " distinct colours: blank or broken page");
        assertTrue(nonWhite > sampled / 20, "only " + nonWhite + " of " + sampled + " sampled pixels carry ink");
        if (System.getProperty("pmemfs.study.keepScreenshot") != null) {
            Files.copy(png, Path.of(System.getProperty("pmemfs.study.keepScreenshot")),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }

        String dom = run(List.of("--dump-dom"), report, "dump-dom");
        assertTrue(dom.contains("<table"), "no table in the rendered page");
        assertTrue(count(dom, "<svg") >= 4 + 1 + 2 * result.runs().size(),
                count(dom, "<svg") + " svg elements: line charts, latency chart or device maps missing");
        for (String id : List.of("fragmentation", "clean-blocks", "latency", "device-maps")) {
            assertTrue(dom.contains("id=\"" + id + "\""), "no element #" + id);
        }
        for (StrategyRun run : result.runs()) {
            assertTrue(count(dom, ">" + run.strategy() + "<") >= 2, run.strategy() + " is not named in the page");
            assertTrue(dom.contains("data-strategy=\"" + run.strategy() + "\""), run.strategy() + " has no chart series");
        }
    }

    /** Runs Chromium on {@code page} with {@code extra} flags and returns its stdout; kills it on timeout. */
    private String run(List<String> extra, Path page, String what) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium-profile-");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--user-data-dir=" + profile));
        command.addAll(extra);
        command.add(page.toUri().toString());
        Path stdout = dir.resolve(what + ".out");
        Path stderr = dir.resolve(what + ".err");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            boolean finished = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertTrue(finished, "chromium " + what + " did not finish in " + TIMEOUT_SECONDS + " s");
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "chromium " + what + " failed: " + tail(err));
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String tail(String text) {
        return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
