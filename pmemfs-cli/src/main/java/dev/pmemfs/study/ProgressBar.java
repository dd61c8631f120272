package dev.pmemfs.study;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/**
 * A progress bar for a long study run. On a terminal it redraws one line in place with {@code \r}
 * ({@code title [#########.........]  45%  9/20  detail}); on a pipe or file it prints a plain line at
 * every further tenth of the work and at the end, so logs stay short and readable; in quiet mode it
 * prints nothing. Not a logger: it only shows how far the run is.
 */
public final class ProgressBar implements AutoCloseable {
    /** How the bar draws itself. */
    public enum Mode { TERMINAL, LINES, QUIET }

    private static final int BAR_WIDTH = 30;
    private static final int MAX_DETAIL = 40;

    private final PrintStream out;
    private final String title;
    private final long total;
    private final Mode mode;
    private long done;
    private String detail = "";
    private int lastWidth;
    private String lastDrawn = "";
    private long lastTenth = -1;
    private boolean closed;

    /** A bar of {@code total} steps drawn on {@code out} in {@code mode}. */
    public ProgressBar(PrintStream out, String title, long total, Mode mode) {
        this.out = Objects.requireNonNull(out, "out");
        this.title = Objects.requireNonNull(title, "title");
        this.mode = Objects.requireNonNull(mode, "mode");
        if (total < 0) {
            throw new IllegalArgumentException("total " + total + " < 0");
        }
        this.total = total;
    }

    /**
     * A bar on {@code out} that redraws in place when the process runs on a terminal and prints lines
     * otherwise; nothing at all when {@code quiet}. Since JDK 22 {@code System.console()} is not null
     * on a pipe, so {@link Console#isTerminal()} decides.
     */
    public static ProgressBar forConsole(PrintStream out, String title, long total, boolean quiet) {
        Console console = System.console();
        Mode mode = quiet ? Mode.QUIET : console != null && console.isTerminal() ? Mode.TERMINAL : Mode.LINES;
        return new ProgressBar(out, title, total, mode);
    }

    /** One more step done; {@code detail} (e.g. "zeroinit: event 7") is shown after the counts. */
    public synchronized void step(String detail) {
        advanceTo(done + 1, detail);
    }

    /** {@code done} steps of the total are done (it never goes back, nor past the total). */
    public synchronized void advanceTo(long done, String detail) {
        if (closed) {
            throw new IllegalStateException("progress bar '" + title + "' is closed");
        }
        this.done = Math.clamp(Math.max(done, this.done), 0, total);
        this.detail = detail == null ? "" : detail;
        draw();
    }

    /** Finishes the bar: the terminal line ends with a newline; a log gets its last line if it lacks it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        switch (mode) {
            case TERMINAL -> {
                if (lastWidth > 0) {
                    out.print('\n');
                }
            }
            case LINES -> {
                if (lastTenth != tenth() || lastDrawn.isEmpty()) {
                    out.println(line());
                }
            }
            case QUIET -> { }
        }
        out.flush();
    }

    private void draw() {
        switch (mode) {
            case TERMINAL -> {
                String text = bar();
                if (text.equals(lastDrawn)) {
                    return;
                }
                // Pad over the rest of a longer previous line; \r alone would leave its tail behind.
                StringBuilder b = new StringBuilder("\r").append(text);
                for (int i = text.length(); i < lastWidth; i++) {
                    b.append(' ');
                }
                out.print(b);
                out.flush();
                lastDrawn = text;
                lastWidth = text.length();
            }
            case LINES -> {
                long tenth = tenth();
                if (tenth > lastTenth) {
                    String text = line();
                    out.println(text);
                    out.flush();
                    lastTenth = tenth;
                    lastDrawn = text;
                }
            }
            case QUIET -> { }
        }
    }

    /** Tenths of the work done, 0..10 (an empty run is complete). */
    private long tenth() {
        return total == 0 ? 10 : done * 10 / total;
    }

    private int percent() {
        return total == 0 ? 100 : (int) (done * 100 / total);
    }

    private String shortDetail() {
        return detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL - 1) + "…";
    }

    private String bar() {
        int filled = total == 0 ? BAR_WIDTH : (int) (done * BAR_WIDTH / total);
        return title + " [" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%  %d/%d", percent(), done, total)
                + (detail.isEmpty() ? "" : "  " + shortDetail());
    }

    private String line() {
        return title + ": " + String.format(Locale.ROOT, "%d%% (%d/%d)", percent(), done, total)
                + (detail.isEmpty() ? "" : " " + shortDetail());
    }
}
