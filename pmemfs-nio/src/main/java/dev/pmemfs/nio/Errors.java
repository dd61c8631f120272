package dev.pmemfs.nio;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The one place where a vfs errno becomes a java.nio.file exception, as sun.nio.fs.UnixException's
 * {@code translateToIOException} does for the default provider: EACCES, ENOENT and EEXIST get their
 * own types; everything else (EPERM included, as there) is a FileSystemException whose reason is
 * strerror's text. ENOTEMPTY and ENOTDIR get their types only where a method's contract names them
 * ({@link #notEmpty}, {@link #notDirectory}).
 */
final class Errors {
    private Errors() {}

    static IOException of(ErrnoException e, String file) {
        return of(e, file, null);
    }

    static IOException of(ErrnoException e, String file, String other) {
        FileSystemException x = switch (e.errno()) {
            case EACCES -> new AccessDeniedException(file, other, null);
            case ENOENT -> new NoSuchFileException(file, other, null);
            case EEXIST -> new FileAlreadyExistsException(file, other, null);
            default -> new FileSystemException(file, other, e.errno().text());
        };
        x.initCause(e);
        return x;
    }

    /** For delete and move: ENOTEMPTY (and EEXIST from rename over a non-empty directory) is DirectoryNotEmptyException. */
    static IOException notEmpty(ErrnoException e, String file, String other) {
        if (e.errno() == Errno.ENOTEMPTY) {
            IOException x = new DirectoryNotEmptyException(file);
            x.initCause(e);
            return x;
        }
        return of(e, file, other);
    }

    /** For newDirectoryStream: ENOTDIR is NotDirectoryException. */
    static IOException notDirectory(ErrnoException e, String file) {
        if (e.errno() == Errno.ENOTDIR) {
            IOException x = new NotDirectoryException(file);
            x.initCause(e);
            return x;
        }
        return of(e, file);
    }
}
