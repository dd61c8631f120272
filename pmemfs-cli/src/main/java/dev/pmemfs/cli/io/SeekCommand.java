package dev.pmemfs.cli.io;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Syscalls;
import java.util.List;

/**
 * {@code seek -a | -d | -h [-r] [-s] off} as io/seek.c prints it: "Whence	Result" then alternating
 * DATA/HOLE rows; ENXIO prints EOF.
 */
final class SeekCommand {
    private static final int DFLAG = 1;
    private static final int HFLAG = 2;
    private static final int RFLAG = 4;
    private static final String[] NAME = {"DATA", "HOLE"};
    private static final int[] WHENCE = {Syscalls.SEEK_DATA, Syscalls.SEEK_HOLE};
    private static final int[] MASK = {DFLAG, HFLAG};

    private SeekCommand() {}

    /** An lseek result: the offset, or the errno it failed with. */
    private record Result(long offset, Errno errno) {
        boolean failed() {
            return errno != null;
        }
    }

    static void run(IoSession s, List<String> argv) {
        Getopt.Parsed p = s.getopt(argv, "adhrs", "seek");
        if (p == null) {
            return;
        }
        int flag = 0;
        boolean startflag = false;
        for (Getopt.Opt o : p.opts()) {
            switch (o.letter()) {
                case 'a' -> flag |= DFLAG | HFLAG;
                case 'd' -> flag |= DFLAG;
                case 'h' -> flag |= HFLAG;
                case 'r' -> flag |= RFLAG;
                default -> startflag = true;
            }
        }
        if ((flag & (DFLAG | HFLAG)) == 0 || p.operands().size() != 1) {
            s.usage("seek");
            return;
        }
        long start = CvtNum.parse(p.operands().getFirst());
        if (start < 0) {
            s.usage("seek");
            return;
        }
        int fd = s.file().fd();
        int current;
        Result r = null;
        if ((flag & HFLAG) != 0) {
            current = 1;
            r = lseek(s, fd, start, Syscalls.SEEK_HOLE);
            if (!r.failed() && r.offset() < start) {
                badResult(s, start, current, r.offset());
                return;
            }
        }
        if (r == null || (start != r.offset() && (flag & DFLAG) != 0)) {
            current = 0;
            r = lseek(s, fd, start, Syscalls.SEEK_DATA);
            if (!r.failed() && r.offset() < start) {
                badResult(s, start, current, r.offset());
                return;
            }
        } else {
            current = 1;
        }
        s.out().println(startflag ? "Whence\tStart\tResult" : "Whence\tResult");
        for (int c = 0; flag != 0; c++) {
            if (r.failed()) {
                if (r.errno() != Errno.ENXIO || c == 0) {
                    output(s, startflag, NAME[current], start, r);
                }
                return;
            }
            if ((flag & MASK[current]) != 0) {
                output(s, startflag, NAME[current], start, r);
            }
            if ((flag & RFLAG) == 0) {
                flag &= ~MASK[current];
            }
            current ^= 1;
            start = r.offset();
            r = lseek(s, fd, start, WHENCE[current]);
            if (!r.failed() && r.offset() <= start) {
                badResult(s, start, current, r.offset());
                return;
            }
        }
    }

    private static Result lseek(IoSession s, int fd, long off, int whence) {
        try {
            return new Result(s.sys().lseek(fd, off, whence), null);
        } catch (ErrnoException e) {
            return new Result(-1, e.errno());
        }
    }

    private static void output(IoSession s, boolean startflag, String type, long start, Result r) {
        if (r.failed()) {
            if (r.errno() == Errno.ENXIO) {
                s.out().println(startflag ? type + "\t" + start + "\tEOF" : type + "\tEOF");
            } else {
                s.out().print("ERR\t" + start + "\t");
                s.failErr(r.errno().text());
            }
        } else {
            s.out().println(startflag ? type + "\t" + start + "\t" + r.offset() : type + "\t" + r.offset());
        }
    }

    private static void badResult(IoSession s, long start, int current, long offset) {
        s.failErr("Invalid seek result: lseek(<fd>, " + start + ", SEEK_" + NAME[current] + ") = " + offset);
    }
}
