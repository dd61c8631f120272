package dev.pmemfs.cli.io;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.InodeAttr;
import dev.pmemfs.vfs.Stat;
import dev.pmemfs.vfs.Syscalls;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The file-level commands: open, close, truncate, fsync, stat (io/open.c, io/truncate.c, io/fsync.c,
 * io/stat.c as on an XFS file, with the fsxattr and dioattr lines), chmod (xfs_io's -r|-w, plus an octal MODE), chattr and
 * lsattr (io/attr.c, with the immutable and append-only flags pmemfs stores).
 */
final class FileCommands {
    /** xfs_io 6.1's lsattr letters, in its order, and the FS_*_FL bit of the ones pmemfs knows. */
    private static final String XFLAG_LETTERS = "rpiasAdtPneEfSxCX";
    private static final String[] XFLAG_NAMES = {"realtime", "prealloc", "immutable", "append-only", "sync",
        "no-atime", "no-dump", "rt-inherit", "proj-inherit", "nosymlinks", "extsize", "extsz-inherit",
        "no-defrag", "filestream", "dax", "cowextsize", "has-xattr"};
    /** The FS_XFLAG_* bit of each letter (include/uapi/linux/fs.h). */
    private static final int[] XFLAG_BITS = {0x1, 0x2, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100, 0x200, 0x400, 0x800,
        0x1000, 0x2000, 0x4000, 0x8000, 0x10000, 0x80000000};
    private static final int FS_XFLAG_IMMUTABLE = 0x8;
    private static final int FS_XFLAG_APPEND = 0x10;
    /** FS_IOC_SETFLAGS has no bit for the XFS-only letters: pmemfs refuses them like other unsupported flags. */
    private static final int UNSUPPORTED = 1 << 31;
    private static final DateTimeFormatter CTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);

    private FileCommands() {}

    /** open [-acfrt] [-m mode] [path]: -c and -f both mean O_CREAT; without a path, stat the current file. */
    static void open(IoSession s, List<String> argv) {
        if (argv.size() == 1) {
            if (s.hasFile()) {
                stat(s, argv);
            } else {
                s.failErr("no files are open, try 'help open'");
            }
            return;
        }
        Getopt.Parsed p = s.getopt(argv, "acfm:rt", "open");
        if (p == null) {
            return;
        }
        int flags = Syscalls.O_RDWR;
        int mode = 0600;
        for (Getopt.Opt o : p.opts()) {
            switch (o.letter()) {
                case 'a' -> flags |= Syscalls.O_APPEND;
                case 'c', 'f' -> flags |= Syscalls.O_CREAT;
                case 'm' -> {
                    CvtNum.ParsedLong v = CvtNum.strtoll(o.arg());
                    if (v == null) {
                        s.failOut("non-numeric mode -- " + o.arg());
                        return;
                    }
                    mode = (int) v.value();
                }
                case 'r' -> flags = (flags & ~Syscalls.O_ACCMODE) | Syscalls.O_RDONLY;
                default -> flags |= Syscalls.O_TRUNC;
            }
        }
        if (p.operands().size() != 1) {
            s.usage("open");
            return;
        }
        String path = p.operands().getFirst();
        try {
            s.addFile(new IoSession.OpenedFile(s.sys().open(path, flags, mode), path, flags));
        } catch (ErrnoException e) {
            s.perror(path, e);
        }
    }

    static void close(IoSession s, List<String> argv) {
        IoSession.OpenedFile f = s.removeCurrentFile();
        try {
            s.sys().close(f.fd());
        } catch (ErrnoException e) {
            s.perror("close", e);
        }
    }

    static void truncate(IoSession s, List<String> argv) {
        long off = CvtNum.parse(argv.get(1));
        if (off < 0) {
            s.failOut("non-numeric truncate argument -- " + argv.get(1));
            return;
        }
        try {
            s.sys().ftruncate(s.file().fd(), off);
        } catch (ErrnoException e) {
            s.perror("ftruncate", e);
        }
    }

    static void fsync(IoSession s, List<String> argv) {
        try {
            s.sys().fsync(s.file().fd());
        } catch (ErrnoException e) {
            s.perror(argv.getFirst().equals("fdatasync") ? "fdatasync" : "fsync", e);
        }
    }

    static void stat(IoSession s, List<String> argv) {
        Getopt.Parsed p = s.getopt(argv, "rv", "stat");
        if (p == null) {
            return;
        }
        boolean raw = p.opts().stream().anyMatch(o -> o.letter() == 'r');
        boolean verbose = p.opts().stream().anyMatch(o -> o.letter() == 'v');
        if (raw && verbose) {
            s.usage("stat");
            return;
        }
        Stat st;
        try {
            st = s.sys().fstat(s.file().fd());
        } catch (ErrnoException e) {
            s.perror("fstat", e);
            return;
        }
        var out = s.out();
        if (raw) {
            out.println("stat.blksize = " + st.blksize());
            out.println("stat.nlink = " + st.nlink());
            out.println("stat.uid = " + st.uid());
            out.println("stat.gid = " + st.gid());
            out.println("stat.mode: 0" + Integer.toOctalString(st.mode()));
            out.println("stat.ino = " + st.ino());
            out.println("stat.size = " + st.size());
            out.println("stat.blocks = " + st.blocks());
            printTime(out, "atime", st.atimeNs());
            printTime(out, "ctime", st.ctimeNs());
            printTime(out, "mtime", st.mtimeNs());
            return;
        }
        IoSession.OpenedFile f = s.file();
        boolean ro = (f.flags() & Syscalls.O_ACCMODE) == Syscalls.O_RDONLY;
        out.println("fd.path = \"" + f.name() + "\"");
        out.println("fd.flags = non-sync,non-direct," + (ro ? "read-only" : "read-write")
                + ((f.flags() & Syscalls.O_APPEND) != 0 ? ",append-only" : ""));
        out.println("stat.ino = " + st.ino());
        out.println("stat.type = " + (st.isDirectory() ? "directory" : "regular file"));
        out.println("stat.size = " + st.size());
        out.println("stat.blocks = " + st.blocks());
        if (verbose) {
            out.println("stat.atime = " + ctime(st.atimeNs()));
            out.println("stat.mtime = " + ctime(st.mtimeNs()));
            out.println("stat.ctime = " + ctime(st.ctimeNs()));
        }
        printFsxattr(s, st, verbose);
    }

    /**
     * The XFS half of io/stat.c's stat_f: FS_IOC_FSGETXATTR (with XFS_IOC_FSGETXATTRA for the attribute
     * fork) and XFS_IOC_DIOINFO, which xfs_io prints for files on XFS. pmemfs answers them as XFS does
     * for what it stores: the flags of FS_IOC_GETFLAGS as FS_XFLAG_* bits, no project id, no extent
     * size hints, no attribute fork (it has no extended attributes), the extents FIEMAP reports as the
     * data fork's extent count; DIOINFO from the statx DIO alignment of a 512-byte-sector device (pmem's
     * logical block size) for regular files, zero for others, as Linux 6.x's xfs_ioc_dioinfo.
     */
    private static void printFsxattr(IoSession s, Stat st, boolean verbose) {
        var out = s.out();
        int fd = s.file().fd();
        int xflags;
        int nextents;
        try {
            xflags = xflags(s.sys().getFlags(fd));
            nextents = s.sys().fiemap(fd, 0, Long.MAX_VALUE, 0, 0).mappedExtents();
        } catch (ErrnoException e) {
            s.perror("FS_IOC_FSGETXATTR", e);
            return;
        }
        out.println("fsxattr.xflags = 0x" + Integer.toHexString(xflags) + " " + printxattr(xflags, verbose));
        out.println("fsxattr.projid = 0");
        out.println("fsxattr.extsize = 0");
        out.println("fsxattr.cowextsize = 0");
        out.println("fsxattr.nextents = " + nextents);
        out.println("fsxattr.naextents = 0");
        boolean regular = !st.isDirectory();
        int sector = 512;
        out.println("dioattr.mem = 0x" + Integer.toHexString(regular ? sector : 0));
        out.println("dioattr.miniosz = " + (regular ? sector : 0));
        out.println("dioattr.maxiosz = " + (regular ? Integer.MAX_VALUE & ~(sector - 1) : 0));
    }

    /** FS_IOC_GETFLAGS bits as FS_IOC_FSGETXATTR's: the two pmemfs stores (xfs_ip2xflags' counterparts). */
    private static int xflags(int fsFlags) {
        int x = 0;
        if ((fsFlags & InodeAttr.FS_IMMUTABLE_FL) != 0) {
            x |= FS_XFLAG_IMMUTABLE;
        }
        if ((fsFlags & InodeAttr.FS_APPEND_FL) != 0) {
            x |= FS_XFLAG_APPEND;
        }
        return x;
    }

    /**
     * io/attr.c's printxattr with braces and no file name: "[--ia-----...]" (a letter or "-" per flag in
     * the table's order), or with -v "[immutable, append-only]".
     */
    private static String printxattr(int xflags, boolean verbose) {
        StringBuilder b = new StringBuilder("[");
        boolean first = true;
        for (int i = 0; i < XFLAG_LETTERS.length(); i++) {
            boolean on = (xflags & XFLAG_BITS[i]) != 0;
            if (verbose) {
                if (on) {
                    b.append(first ? "" : ", ").append(XFLAG_NAMES[i]);
                    first = false;
                }
            } else {
                b.append(on ? XFLAG_LETTERS.charAt(i) : '-');
            }
        }
        return b.append(']').toString();
    }

    private static void printTime(java.io.PrintWriter out, String which, long ns) {
        out.println("stat." + which + ".tv_sec = " + Math.floorDiv(ns, 1_000_000_000L));
        out.println("stat." + which + ".tv_nsec = " + Math.floorMod(ns, 1_000_000_000L));
    }

    private static String ctime(long ns) {
        return CTIME.format(Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L)).atZone(ZoneId.systemDefault()));
    }

    /** chmod -r (0444), -w (0664), or an octal mode (a pmemfs addition). */
    static void chmod(IoSession s, List<String> argv) {
        String a = argv.get(1);
        int mode;
        if (a.equals("-r")) {
            mode = 0444;
        } else if (a.equals("-w")) {
            mode = 0664;
        } else if (a.matches("[0-7]{1,4}")) {
            mode = Integer.parseInt(a, 8);
        } else {
            s.usage("chmod");
            return;
        }
        try {
            s.sys().chmod(s.file().name(), mode);
        } catch (ErrnoException e) {
            s.perror("fchmod", e);
        }
    }

    static void chattr(IoSession s, List<String> argv) {
        int or = 0;
        int andNot = 0;
        for (String a : argv.subList(1, argv.size())) {
            if (a.equals("-R") || a.equals("-D")) {
                continue;
            }
            boolean set = a.startsWith("+");
            if (!set && !a.startsWith("-")) {
                s.failErr(IoSession.PROGNAME + ": bad chattr command, not +/-X");
                return;
            }
            for (char c : a.substring(1).toCharArray()) {
                int i = XFLAG_LETTERS.indexOf(c);
                if (i < 0) {
                    s.failErr(IoSession.PROGNAME + ": unknown flag");
                    return;
                }
                int bit = fsFlag(c);
                if (set) {
                    or |= bit;
                } else {
                    andNot |= bit;
                }
            }
        }
        String name = s.file().name();
        int fd = s.file().fd();
        int flags;
        try {
            flags = s.sys().getFlags(fd);
        } catch (ErrnoException e) {
            s.failErr(IoSession.PROGNAME + ": cannot get flags on " + name + ": " + e.errno().text());
            return;
        }
        try {
            s.sys().setFlags(fd, (flags | or) & ~andNot);
        } catch (ErrnoException e) {
            s.failErr(IoSession.PROGNAME + ": cannot set flags on " + name + ": " + e.errno().text());
        }
    }

    static void lsattr(IoSession s, List<String> argv) {
        Getopt.Parsed p = s.getopt(argv, "DRav", "lsattr");
        if (p == null) {
            return;
        }
        boolean verbose = p.opts().stream().anyMatch(o -> o.letter() == 'v');
        String name = s.file().name();
        int flags;
        try {
            flags = s.sys().getFlags(s.file().fd());
        } catch (ErrnoException e) {
            s.failErr(IoSession.PROGNAME + ": cannot get flags on " + name + ": " + e.errno().text());
            return;
        }
        StringBuilder b = new StringBuilder();
        if (verbose) {
            b.append('[');
        }
        boolean first = true;
        for (int i = 0; i < XFLAG_LETTERS.length(); i++) {
            char c = XFLAG_LETTERS.charAt(i);
            int bit = fsFlag(c);
            boolean on = bit != UNSUPPORTED && (flags & bit) != 0;
            if (verbose) {
                if (on) {
                    b.append(first ? "" : ", ").append(XFLAG_NAMES[i]);
                    first = false;
                }
            } else {
                b.append(on ? c : '-');
            }
        }
        if (verbose) {
            b.append(']');
        }
        s.out().println(b + " " + name + " ");
    }

    private static int fsFlag(char letter) {
        return switch (letter) {
            case 'i' -> InodeAttr.FS_IMMUTABLE_FL;
            case 'a' -> InodeAttr.FS_APPEND_FL;
            default -> UNSUPPORTED;
        };
    }
}
