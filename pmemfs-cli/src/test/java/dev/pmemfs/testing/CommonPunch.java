package dev.pmemfs.testing;

import dev.pmemfs.errno.ErrnoException;
import java.util.function.UnaryOperator;

/**
 * fstests' common/punch {@code _test_generic_punch}, ported: the 17 corner cases of zeroing or
 * punching a range, each a fresh {@code xfs_io} run whose map is filtered and followed by the file's
 * md5 (or, for the single-block case, its {@code od -x}). Sizes are the script's "4k" units scaled to
 * 64 KiB, as the current script does ({@code _4k=64k ... _20k=320k}).
 */
public final class CommonPunch {
    private static final long UNIT = 16;

    private final XfsIoHarness h;

    public CommonPunch(XfsIoHarness h) {
        this.h = h;
    }

    private static String k(int n) {
        return n * UNIT + "k";
    }

    /**
     * @param keep    {@code -k}: keep the file between cases (pre-existing holes and extents)
     * @param noSync  {@code -d}: no fsync between the writes and the zero/punch
     */
    public String testGenericPunch(boolean keep, boolean noSync, String allocCmd, String punchCmd, String zeroCmd,
                                   String mapCmd, UnaryOperator<String> filter, String testfile) throws ErrnoException {
        StringBuilder out = new StringBuilder();
        String sync = noSync ? null : "fsync";
        String map = mapCmd + " -v";

        out.append("\t1. into a hole\n");
        // The current script starts the sequence from an empty file whatever -k says.
        h.rm(testfile);
        run(out, filter, testfile, "truncate " + k(20), zeroCmd + " " + k(4) + " " + k(8), map);

        out.append("\t2. into allocated space\n");
        rmUnlessKeep(keep, testfile);
        run(out, filter, testfile, "truncate " + k(20), "pwrite 0 " + k(20), sync, zeroCmd + " " + k(4) + " " + k(8), map);

        out.append("\t3. into unwritten space\n");
        rmUnlessKeep(keep, testfile);
        run(out, filter, testfile, "truncate " + k(20), allocCmd + " 0 " + k(20), zeroCmd + " " + k(4) + " " + k(8), map);

        out.append("\t4. hole -> data\n");
        rmUnlessKeep(keep, testfile);
        run(out, filter, testfile, "truncate " + k(20), "pwrite " + k(8) + " " + k(8), sync,
                zeroCmd + " " + k(4) + " " + k(8), map);

        out.append("\t5. hole -> unwritten\n");
        rmUnlessKeep(keep, testfile);
        run(out, filter, testfile, "truncate " + k(20), allocCmd + " " + k(8) + " " + k(8),
                zeroCmd + " " + k(4) + " " + k(8), map);

        out.append("\t6. data -> hole\n");
        rmUnlessKeep(keep, testfile);
        run(out, filter, testfile, "truncate " + k(20), "pwrite 0 " + k(8), sync, zeroCmd + " " + k(4) + " " + k(8), map);

        out.append("\t7. data -> unwritten\n");
        rmUnlessKeep(keep, testfile);
        run(out, filter, testfile, "truncate " + k(20), "pwrite 0 " + k(8), sync, allocCmd + " " + k(8) + " " + k(8),
                zeroCmd + " " + k(4) + " " + k(8), map);

        out.append("\t8. unwritten -> hole\n");
        rmUnlessKeep(keep, testfile);
        run(out, filter, testfile, "truncate " + k(20), allocCmd + " 0 " + k(8), zeroCmd + " " + k(4) + " " + k(8), map);

        out.append("\t9. unwritten -> data\n");
        rmUnlessKeep(keep, testfile);
        run(out, filter, testfile, "truncate " + k(20), allocCmd + " 0 " + k(8), "pwrite " + k(8) + " " + k(8), sync,
                zeroCmd + " " + k(4) + " " + k(8), map);

        out.append("\t10. hole -> data -> hole\n");
        rmUnlessKeep(keep, testfile);
        run(out, filter, testfile, "truncate " + k(20), "pwrite " + k(8) + " " + k(4), sync,
                zeroCmd + " " + k(4) + " " + k(12), map);

        out.append("\t11. data -> hole -> data\n");
        rmUnlessKeep(keep, testfile);
        run(out, filter, testfile, "truncate " + k(20), allocCmd + " 0 " + k(20), "pwrite 0 " + k(8),
                "pwrite " + k(12) + " " + k(8), sync, punchCmd + " " + k(8) + " " + k(4),
                zeroCmd + " " + k(4) + " " + k(12), map);

        out.append("\t12. unwritten -> data -> unwritten\n");
        rmUnlessKeep(keep, testfile);
        run(out, filter, testfile, "truncate " + k(20), allocCmd + " 0 " + k(20), "pwrite " + k(8) + " " + k(4), sync,
                zeroCmd + " " + k(4) + " " + k(12), map);

        out.append("\t13. data -> unwritten -> data\n");
        rmUnlessKeep(keep, testfile);
        run(out, filter, testfile, "truncate " + k(20), allocCmd + " 0 " + k(20), "pwrite 0 " + k(8), sync,
                "pwrite " + k(12) + " " + k(8), "fsync", zeroCmd + " " + k(4) + " " + k(12), map);

        out.append("\t14. data -> hole @ EOF\n");
        h.rm(testfile);
        run(out, filter, testfile, "truncate " + k(20), "pwrite 0 " + k(20), sync, zeroCmd + " " + k(12) + " " + k(8), map);

        out.append("\t15. data -> hole @ 0\n");
        rmUnlessKeep(keep, testfile);
        run(out, filter, testfile, "truncate " + k(20), "pwrite 0 " + k(20), sync, zeroCmd + " 0k " + k(8), map);

        out.append("\t16. data -> cache cold ->hole\n");
        String copy = testfile + ".2";
        if (!keep) {
            h.rm(testfile);
            h.rm(copy);
        } else {
            h.cp(testfile, copy);
        }
        h.xfsIo(copy, "truncate " + k(20), "pwrite " + k(8) + " " + k(12), "fsync");
        // "fadvise -d" drops the page cache; a DAX file has none, so there is nothing to drop.
        String cold = h.xfsIo(testfile, nonNull("truncate " + k(20), "pwrite 0 " + k(20), sync,
                zeroCmd + " 0k " + k(8), map));
        out.append(filter.apply(cold));
        if (!java.util.Arrays.equals(h.contents(testfile), h.contents(copy))) {
            out.append("Files ").append(testfile).append(" and ").append(copy).append(" differ\n");
        }
        h.rm(copy);
        out.append(h.md5(testfile)).append('\n');

        out.append("\t17. data -> hole in single block file\n");
        rmUnlessKeep(keep, testfile);
        int blockSize = 4096;
        String single = h.xfsIo(testfile, nonNull("truncate " + blockSize, "pwrite 0 " + blockSize, sync,
                zeroCmd + " 128 128", map));
        out.append(filter.apply(single));
        out.append(h.odX(testfile));
        return out.toString();
    }

    private void rmUnlessKeep(boolean keep, String testfile) {
        if (!keep) {
            h.rm(testfile);
        }
    }

    private void run(StringBuilder out, UnaryOperator<String> filter, String testfile, String... cmds)
            throws ErrnoException {
        out.append(filter.apply(h.xfsIo(testfile, nonNull(cmds))));
        out.append(h.md5(testfile)).append('\n');
    }

    private static String[] nonNull(String... cmds) {
        return java.util.Arrays.stream(cmds).filter(java.util.Objects::nonNull).toArray(String[]::new);
    }
}
