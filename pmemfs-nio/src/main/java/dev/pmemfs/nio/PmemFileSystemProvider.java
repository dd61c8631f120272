package dev.pmemfs.nio;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Stat;
import dev.pmemfs.vfs.Syscalls;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code java.nio.file} provider of scheme {@code pmemfs}: an emulated pmem namespace, mounted in
 * this JVM, as a {@link FileSystem} whose paths any code can be handed.
 *
 * <pre>{@code
 * FileSystem fs = FileSystems.newFileSystem(URI.create("pmemfs:/namespace0.0"),
 *         Map.of("home", dir, "create", "256m", "profile", "linux-5.19"));
 * Path db = fs.getPath("/db");
 * }</pre>
 *
 * The URI names the namespace ({@code namespaceN.0}); the environment map says where its image lives
 * ({@code home}, a directory; without it a temporary namespace is created and deleted on close),
 * whether to create it ({@code create}: a size such as {@code "256m"}; the new namespace is formatted),
 * the kernel profile or mount options ({@code profile}), and who opens it ({@code uid}, {@code gid},
 * {@code groups}, {@code caps}: default root with every capability; every permission check is the
 * vfs layer's). A namespace has one owner: a second {@code newFileSystem} on the same image fails
 * with FileSystemAlreadyExistsException in this JVM, and with the media layer's busy error in another.
 *
 * <p>Path URIs have the form {@code pmemfs:/namespace0.0/dir/file?home=/abs/home}; without the query
 * they resolve when exactly one open file system has that namespace name. Symbolic and hard links,
 * timestamps and link options are the vfs layer's; {@code WatchService} and {@code FileChannel.map} (use
 * {@link PmemFiles#map}) are not offered.
 * Registered in {@code META-INF/services}; mirrors jimfs's SystemJimfsFileSystemProvider in keeping
 * the open file systems so {@code Path.of(URI)} finds them.
 */
public final class PmemFileSystemProvider extends FileSystemProvider {
    /** The URI scheme. */
    public static final String SCHEME = "pmemfs";
    /** The permission bits a process creating files masks off (umask 022, a login shell's). */
    static final int UMASK = 022;

    /** Open file systems by absolute image path, across every instance of this provider. */
    private static final Map<Path, PmemFileSystem> OPEN = new ConcurrentHashMap<>();

    /** Public no-argument constructor, as ServiceLoader requires. */
    public PmemFileSystemProvider() {}

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) throws IOException {
        String name = namespaceOf(uri);
        Env e = Env.parse(withQuery(uri, env));
        if (e.home() != null) {
            Path image = PmemFileSystem.imageOf(e.home(), name);
            if (OPEN.containsKey(image)) {
                throw new FileSystemAlreadyExistsException(uri + ": " + image + " is already open in this JVM");
            }
        }
        PmemFileSystem fs = PmemFileSystem.open(this, name, e);
        if (OPEN.putIfAbsent(fs.image(), fs) != null) {
            fs.close();
            throw new FileSystemAlreadyExistsException(uri + ": " + fs.image() + " is already open in this JVM");
        }
        return fs;
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        return find(uri);
    }

    @Override
    public Path getPath(URI uri) {
        PmemFileSystem fs = find(uri);
        String p = uri.getPath();
        int slash = p.indexOf('/', 1);
        return fs.getPath(slash < 0 ? "/" : p.substring(slash));
    }

    void forget(PmemFileSystem fs) {
        OPEN.remove(fs.image(), fs);
    }

    private static PmemFileSystem find(URI uri) {
        String name = namespaceOf(uri);
        String home = queryHome(uri);
        if (home != null) {
            PmemFileSystem fs = OPEN.get(PmemFileSystem.imageOf(Path.of(home), name));
            if (fs == null) {
                throw new FileSystemNotFoundException(uri + ": no open pmemfs file system for " + name + " in " + home);
            }
            return fs;
        }
        List<PmemFileSystem> named = new ArrayList<>();
        for (PmemFileSystem fs : OPEN.values()) {
            if (fs.namespaceName().equals(name)) {
                named.add(fs);
            }
        }
        if (named.isEmpty()) {
            throw new FileSystemNotFoundException(uri + ": no open pmemfs file system named " + name);
        }
        if (named.size() > 1) {
            throw new IllegalArgumentException(uri + ": " + named.size() + " open pmemfs file systems are named " + name
                    + "; add ?home=DIR to say which");
        }
        return named.getFirst();
    }

    /** The namespace name, the first segment of the URI's path; IllegalArgumentException otherwise. */
    private static String namespaceOf(URI uri) {
        Objects.requireNonNull(uri, "uri");
        if (!SCHEME.equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException(uri + ": scheme is not " + SCHEME);
        }
        String p = uri.getPath();
        if (p == null || !p.startsWith("/") || p.length() < 2) {
            throw new IllegalArgumentException(uri + ": expected pmemfs:/namespaceN.0[/path]");
        }
        int slash = p.indexOf('/', 1);
        String name = slash < 0 ? p.substring(1) : p.substring(1, slash);
        PmemFileSystem.idOf(name);
        return name;
    }

    private static String queryHome(URI uri) {
        String q = uri.getQuery();
        if (q == null) {
            return null;
        }
        for (String kv : q.split("&")) {
            if (kv.startsWith("home=")) {
                return kv.substring(5);
            }
        }
        throw new IllegalArgumentException(uri + ": unknown query (accepted: home=DIR)");
    }

    private static Map<String, ?> withQuery(URI uri, Map<String, ?> env) {
        String home = queryHome(uri);
        if (home == null || env.containsKey("home")) {
            return env;
        }
        Map<String, Object> m = new java.util.HashMap<>(env);
        m.put("home", home);
        return m;
    }

    static PmemFileSystem fsOf(Path p) {
        return PmemPath.of(p).getFileSystem();
    }

    // ---- files and channels ----

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        return PmemChannel.open(PmemPath.of(path), options, attrs);
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        return PmemChannel.open(PmemPath.of(path), options, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        PmemPath d = PmemPath.of(dir);
        Objects.requireNonNull(filter, "filter");
        List<String> names;
        try {
            names = d.getFileSystem().sys().readdir(d.vfsPath());
        } catch (ErrnoException e) {
            throw Errors.notDirectory(e, d.toString());
        }
        return new PmemDirectoryStream(d, names, filter);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        PmemPath d = PmemPath.of(dir);
        int mode = PmemAttributes.modeOf(attrs, 0777) & ~UMASK;
        try {
            d.getFileSystem().sys().mkdir(d.vfsPath(), mode);
        } catch (ErrnoException e) {
            throw Errors.of(e, d.toString());
        }
    }

    /** unlink, or rmdir when the path names a directory; ENOTEMPTY is DirectoryNotEmptyException. */
    @Override
    public void delete(Path path) throws IOException {
        PmemPath p = PmemPath.of(path);
        Syscalls sys = p.getFileSystem().sys();
        try {
            // lstat: a symbolic link is unlinked itself, never its target
            if (sys.lstat(p.vfsPath()).isDirectory()) {
                sys.rmdir(p.vfsPath());
            } else {
                sys.unlink(p.vfsPath());
            }
        } catch (ErrnoException e) {
            throw Errors.notEmpty(e, p.toString(), null);
        }
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        Copier.copy(PmemPath.of(source), PmemPath.of(target), options);
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        PmemPath s = PmemPath.of(source);
        PmemPath t = PmemPath.of(target);
        if (s.getFileSystem() != t.getFileSystem()) {
            throw new java.nio.file.ProviderMismatchException("move between two pmemfs file systems");
        }
        boolean replace = false;
        for (CopyOption o : options) {
            if (o == StandardCopyOption.REPLACE_EXISTING || o == StandardCopyOption.ATOMIC_MOVE) {
                replace |= o == StandardCopyOption.REPLACE_EXISTING;
            } else if (o != java.nio.file.LinkOption.NOFOLLOW_LINKS && o != StandardCopyOption.COPY_ATTRIBUTES) {
                throw new UnsupportedOperationException("unsupported copy option " + o);
            }
        }
        boolean atomic = List.of(options).contains(StandardCopyOption.ATOMIC_MOVE);
        Syscalls sys = s.getFileSystem().sys();
        try {
            sys.lstat(s.vfsPath());
            if (!atomic && exists(sys, t.vfsPath()) && !isSameFile(s, t)) {
                // As the default provider (UnixCopyFile.move): refuse, or delete the target first
                // (rmdir for a directory, so a non-empty one is DirectoryNotEmptyException), then rename.
                if (!replace) {
                    throw new FileAlreadyExistsException(t.toString());
                }
                if (sys.lstat(t.vfsPath()).isDirectory()) {
                    try {
                        sys.rmdir(t.vfsPath());
                    } catch (ErrnoException e) {
                        throw Errors.notEmpty(e, t.toString(), null);
                    }
                }
            }
            sys.rename(s.vfsPath(), t.vfsPath());
        } catch (ErrnoException e) {
            throw Errors.notEmpty(e, s.toString(), t.toString());
        }
    }

    /** Whether the name exists (lstat: a dangling symbolic link exists as a name). */
    static boolean exists(Syscalls sys, String path) throws ErrnoException {
        try {
            sys.lstat(path);
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        if (Objects.equals(path, path2)) {
            return true;
        }
        if (!(path instanceof PmemPath a) || !(path2 instanceof PmemPath b) || a.getFileSystem() != b.getFileSystem()) {
            return false;
        }
        Syscalls sys = a.getFileSystem().sys();
        try {
            return sys.stat(a.vfsPath()).ino() == sys.stat(b.vfsPath()).ino();
        } catch (ErrnoException e) {
            throw Errors.of(e, a.toString(), b.toString());
        }
    }

    /** Hidden as on Unix: the name starts with a dot. */
    @Override
    public boolean isHidden(Path path) {
        Path name = PmemPath.of(path).getFileName();
        return name != null && name.toString().startsWith(".");
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        PmemPath p = PmemPath.of(path);
        readAttributes(p, BasicFileAttributes.class);
        return new PmemFileStore(p.getFileSystem());
    }

    /** access(2): existence, then the vfs layer's permission check for each mode asked. */
    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        PmemPath p = PmemPath.of(path);
        int mask = 0;
        for (AccessMode m : modes) {
            mask |= switch (m) {
                case READ -> Syscalls.R_OK;
                case WRITE -> Syscalls.W_OK;
                case EXECUTE -> Syscalls.X_OK;
            };
        }
        try {
            p.getFileSystem().sys().access(p.vfsPath(), mask);
        } catch (ErrnoException e) {
            throw Errors.of(e, p.toString());
        }
    }

    // ---- links ----

    /** symlink(2); the target is stored as given (relative targets resolve against the link's directory). */
    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        PmemPath l = PmemPath.of(link);
        if (attrs.length > 0) {
            throw new UnsupportedOperationException("a symbolic link takes no initial attributes");
        }
        try {
            l.getFileSystem().sys().symlink(PmemPath.of(target).toString(), l.vfsPath());
        } catch (ErrnoException e) {
            throw Errors.of(e, l.toString());
        }
    }

    /** link(2). */
    @Override
    public void createLink(Path link, Path existing) throws IOException {
        PmemPath l = PmemPath.of(link);
        PmemPath x = PmemPath.of(existing);
        try {
            l.getFileSystem().sys().link(x.vfsPath(), l.vfsPath());
        } catch (ErrnoException e) {
            throw Errors.of(e, l.toString(), x.toString());
        }
    }

    /** readlink(2); EINVAL (not a link) is NotLinkException, as the default provider reports it. */
    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        PmemPath l = PmemPath.of(link);
        try {
            return l.getFileSystem().getPath(l.getFileSystem().sys().readlink(l.vfsPath()));
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EINVAL) {
                throw new java.nio.file.NotLinkException(l.toString());
            }
            throw Errors.of(e, l.toString());
        }
    }

    // ---- attributes ----

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        return PmemAttributes.view(PmemPath.of(path), type, noFollow(options));
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        return PmemAttributes.read(PmemPath.of(path), type, noFollow(options));
    }

    static boolean noFollow(LinkOption... options) {
        for (LinkOption o : options) {
            if (o == LinkOption.NOFOLLOW_LINKS) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        return PmemAttributes.read(PmemPath.of(path), attributes, noFollow(options));
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        PmemAttributes.set(PmemPath.of(path), attribute, value);
    }

    static Stat stat(PmemPath p) throws IOException {
        return stat(p, false);
    }

    /** stat(2), or lstat(2) with {@code noFollow}. */
    static Stat stat(PmemPath p, boolean noFollow) throws IOException {
        try {
            return noFollow ? p.getFileSystem().sys().lstat(p.vfsPath()) : p.getFileSystem().sys().stat(p.vfsPath());
        } catch (ErrnoException e) {
            throw Errors.of(e, p.toString());
        }
    }

    static NoSuchFileException noSuchFile(PmemPath p) {
        return new NoSuchFileException(p.toString());
    }
}
