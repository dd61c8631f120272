package dev.pmemfs.cli.fs;

import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.HostPath;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.cli.CredentialsOption;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Stat;
import dev.pmemfs.vfs.Syscalls;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code pmemfs cp SRC DST}: copies a host file into a namespace's filesystem ({@code cp host NS:/path})
 * or out of it ({@code cp NS:/path host}), through the syscall layer. A destination that is a directory
 * receives the source's name. A regular file is copied in either direction as coreutils' cp copies it
 * (copy.c, {@code lseek_copy}): only the data segments SEEK_DATA/SEEK_HOLE find in the source are read
 * and written, holes stay holes in the destination, and its length is set last; so a sparse file of
 * any size costs only its data.
 */
@Command(name = "cp", mixinStandardHelpOptions = true,
        description = "Copy a host file into a namespace's filesystem, or out of it.")
public final class CpCommand implements Callable<Integer> {
    private static final int CHUNK = 1 << 20;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HomeOption homeOption;

    @Mixin
    MountOptionsOption mountOptions;

    @Mixin
    CredentialsOption credentials;

    @Parameters(index = "0", paramLabel = "SRC", description = "Host file, or NS:/path.")
    String src;

    @Parameters(index = "1", paramLabel = "DST", description = "NS:/path, or host file.")
    String dst;

    @Override
    public Integer call() throws Exception {
        boolean srcIn = Target.looksLike(src);
        boolean dstIn = Target.looksLike(dst);
        if (srcIn == dstIn) {
            throw new UserException("cp needs exactly one side written NS:/path (got '" + src + "' and '" + dst
                    + "'); the other side is a host file", ExitCodes.USAGE);
        }
        return srcIn ? copyOut(Target.parse(src), HostPath.parse(dst)) : copyIn(HostPath.parse(src), Target.parse(dst));
    }

    private int copyIn(Path host, Target t) throws Exception {
        if (!Files.isRegularFile(host) || !Files.isReadable(host)) {
            throw new UserException("cannot read host file " + host + ": not a readable regular file");
        }
        try (MountedNamespace m = MountedNamespace.open(homeOption.home(), t.namespace(), mountOptions.text());
                FileChannel in = FileChannel.open(host)) {
            Syscalls p = m.vfs().process(credentials.credentials());
            String path = t.path();
            if (isDirectory(p, path)) {
                path = (path.endsWith("/") ? path : path + "/") + host.getFileName();
            }
            int fd = p.open(path, Syscalls.O_WRONLY | Syscalls.O_CREAT | Syscalls.O_TRUNC, 0644);
            long size = in.size();
            byte[] buf = new byte[CHUNK];
            // The host file's data segments only: its holes stay holes (unallocated) in pmemfs.
            for (long[] seg : HostSegments.of(host, size)) {
                for (long off = seg[0]; off < seg[1]; ) {
                    int n = in.read(ByteBuffer.wrap(buf, 0, (int) Math.min(buf.length, seg[1] - off)), off);
                    if (n <= 0) {
                        break; // the host file shrank under us
                    }
                    for (int done = 0; done < n; ) {
                        done += p.pwrite(fd, buf, done, n - done, off + done);
                    }
                    off += n;
                }
            }
            p.ftruncate(fd, size);
            p.close(fd);
        } catch (IOException e) {
            throw new UserException("cannot read host file " + host + ": " + e.getMessage());
        }
        return 0;
    }

    private int copyOut(Target t, Path host) throws Exception {
        try (MountedNamespace m = MountedNamespace.open(homeOption.home(), t.namespace(), mountOptions.text())) {
            Syscalls p = m.vfs().process(credentials.credentials());
            int fd = p.open(t.path(), Syscalls.O_RDONLY, 0);
            Stat st = p.fstat(fd);
            if (st.isDirectory()) {
                throw new UserException("cannot copy " + t.path() + " out of " + t.namespace()
                        + ": it is a directory (pmemfs cp copies single files)");
            }
            Path out = Files.isDirectory(host) ? host.resolve(Path.of(t.path()).getFileName().toString()) : host;
            try (RandomAccessFile raf = new RandomAccessFile(out.toFile(), "rw")) {
                raf.setLength(0);
                if (st.isRegular()) {
                    copySparse(p, fd, st.size(), raf);
                } else {
                    copyStream(p, fd, raf);
                }
            } catch (IOException e) {
                throw new UserException("cannot write host file " + out + ": " + e.getMessage());
            }
            p.close(fd);
        }
        return 0;
    }

    /** The data segments only (SEEK_DATA, SEEK_HOLE), each written at its offset; the length set last. */
    private static void copySparse(Syscalls p, int fd, long size, RandomAccessFile raf)
            throws ErrnoException, IOException {
        FileChannel ch = raf.getChannel();
        byte[] buf = new byte[CHUNK];
        long pos = 0;
        while (pos < size) {
            long data;
            try {
                data = p.lseek(fd, pos, Syscalls.SEEK_DATA);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.ENXIO) {
                    break; // only a hole remains
                }
                throw e;
            }
            long hole = p.lseek(fd, data, Syscalls.SEEK_HOLE);
            for (long off = data; off < hole; ) {
                int n = p.pread(fd, buf, 0, (int) Math.min(buf.length, hole - off), off);
                if (n <= 0) {
                    break; // the file shrank under us
                }
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    ch.write(bb, off + bb.position());
                }
                off += n;
            }
            pos = hole;
        }
        raf.setLength(size);
    }

    /** A file without positions (a FIFO, a character device): read until end of file. */
    private static void copyStream(Syscalls p, int fd, RandomAccessFile raf) throws ErrnoException, IOException {
        byte[] buf = new byte[CHUNK];
        int n;
        while ((n = p.read(fd, buf, 0, buf.length)) > 0) {
            raf.write(buf, 0, n);
        }
    }

    private static boolean isDirectory(Syscalls p, String path) throws ErrnoException {
        try {
            return p.stat(path).isDirectory();
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }
}
