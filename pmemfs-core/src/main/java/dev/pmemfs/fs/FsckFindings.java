package dev.pmemfs.fs;

import java.util.ArrayList;
import java.util.List;

/**
 * What the passes of fsck found, in order: errors (each with the {@link Repair} that fixes it, or
 * none when nothing can) and notes (facts that are not damage, such as an unclean journal). Renders
 * the plain-words findings of the {@link FsckReport}, each error marked fixed or not.
 */
final class FsckFindings {
    /** One line of the report; {@code error} false for a note; {@code fix} null when nothing repairs it. */
    record Finding(String text, boolean error, Repair fix) {}

    private final List<Finding> findings = new ArrayList<>();
    /** Errors counted but not printed one by one (long runs of the same kind). */
    private int silent;
    private boolean silentUnfixable;

    /** An error that {@code fix} repairs (null: nothing can). */
    void error(String text, Repair fix) {
        findings.add(new Finding(text, true, fix));
    }

    /** An error counted without its own line (the caller prints a summary line instead). */
    void silentError(boolean fixable) {
        silent++;
        silentUnfixable |= !fixable;
    }

    void note(String text) {
        findings.add(new Finding(text, false, null));
    }

    int errors() {
        int n = silent;
        for (Finding f : findings) {
            n += f.error() ? 1 : 0;
        }
        return n;
    }

    /** Whether some error has no repair. */
    boolean anyUnfixable() {
        if (silentUnfixable) {
            return true;
        }
        for (Finding f : findings) {
            if (f.error() && f.fix() == null) {
                return true;
            }
        }
        return false;
    }

    int fixable() {
        int n = silentUnfixable ? 0 : silent;
        for (Finding f : findings) {
            n += f.error() && f.fix() != null ? 1 : 0;
        }
        return n;
    }

    /** The lines of the report; with {@code applied} the fixable errors read "(fixed)". */
    List<String> render(boolean repairing, boolean applied) {
        List<String> out = new ArrayList<>();
        for (Finding f : findings) {
            if (!f.error() || !repairing) {
                out.add(f.text());
            } else {
                out.add(f.text() + (applied && f.fix() != null ? " (fixed)" : " (not fixed)"));
            }
        }
        return out;
    }
}
