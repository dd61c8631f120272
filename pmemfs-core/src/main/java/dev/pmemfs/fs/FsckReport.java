package dev.pmemfs.fs;

import java.util.Collection;
import java.util.List;

/**
 * What fsck found: plain-words findings (each says what is wrong and where, and whether it was fixed),
 * an e2fsck-style exit code (0 clean, 1 errors corrected, 4 errors left uncorrected, 8 operational
 * error: the check could not run), and the inodes whose content, name or attributes the damage or its
 * repair changed (every other file reads back as it was).
 */
public record FsckReport(List<String> findings, int errors, int corrected, int exitCode, List<Long> damagedInodes) {
    public static final int CLEAN = 0;
    public static final int CORRECTED = 1;
    public static final int UNCORRECTED = 4;
    public static final int OPERATIONAL = 8;

    public FsckReport(List<String> findings, int errors, int corrected, int exitCode, Collection<Long> damagedInodes) {
        this(findings, errors, corrected, exitCode, List.copyOf(damagedInodes));
    }

    public FsckReport {
        findings = List.copyOf(findings);
        damagedInodes = List.copyOf(damagedInodes);
    }

    public boolean clean() {
        return exitCode == CLEAN;
    }
}
