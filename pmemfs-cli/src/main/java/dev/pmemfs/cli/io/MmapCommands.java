package dev.pmemfs.cli.io;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.DaxMapping;
import dev.pmemfs.vfs.HwPoisonException;
import dev.pmemfs.vfs.SigbusException;
import dev.pmemfs.vfs.Syscalls;
import java.util.Arrays;
import java.util.List;

/**
 * mmap, munmap, mread, mwrite, msync and madvise as io/mmap.c and io/madvise.c run them, plus
 * {@code madvise -P} (MADV_HWPOISON). Addresses are printed in the mapping's own coordinates
 * (0 = its first byte), the coordinates SIGBUS reports use; offsets typed by the user are file
 * offsets, as in xfs_io. A load that consumes poison kills the session with SIGBUS.
 */
final class MmapCommands {
    private static final int PAGE_SIZE = 4096;

    private MmapCommands() {}

    static void mmap(IoSession s, List<String> argv) {
        if (argv.size() == 1) {
            if (s.mappings().isEmpty()) {
                s.failErr("no mapped regions, try 'help mmap'");
            } else {
                list(s);
            }
            return;
        }
        if (argv.size() == 2) {
            if (s.mappings().isEmpty()) {
                s.failErr("no mapped regions, try 'help mmap'");
                return;
            }
            CvtNum.ParsedLong v = CvtNum.strtoll(argv.get(1));
            int i = v == null ? 0 : (int) v.value();
            if (i < 0 || i >= s.mappings().size()) {
                s.failOut("value " + i + " is out of range (0-" + s.mappings().size() + ")");
            } else {
                s.selectMapping(i);
                list(s);
            }
            return;
        }
        Getopt.Parsed p = s.getopt(argv, "rwxS", "mmap");
        if (p == null) {
            return;
        }
        int prot = 0;
        for (Getopt.Opt o : p.opts()) {
            prot |= switch (o.letter()) {
                case 'r' -> Syscalls.PROT_READ;
                case 'w' -> Syscalls.PROT_WRITE;
                case 'x' -> 4;
                default -> 0;
            };
        }
        if (prot == 0) {
            prot = Syscalls.PROT_READ | Syscalls.PROT_WRITE | 4;
        }
        if (p.operands().size() != 2) {
            s.usage("mmap");
            return;
        }
        long offset = ReadWriteCommands.offsetArg(s, p.operands().get(0));
        if (offset < 0) {
            return;
        }
        long length = ReadWriteCommands.lengthArg(s, p.operands().get(1));
        if (length < 0) {
            return;
        }
        try {
            DaxMapping m = s.sys().mmap(s.file().fd(), offset, length, prot & (Syscalls.PROT_READ | Syscalls.PROT_WRITE));
            s.addMapping(new IoSession.Mapping(offset, length, prot, s.file().name(), m));
        } catch (ErrnoException e) {
            s.perror("mmap", e);
        }
    }

    static void munmap(IoSession s, List<String> argv) {
        s.removeCurrentMapping();
        list(s);
    }

    /** {@code maplist_f}: one line per mapping, the current one in brackets. */
    private static void list(IoSession s) {
        List<IoSession.Mapping> all = s.mappings();
        for (int i = 0; i < all.size(); i++) {
            IoSession.Mapping m = all.get(i);
            boolean cur = i == s.currentMapping();
            String prot = ((m.prot() & Syscalls.PROT_READ) != 0 ? "r" : "-")
                    + ((m.prot() & Syscalls.PROT_WRITE) != 0 ? "w" : "-") + ((m.prot() & 4) != 0 ? "x" : "-");
            s.out().println(String.format("%c%03d%c 0x%x - 0x%x %s  %14s (%d : %d)", cur ? '[' : ' ', i,
                    cur ? ']' : ' ', 0, m.length(), prot, m.name(), m.offset(), m.length()));
        }
    }

    /** The range a command names: [offset, offset+len) of the file, or the whole mapping. */
    private record Range(long offset, long length) {}

    private static Range range(IoSession s, Getopt.Parsed p, String cmd) {
        IoSession.Mapping m = s.mapping();
        if (p.operands().isEmpty()) {
            return new Range(m.offset(), m.length());
        }
        if (p.operands().size() != 2) {
            s.usage(cmd);
            return null;
        }
        long offset = ReadWriteCommands.offsetArg(s, p.operands().get(0));
        if (offset < 0) {
            return null;
        }
        long length = ReadWriteCommands.lengthArg(s, p.operands().get(1));
        if (length < 0) {
            return null;
        }
        return new Range(offset, length);
    }

    /** {@code check_mapping_range}: the range must lie inside the current mapping. */
    private static boolean inside(IoSession s, Range r, boolean pageAlign) {
        IoSession.Mapping m = s.mapping();
        if (r.offset() < m.offset()) {
            s.failOut("offset (" + r.offset() + ") is before start of mapping (" + m.offset() + ")");
            return false;
        }
        long rel = r.offset() - m.offset();
        if (rel > m.length()) {
            s.failOut("offset (" + rel + ") is beyond end of mapping (" + m.offset() + ")");
            return false;
        }
        if (rel + r.length() > m.length()) {
            s.failOut("range (" + r.offset() + ":" + rel + ") is beyond mapping (" + m.offset() + ":" + m.length() + ")");
            return false;
        }
        if (pageAlign && rel % PAGE_SIZE != 0) {
            s.failOut("offset address (0x" + Long.toHexString(rel) + ") is not page aligned");
            return false;
        }
        return true;
    }

    static void mread(IoSession s, List<String> argv) {
        Getopt.Parsed p = s.getopt(argv, "frv", "mread");
        if (p == null) {
            return;
        }
        int dump = 0;
        for (Getopt.Opt o : p.opts()) {
            if (o.letter() == 'f') {
                dump = 2;
            } else if (o.letter() == 'v') {
                dump = 1;
            }
        }
        Range r = range(s, p, "mread");
        if (r == null || !inside(s, r, false)) {
            return;
        }
        IoSession.Mapping m = s.mapping();
        long rel = r.offset() - m.offset();
        long print = dump == 2 ? r.offset() : rel;
        // The dump goes in page-sized pieces, the first one holding the remainder.
        long chunk = r.length() % PAGE_SIZE == 0 ? PAGE_SIZE : r.length() % PAGE_SIZE;
        byte[] buf = new byte[PAGE_SIZE];
        for (long done = 0; done < r.length(); ) {
            int n = (int) Math.min(chunk, r.length() - done);
            load(m.map(), rel + done, buf, n);
            if (dump != 0) {
                s.out().print(IoFormat.dumpBuffer(print + done, buf, 0, n));
            }
            done += n;
            chunk = PAGE_SIZE;
        }
    }

    static void mwrite(IoSession s, List<String> argv) {
        Getopt.Parsed p = s.getopt(argv, "rS:", "mwrite");
        if (p == null) {
            return;
        }
        int seed = 'X';
        for (Getopt.Opt o : p.opts()) {
            if (o.letter() == 'S') {
                CvtNum.ParsedLong v = CvtNum.strtoll(o.arg());
                if (v == null) {
                    s.failOut("non-numeric seed -- " + o.arg());
                    return;
                }
                seed = (int) v.value();
            }
        }
        Range r = range(s, p, "mwrite");
        if (r == null || !inside(s, r, false)) {
            return;
        }
        IoSession.Mapping m = s.mapping();
        long rel = r.offset() - m.offset();
        byte[] buf = new byte[PAGE_SIZE];
        Arrays.fill(buf, (byte) seed);
        for (long done = 0; done < r.length(); ) {
            int n = (int) Math.min(PAGE_SIZE - ((rel + done) % PAGE_SIZE), r.length() - done);
            try {
                m.map().put(rel + done, buf, 0, n);
            } catch (HwPoisonException e) {
                throw new SignalDeath(SignalDeath.SIGBUS, e.getMessage());
            } catch (SigbusException e) {
                throw new SignalDeath(SignalDeath.SIGBUS, e.getMessage());
            }
            done += n;
        }
    }

    static void msync(IoSession s, List<String> argv) {
        Getopt.Parsed p = s.getopt(argv, "ais", "msync");
        if (p == null) {
            return;
        }
        Range r = range(s, p, "msync");
        if (r == null || !inside(s, r, true)) {
            return;
        }
        try {
            s.mapping().map().msync();
        } catch (ErrnoException e) {
            s.perror("msync", e);
        }
    }

    /** madvise [-drsw] [off len]: advice is accepted and has no effect on DAX; -P is MADV_HWPOISON. */
    static void madvise(IoSession s, List<String> argv) {
        Getopt.Parsed p = s.getopt(argv, "drswP", "madvise");
        if (p == null) {
            return;
        }
        boolean hwpoison = p.opts().stream().anyMatch(o -> o.letter() == 'P');
        Range r = range(s, p, "madvise");
        if (r == null || !inside(s, r, true)) {
            return;
        }
        if (!hwpoison) {
            return;
        }
        IoSession.Mapping m = s.mapping();
        try {
            m.map().madviseHwpoison(r.offset() - m.offset(), r.length());
        } catch (ErrnoException e) {
            s.perror("madvise", e);
        } catch (HwPoisonException e) {
            throw new SignalDeath(SignalDeath.SIGBUS, e.getMessage());
        }
    }

    private static void load(DaxMapping map, long at, byte[] buf, int n) {
        try {
            map.get(at, buf, 0, n);
        } catch (HwPoisonException e) {
            throw new SignalDeath(SignalDeath.SIGBUS, e.getMessage());
        } catch (SigbusException e) {
            throw new SignalDeath(SignalDeath.SIGBUS, e.getMessage());
        }
    }
}
