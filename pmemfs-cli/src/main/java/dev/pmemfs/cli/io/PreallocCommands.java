package dev.pmemfs.cli.io;

import static dev.pmemfs.fs.Falloc.FALLOC_FL_COLLAPSE_RANGE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_INSERT_RANGE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_KEEP_SIZE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_PUNCH_HOLE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_UNSHARE_RANGE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_WRITE_ZEROES;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_ZEROINIT_RANGE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_ZERO_RANGE;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.Falloc;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fallocate family of io/prealloc.c: falloc [-c|-i|-k|-p|-u], fpunch, fcollapse, finsert,
 * fzero [-k], fwzero [-k] (FALLOC_FL_WRITE_ZEROES, xfsprogs 6.17), funshare, pmemfs's fzeroinit
 * (FALLOC_FL_ZEROINIT_RANGE | KEEP_SIZE, the RFC's mode), and pmemfs's raw {@code fallocate MODE off len},
 * which passes any mode word to the syscall so every mode-validation case of LTP's fallocate tests and
 * of the kernel's {@code vfs_fallocate} can be reproduced. Failures print "fallocate: strerror".
 */
final class PreallocCommands {
    private PreallocCommands() {}

    static void falloc(IoSession s, List<String> argv) {
        Getopt.Parsed p = s.getopt(argv, "cikpu", "falloc");
        if (p == null) {
            return;
        }
        int mode = 0;
        for (Getopt.Opt o : p.opts()) {
            // Each option replaces the mode, as prealloc.c assigns rather than ORs.
            mode = switch (o.letter()) {
                case 'c' -> FALLOC_FL_COLLAPSE_RANGE;
                case 'i' -> FALLOC_FL_INSERT_RANGE;
                case 'k' -> FALLOC_FL_KEEP_SIZE;
                case 'p' -> FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
                default -> FALLOC_FL_UNSHARE_RANGE;
            };
        }
        fallocate(s, "falloc", p.operands(), mode);
    }

    static void fzero(IoSession s, List<String> argv) {
        Getopt.Parsed p = s.getopt(argv, "k", "fzero");
        if (p == null) {
            return;
        }
        fallocate(s, "fzero", p.operands(), FALLOC_FL_ZERO_RANGE | (p.opts().isEmpty() ? 0 : FALLOC_FL_KEEP_SIZE));
    }

    /** fwzero [-k]: FALLOC_FL_WRITE_ZEROES, with KEEP_SIZE for -k; the kernel decides whether it may. */
    static void fwzero(IoSession s, List<String> argv) {
        Getopt.Parsed p = s.getopt(argv, "k", "fwzero");
        if (p == null) {
            return;
        }
        fallocate(s, "fwzero", p.operands(), FALLOC_FL_WRITE_ZEROES | (p.opts().isEmpty() ? 0 : FALLOC_FL_KEEP_SIZE));
    }

    /** The flag names a mode word may use, with or without their FALLOC_FL_ prefix. */
    static final Map<String, Integer> MODE_FLAGS = modeFlags();

    private static Map<String, Integer> modeFlags() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("ALLOCATE_RANGE", Falloc.FALLOC_FL_ALLOCATE_RANGE);
        m.put("KEEP_SIZE", FALLOC_FL_KEEP_SIZE);
        m.put("PUNCH_HOLE", FALLOC_FL_PUNCH_HOLE);
        m.put("NO_HIDE_STALE", Falloc.FALLOC_FL_NO_HIDE_STALE);
        m.put("COLLAPSE_RANGE", FALLOC_FL_COLLAPSE_RANGE);
        m.put("ZERO_RANGE", FALLOC_FL_ZERO_RANGE);
        m.put("INSERT_RANGE", FALLOC_FL_INSERT_RANGE);
        m.put("UNSHARE_RANGE", FALLOC_FL_UNSHARE_RANGE);
        m.put("WRITE_ZEROES", FALLOC_FL_WRITE_ZEROES);
        m.put("ZEROINIT_RANGE", FALLOC_FL_ZEROINIT_RANGE);
        return Map.copyOf(m);
    }

    /**
     * fallocate MODE off len: fallocate(2) with exactly this mode. MODE is a number as strtol reads it
     * (0x80, 3, 0200, -1: any 32-bit pattern, unknown bits included) or flag names joined by "|"
     * (KEEP_SIZE|PUNCH_HOLE, FALLOC_FL_ZERO_RANGE), names and numbers mixed as the user likes. off and
     * len are cvtnum numbers passed on with their sign, so LTP fallocate02's negative rows reach the
     * syscall too.
     */
    static void raw(IoSession s, List<String> argv) {
        if (argv.size() != 4) {
            s.usage("fallocate");
            return;
        }
        Integer mode = parseMode(argv.get(1));
        if (mode == null) {
            s.failOut("non-numeric mode -- " + argv.get(1) + " (a number, or flags joined by |: "
                    + String.join(", ", MODE_FLAGS.keySet().stream().sorted((a, b) ->
                            Integer.compare(MODE_FLAGS.get(a), MODE_FLAGS.get(b))).toList()) + ")");
            return;
        }
        // Offset and length go to the syscall as given, negative ones included: vfs_fallocate's own
        // checks (EINVAL, EFBIG) are what a mode-validation test wants to see.
        Long offset = CvtNum.parseSigned(argv.get(2));
        if (offset == null) {
            s.failOut("non-numeric offset argument -- " + argv.get(2));
            return;
        }
        Long len = CvtNum.parseSigned(argv.get(3));
        if (len == null) {
            s.failOut("non-numeric length argument -- " + argv.get(3));
            return;
        }
        try {
            s.sys().fallocate(s.file().fd(), mode, offset, len);
        } catch (ErrnoException e) {
            s.perror("fallocate", e);
        }
    }

    /** The mode a word names, or null; a number must fit 32 bits (signed or unsigned). */
    static Integer parseMode(String word) {
        int mode = 0;
        for (String part : word.split("\\|", -1)) {
            String p = part.strip();
            String name = p.toUpperCase(Locale.ROOT);
            if (name.startsWith("FALLOC_FL_")) {
                name = name.substring("FALLOC_FL_".length());
            }
            Integer flag = MODE_FLAGS.get(name);
            if (flag != null) {
                mode |= flag;
                continue;
            }
            CvtNum.ParsedLong v = p.isEmpty() ? null : CvtNum.strtoll(p);
            if (v == null || v.end() != p.length() || v.value() < Integer.MIN_VALUE || v.value() > 0xFFFFFFFFL) {
                return null;
            }
            mode |= (int) v.value();
        }
        return mode;
    }

    static IoCmd.Handler fixed(String name, int mode) {
        return (s, argv) -> fallocate(s, name, argv.subList(1, argv.size()), mode);
    }

    static final int PUNCH = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
    static final int COLLAPSE = FALLOC_FL_COLLAPSE_RANGE;
    static final int INSERT = FALLOC_FL_INSERT_RANGE;
    static final int UNSHARE = FALLOC_FL_UNSHARE_RANGE;
    static final int ZEROINIT = FALLOC_FL_ZEROINIT_RANGE | FALLOC_FL_KEEP_SIZE;

    private static void fallocate(IoSession s, String cmd, List<String> operands, int mode) {
        if (operands.size() != 2) {
            s.usage(cmd);
            return;
        }
        long offset = ReadWriteCommands.offsetArg(s, operands.get(0));
        if (offset < 0) {
            return;
        }
        long len = ReadWriteCommands.lengthArg(s, operands.get(1));
        if (len < 0) {
            return;
        }
        try {
            s.sys().fallocate(s.file().fd(), mode, offset, len);
        } catch (ErrnoException e) {
            s.perror("fallocate", e);
        }
    }
}
