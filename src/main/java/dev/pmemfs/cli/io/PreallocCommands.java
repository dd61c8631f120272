package dev.pmemfs.cli.io;

import static dev.pmemfs.fs.Falloc.FALLOC_FL_COLLAPSE_RANGE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_INSERT_RANGE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_KEEP_SIZE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_PUNCH_HOLE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_UNSHARE_RANGE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_ZEROINIT_RANGE;
import static dev.pmemfs.fs.Falloc.FALLOC_FL_ZERO_RANGE;

import dev.pmemfs.errno.ErrnoException;
import java.util.List;

/**
 * The fallocate family of io/prealloc.c: falloc [-c|-i|-k|-p|-u], fpunch, fcollapse, finsert,
 * fzero [-k], funshare, and pmemfs's fzeroinit (FALLOC_FL_ZEROINIT_RANGE | KEEP_SIZE, the RFC's mode).
 * Failures print "fallocate: strerror".
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
