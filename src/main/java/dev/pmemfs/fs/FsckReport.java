package dev.pmemfs.fs;

import java.util.List;

/**
 * What fsck found: plain-words findings (each says what is wrong and where, and whether it was fixed),
 * and an e2fsck-style exit code: 0 clean, 1 errors corrected, 4 errors left uncorrected, 8 operational
 * error (the check could not run).
 */
public record FsckReport(List<String> findings, int errors, int corrected, int exitCode) {
    public static final int CLEAN = 0;
    public static final int CORRECTED = 1;
    public static final int UNCORRECTED = 4;
    public static final int OPERATIONAL = 8;

    public FsckReport {
        findings = List.copyOf(findings);
    }

    public boolean clean() {
        return exitCode == CLEAN;
    }
}
