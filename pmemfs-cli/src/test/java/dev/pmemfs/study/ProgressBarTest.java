package dev.pmemfs.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String captured() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void step_terminal_redrawsOneLineWithCarriageReturns() {
        try (ProgressBar bar = new ProgressBar(out, "study", 4, ProgressBar.Mode.TERMINAL)) {
            bar.step("punch-pwrite: event 1");
            bar.step("punch-pwrite: event 2");
        }
        String text = captured();
        assertEquals(2, text.chars().filter(c -> c == '\r').count(), text);
        assertTrue(text.endsWith("\n"));
        assertEquals(1, text.chars().filter(c -> c == '\n').count(), "one line only: " + text);
        assertTrue(text.contains("study [###############...............]  50%  2/4  punch-pwrite: event 2"), text);
    }

    @Test
    void advanceTo_terminalShorterText_padsOverTheOldTail() {
        try (ProgressBar bar = new ProgressBar(out, "s", 2, ProgressBar.Mode.TERMINAL)) {
            bar.advanceTo(1, "a long detail here");
            bar.advanceTo(2, "x");
        }
        String[] frames = captured().split("\r");
        String last = frames[frames.length - 1].stripTrailing();
        assertTrue(last.endsWith("2/2  x"), last);
        assertEquals(frames[1].length(), frames[2].length() - 1, "the second frame covers the first (plus newline)");
    }

    @Test
    void step_lines_printsFirstStepThenEachTenthAndNoCarriageReturn() {
        try (ProgressBar bar = new ProgressBar(out, "study", 20, ProgressBar.Mode.LINES)) {
            for (int i = 1; i <= 20; i++) {
                bar.step("event " + i);
            }
        }
        String text = captured();
        assertFalse(text.contains("\r"));
        List<String> lines = text.lines().toList();
        assertEquals(11, lines.size(), text);
        assertEquals("study: 5% (1/20) event 1", lines.getFirst(), "a log shows the run has started");
        assertEquals("study: 10% (2/20) event 2", lines.get(1));
        assertEquals("study: 100% (20/20) event 20", lines.getLast());
    }

    @Test
    void close_linesStoppedEarly_printsWhereItStopped() {
        try (ProgressBar bar = new ProgressBar(out, "study", 100, ProgressBar.Mode.LINES)) {
            bar.advanceTo(15, "punch-falloc: ENOSPC");
        }
        assertEquals(List.of("study: 15% (15/100) punch-falloc: ENOSPC"), captured().lines().toList());
    }

    @Test
    void step_quiet_printsNothing() {
        try (ProgressBar bar = new ProgressBar(out, "study", 3, ProgressBar.Mode.QUIET)) {
            bar.step("a");
            bar.step("b");
        }
        assertEquals("", captured());
    }

    @Test
    void advanceTo_beyondTotalOrBackwards_isClamped() {
        try (ProgressBar bar = new ProgressBar(out, "s", 10, ProgressBar.Mode.LINES)) {
            bar.advanceTo(50, "");
            bar.advanceTo(3, "");
        }
        assertEquals(List.of("s: 100% (10/10)"), captured().lines().toList());
    }

    @Test
    void step_afterClose_throws() {
        ProgressBar bar = new ProgressBar(out, "s", 1, ProgressBar.Mode.QUIET);
        bar.close();
        assertThrows(IllegalStateException.class, () -> bar.step("late"));
    }

    @Test
    void forConsole_quietOrNotATerminal_choosesQuietOrLines() {
        ProgressBar quiet = ProgressBar.forConsole(out, "s", 2, true);
        quiet.step("x");
        quiet.close();
        assertEquals("", captured());
        // Surefire runs tests with stdin/stdout on pipes: not a terminal, so plain lines.
        ProgressBar lines = ProgressBar.forConsole(out, "s", 1, false);
        lines.step("x");
        lines.close();
        assertEquals("s: 100% (1/1) x\n", captured());
    }
}
