package dev.pmemfs.cli.io;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.Arrays;
import java.util.List;

/** pread and pwrite as io/pread.c and io/pwrite.c run them: block-sized calls, then the timing report. */
final class ReadWriteCommands {
    private ReadWriteCommands() {}

    static void pwrite(IoSession s, List<String> argv) {
        Getopt.Parsed p = s.getopt(argv, "b:qS:", "pwrite");
        if (p == null) {
            return;
        }
        long bsize = CvtNum.BLOCK_SIZE;
        long seed = 0xcdcdcdcdL;
        boolean quiet = false;
        for (Getopt.Opt o : p.opts()) {
            switch (o.letter()) {
                case 'b' -> {
                    bsize = CvtNum.parse(o.arg());
                    if (bsize < 0) {
                        s.failOut("non-numeric bsize -- " + o.arg());
                        return;
                    }
                }
                case 'S' -> {
                    CvtNum.ParsedLong v = CvtNum.strtoll(o.arg());
                    if (v == null) {
                        s.failOut("non-numeric seed -- " + o.arg());
                        return;
                    }
                    seed = v.value();
                }
                default -> quiet = true;
            }
        }
        if (p.operands().size() != 2) {
            s.usage("pwrite");
            return;
        }
        long offset = offsetArg(s, p.operands().get(0));
        long count = offset < 0 ? -1 : lengthArg(s, p.operands().get(1));
        if (count < 0) {
            return;
        }
        byte[] buf = allocBuffer(s, bsize, count);
        if (buf == null) {
            return;
        }
        // alloc_buffer memsets the seed: every byte is its low byte.
        Arrays.fill(buf, (byte) seed);
        long t1 = s.now();
        long total = 0;
        int ops = 0;
        long off = offset;
        long cnt = count;
        int fd = s.file().fd();
        while (cnt >= 0) {
            int want = (int) Math.min(cnt, buf.length);
            int bytes;
            try {
                bytes = s.sys().pwrite(fd, buf, 0, want, off);
            } catch (ErrnoException e) {
                s.perror("pwrite", e);
                return;
            }
            if (bytes == 0) {
                break;
            }
            ops++;
            total += bytes;
            if (bytes < want) {
                break;
            }
            off += bytes;
            cnt -= bytes;
            if (cnt == 0) {
                break;
            }
        }
        if (!quiet) {
            s.out().print(IoFormat.reportIoTimes("wrote", s.now() - t1, offset, count, total, ops));
        }
    }

    static void pread(IoSession s, List<String> argv) {
        Getopt.Parsed p = s.getopt(argv, "b:qv", "pread");
        if (p == null) {
            return;
        }
        long bsize = CvtNum.BLOCK_SIZE;
        boolean quiet = false;
        boolean verbose = false;
        for (Getopt.Opt o : p.opts()) {
            switch (o.letter()) {
                case 'b' -> {
                    bsize = CvtNum.parse(o.arg());
                    if (bsize < 0) {
                        s.failOut("non-numeric bsize -- " + o.arg());
                        return;
                    }
                }
                case 'q' -> quiet = true;
                default -> verbose = true;
            }
        }
        if (p.operands().size() != 2) {
            s.usage("pread");
            return;
        }
        long offset = CvtNum.parse(p.operands().get(0));
        if (offset < 0) {
            s.failOut("non-numeric length argument -- " + p.operands().get(0));
            return;
        }
        long count = lengthArg(s, p.operands().get(1));
        if (count < 0) {
            return;
        }
        byte[] buf = allocBuffer(s, bsize, count);
        if (buf == null) {
            return;
        }
        long t1 = s.now();
        long total = 0;
        int ops = 0;
        long off = offset;
        long cnt = count;
        int fd = s.file().fd();
        while (cnt > 0) {
            int want = (int) Math.min(cnt, buf.length);
            int bytes;
            try {
                bytes = s.sys().pread(fd, buf, 0, want, off);
            } catch (ErrnoException e) {
                s.perror("pread", e);
                return;
            }
            if (bytes == 0) {
                break;
            }
            ops++;
            if (verbose) {
                s.out().print(IoFormat.dumpBuffer(off, buf, 0, bytes));
            }
            total += bytes;
            if (bytes < want) {
                break;
            }
            off += bytes;
            cnt -= bytes;
        }
        if (!quiet) {
            s.out().print(IoFormat.reportIoTimes("read", s.now() - t1, offset, count, total, ops));
        }
    }

    /**
     * The largest I/O buffer a command may ask for: what one Java array holds, and at most a quarter of
     * the heap. A larger {@code -b} is a request the emulated process cannot satisfy, refused as
     * xfs_io's {@code memalign} refuses it, before anything is allocated.
     */
    static final long MAX_BUFFER = Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 4);

    /**
     * {@code alloc_buffer} (io/pread.c): a buffer for {@code -b bsize}, or null after xfs_io's
     * "memalign: Cannot allocate memory" when {@code bsize} exceeds {@link #MAX_BUFFER}. Each call moves
     * {@code min(bsize, count)} bytes, so no more than that is allocated; a zero bsize makes zero-byte
     * calls, as in xfs_io ("wrote 0/N bytes").
     */
    static byte[] allocBuffer(IoSession s, long bsize, long count) {
        if (bsize > MAX_BUFFER) {
            s.failErr("memalign: " + Errno.ENOMEM.text());
            return null;
        }
        return new byte[(int) Math.min(bsize, count)];
    }

    /** {@code offset_length}'s offset half: "non-numeric offset argument -- X" on stdout. */
    static long offsetArg(IoSession s, String text) {
        long v = CvtNum.parse(text);
        if (v < 0) {
            s.failOut("non-numeric offset argument -- " + text);
        }
        return v;
    }

    static long lengthArg(IoSession s, String text) {
        long v = CvtNum.parse(text);
        if (v < 0) {
            s.failOut("non-numeric length argument -- " + text);
        }
        return v;
    }
}
