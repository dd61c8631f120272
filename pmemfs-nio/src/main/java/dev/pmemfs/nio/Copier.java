package dev.pmemfs.nio;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Stat;
import dev.pmemfs.vfs.Syscalls;
import dev.pmemfs.vfs.Timespec;
import java.io.IOException;
import java.nio.file.CopyOption;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;

/**
 * Files.copy inside one pmemfs, in the default provider's order (sun.nio.fs.UnixCopyFile): stat the
 * source; an existing target is refused, or deleted first with REPLACE_EXISTING (a non-empty
 * directory is DirectoryNotEmptyException); a directory is copied as an empty directory; a file's
 * bytes through read(2)/write(2), created with the source's mode under the umask. COPY_ATTRIBUTES
 * copies the mode and the access and modification times exactly and, where the caller may,
 * the owner. A read that meets poison fails the copy with MediaErrorException.
 */
final class Copier {
    private static final int CHUNK = 1 << 20;

    private Copier() {}

    static void copy(PmemPath source, PmemPath target, CopyOption... options) throws IOException {
        if (source.getFileSystem() != target.getFileSystem()) {
            throw new java.nio.file.ProviderMismatchException("copy between two pmemfs file systems");
        }
        boolean replace = false;
        boolean attrs = false;
        boolean noFollow = false;
        for (CopyOption o : options) {
            if (o == StandardCopyOption.REPLACE_EXISTING) {
                replace = true;
            } else if (o == StandardCopyOption.COPY_ATTRIBUTES) {
                attrs = true;
            } else if (o == LinkOption.NOFOLLOW_LINKS) {
                noFollow = true;
            } else {
                throw new UnsupportedOperationException("unsupported copy option " + o);
            }
        }
        Syscalls sys = source.getFileSystem().sys();
        // NOFOLLOW_LINKS: a symbolic link is copied as the link itself, not what it points to.
        Stat src = PmemFileSystemProvider.stat(source, noFollow);
        String to = target.vfsPath();
        try {
            if (PmemFileSystemProvider.exists(sys, to)) {
                if (sys.stat(to).ino() == src.ino()) {
                    return;
                }
                if (!replace) {
                    throw new FileAlreadyExistsException(target.toString());
                }
                source.getFileSystem().provider().delete(target);
            }
            int mode = src.mode() & 07777;
            if (src.isSymlink()) {
                sys.symlink(sys.readlink(source.vfsPath()), to);
                return; // a link has no attributes of its own to copy (its mode is always 0777)
            } else if (src.isDirectory()) {
                sys.mkdir(to, mode & ~PmemFileSystemProvider.UMASK);
            } else {
                copyData(source, target, sys, mode & ~PmemFileSystemProvider.UMASK);
            }
            if (attrs) {
                sys.chmod(to, mode);
                sys.utimensat(to, Timespec.ofNanos(src.atimeNs()), Timespec.ofNanos(src.mtimeNs()), 0);
                try {
                    sys.chown(to, src.uid(), src.gid());
                } catch (ErrnoException e) {
                    // as the default provider: the owner is copied when the caller may, silently otherwise
                }
            }
        } catch (ErrnoException e) {
            throw Errors.of(e, source.toString(), target.toString());
        }
    }

    private static void copyData(PmemPath source, PmemPath target, Syscalls sys, int mode) throws IOException {
        try (PmemChannel in = PmemChannel.open(source, java.util.Set.of(java.nio.file.StandardOpenOption.READ))) {
            int out;
            try {
                out = sys.open(target.vfsPath(), Syscalls.O_WRONLY | Syscalls.O_CREAT | Syscalls.O_EXCL, mode);
            } catch (ErrnoException e) {
                throw Errors.of(e, target.toString());
            }
            try {
                byte[] buf = new byte[CHUNK];
                long pos = 0;
                while (true) {
                    int n = in.read(java.nio.ByteBuffer.wrap(buf), pos);
                    if (n < 0) {
                        break;
                    }
                    int done = 0;
                    while (done < n) {
                        done += sys.pwrite(out, buf, done, n - done, pos + done);
                    }
                    pos += n;
                }
            } catch (ErrnoException e) {
                throw Errors.of(e, target.toString());
            } finally {
                try {
                    sys.close(out);
                } catch (ErrnoException e) {
                    // closing a descriptor we opened cannot fail but for EBADF
                }
            }
        }
    }
}
