package dev.pmemfs.testing;

import dev.pmemfs.cli.io.IoSession;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.Syscalls;
import dev.pmemfs.vfs.Vfs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pieces of fstests a ported script needs: {@code $XFS_IO_PROG -f [-t] -c ... file} run as a new
 * root process over the pmemfs syscall layer, and the filters of common/filter and common/punch
 * ({@code _filter_xfs_io}, {@code _filter_xfs_io_unique}, {@code _filter_fiemap},
 * {@code _filter_hole_fiemap}, {@code _md5_checksum}), reimplemented from their documented behaviour.
 */
public final class XfsIoHarness {
    private final Vfs vfs;
    /** A clock that advances 1 µs per reading, so timing lines are reproducible before filtering. */
    private final AtomicLong clock = new AtomicLong();

    public XfsIoHarness(Vfs vfs) {
        this.vfs = vfs;
    }

    /** {@code xfs_io -f [-t] -c CMD... file}: stdout then stderr, as a shell pipe with 2>&1 would collect them. */
    public String xfsIo(boolean truncate, String file, String... commands) {
        StringWriter out = new StringWriter();
        try (Syscalls p = vfs.process(Credentials.ROOT)) {
            IoSession s = new IoSession(p, new PrintWriter(out, true), new PrintWriter(out, true),
                    () -> clock.addAndGet(1000));
            int flags = Syscalls.O_RDWR | Syscalls.O_CREAT | (truncate ? Syscalls.O_TRUNC : 0);
            if (s.openInitial(file, flags, 0600)) {
                s.run(List.of(commands));
            }
        }
        return out.toString();
    }

    public String xfsIo(String file, String... commands) {
        return xfsIo(false, file, commands);
    }

    /** {@code rm -f file}. */
    public void rm(String file) {
        try (Syscalls p = vfs.process(Credentials.ROOT)) {
            p.unlink(file);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ENOENT) {
                throw new AssertionError(e);
            }
        }
    }

    /** The file's bytes. */
    public byte[] contents(String file) throws ErrnoException {
        try (Syscalls p = vfs.process(Credentials.ROOT)) {
            int fd = p.open(file, Syscalls.O_RDONLY, 0);
            byte[] b = new byte[(int) p.fstat(fd).size()];
            int done = 0;
            while (done < b.length) {
                int n = p.pread(fd, b, done, b.length - done, done);
                if (n == 0) {
                    break;
                }
                done += n;
            }
            return b;
        }
    }

    /** {@code cp src dst} inside the filesystem. */
    public void cp(String src, String dst) throws ErrnoException {
        byte[] b = contents(src);
        try (Syscalls p = vfs.process(Credentials.ROOT)) {
            int fd = p.open(dst, Syscalls.O_WRONLY | Syscalls.O_CREAT | Syscalls.O_TRUNC, 0644);
            p.pwrite(fd, b, 0, b.length, 0);
        }
    }

    /** {@code _md5_checksum}: the md5 of the file's contents, in hex. */
    public String md5(String file) throws ErrnoException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(contents(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code _filter_xfs_io}: the timing line becomes fixed text. */
    public static String filterXfsIo(String out) {
        return out.replaceAll("(?m)^[0-9.]+ [A-Za-z]+, \\d+ ops; .*$",
                "XXX Bytes, X ops; XX:XX:XX.X (XXX YYY/sec and XXX ops/sec)");
    }

    /**
     * {@code _filter_xfs_io_unique}: a line whose text after its last colon repeats the previous line's
     * is replaced by one "*" per run (common/filter's {@code common_line_filter}), then
     * {@code _filter_xfs_io}.
     */
    public static String filterXfsIoUnique(String out) {
        StringBuilder b = new StringBuilder();
        String last = null;
        boolean firstMatch = true;
        for (String line : out.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.lastIndexOf(':');
            if (colon >= 0) {
                String tail = line.substring(colon + 1);
                if (!tail.equals(last)) {
                    b.append(line).append('\n');
                    firstMatch = true;
                } else if (firstMatch) {
                    b.append("*\n");
                    firstMatch = false;
                }
                last = tail;
            } else {
                b.append(line).append('\n');
                last = line;
            }
        }
        return filterXfsIo(b.toString());
    }

    /** {@code _filter_fiemap}: fiemap -v rows as hole / unwritten (flag 0x800) / data, coalesced. */
    public static String filterFiemap(String out) {
        return coalesce(classify(out, true));
    }

    /** {@code _filter_hole_fiemap}: fiemap -v rows as hole / extent, coalesced. */
    public static String filterHoleFiemap(String out) {
        return coalesce(classify(out, false));
    }

    private record Row(long low, long high, String type) {}

    private static List<Row> classify(String out, boolean unwritten) {
        List<Row> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3 || !f[1].startsWith("[")) {
                continue;
            }
            String type;
            if (f[2].contains("hole")) {
                type = "hole";
            } else if (f.length >= 5 && f[4].matches("0x[0-9a-fA-F]+")) {
                type = unwritten && f[4].matches("0x[0-9a-fA-F]*8[0-9a-fA-F]{2}") ? "unwritten"
                        : unwritten ? "data" : "extent";
            } else {
                continue;
            }
            String[] bounds = f[1].replaceAll("[\\[\\]:]", "").split("\\.\\.");
            rows.add(new Row(Long.parseLong(bounds[0]), Long.parseLong(bounds[1]), type));
        }
        return rows;
    }

    /** {@code _coalesce_extents}: neighbouring rows of one type become one row. */
    private static String coalesce(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (int i = 0; i < rows.size(); ) {
            int j = i;
            while (j + 1 < rows.size() && rows.get(j + 1).type().equals(rows.get(i).type())) {
                j++;
            }
            b.append(n++).append(": [").append(rows.get(i).low()).append("..").append(rows.get(j).high())
                    .append("]: ").append(rows.get(i).type()).append('\n');
            i = j + 1;
        }
        return b.toString();
    }

    /**
     * {@code od -x} of the file with its final offset line dropped, as generic/009's single-block case
     * prints it: octal offsets, little-endian 16-bit words, "*" for repeated lines.
     */
    public String odX(String file) throws ErrnoException {
        byte[] b = contents(file);
        StringBuilder s = new StringBuilder();
        String prev = null;
        boolean starred = false;
        for (int off = 0; off < b.length; off += 16) {
            StringBuilder words = new StringBuilder();
            for (int i = off; i < Math.min(off + 16, b.length); i += 2) {
                int w = (b[i] & 0xFF) | (i + 1 < b.length ? (b[i + 1] & 0xFF) << 8 : 0);
                words.append(' ').append(String.format("%04x", w));
            }
            String text = words.toString();
            if (text.equals(prev)) {
                if (!starred) {
                    s.append("*\n");
                    starred = true;
                }
                continue;
            }
            s.append(String.format("%07o", off)).append(text).append('\n');
            prev = text;
            starred = false;
        }
        return s.toString();
    }
}
