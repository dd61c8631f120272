package dev.pmemfs.nio;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A path inside one pmemfs {@code FileSystem}: POSIX syntax ('/' separated, absolute when it starts
 * with '/'), kept as its names; pure string algebra, as sun.nio.fs.UnixPath (nothing here touches the
 * filesystem except {@link #toRealPath}). The working directory is the root, as for a pmemfs process.
 */
final class PmemPath implements Path {
    private final PmemFileSystem fs;
    private final boolean absolute;
    /** The names; an empty path is one empty name, as UnixPath has it. */
    private final String[] names;

    private PmemPath(PmemFileSystem fs, boolean absolute, String[] names) {
        this.fs = fs;
        this.absolute = absolute;
        this.names = names;
    }

    /** Parses {@code text}: repeated and trailing slashes are dropped; NUL is refused. */
    static PmemPath parse(PmemFileSystem fs, String text) {
        if (text.indexOf('\0') >= 0) {
            throw new java.nio.file.InvalidPathException(text, "Nul character not allowed");
        }
        boolean abs = text.startsWith("/");
        List<String> parts = new ArrayList<>();
        for (String p : text.split("/")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        if (parts.isEmpty() && !abs) {
            return new PmemPath(fs, false, new String[] {""});
        }
        return new PmemPath(fs, abs, parts.toArray(String[]::new));
    }

    private boolean isEmpty() {
        return !absolute && names.length == 1 && names[0].isEmpty();
    }

    /** The path as the vfs takes it: absolute, '/' separated. */
    String vfsPath() {
        return toAbsolutePath().toString();
    }

    @Override
    public PmemFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return absolute;
    }

    @Override
    public Path getRoot() {
        return absolute ? new PmemPath(fs, true, new String[0]) : null;
    }

    @Override
    public Path getFileName() {
        if (names.length == 0) {
            return null;
        }
        if (!absolute && names.length == 1) {
            return this;
        }
        return new PmemPath(fs, false, new String[] {names[names.length - 1]});
    }

    @Override
    public Path getParent() {
        if (names.length == 0 || (!absolute && names.length == 1)) {
            return null;
        }
        return new PmemPath(fs, absolute, Arrays.copyOf(names, names.length - 1));
    }

    @Override
    public int getNameCount() {
        return names.length;
    }

    @Override
    public Path getName(int index) {
        if (index < 0 || index >= names.length) {
            throw new IllegalArgumentException("name index " + index + " of " + names.length);
        }
        return new PmemPath(fs, false, new String[] {names[index]});
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        if (beginIndex < 0 || beginIndex >= names.length || endIndex > names.length || beginIndex >= endIndex) {
            throw new IllegalArgumentException("subpath(" + beginIndex + ", " + endIndex + ") of " + names.length + " names");
        }
        return new PmemPath(fs, false, Arrays.copyOfRange(names, beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        if (!(other instanceof PmemPath o) || o.fs != fs || o.absolute != absolute) {
            return false;
        }
        if (o.isEmpty()) {
            return isEmpty();
        }
        if (o.names.length > names.length) {
            return false;
        }
        for (int i = 0; i < o.names.length; i++) {
            if (!o.names[i].equals(names[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean endsWith(Path other) {
        if (!(other instanceof PmemPath o) || o.fs != fs) {
            return false;
        }
        if (o.absolute) {
            return equals(o);
        }
        if (o.isEmpty()) {
            return isEmpty();
        }
        if (o.names.length > names.length) {
            return false;
        }
        for (int i = 0; i < o.names.length; i++) {
            if (!o.names[o.names.length - 1 - i].equals(names[names.length - 1 - i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Path normalize() {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (n.equals(".") || n.isEmpty()) {
                continue;
            }
            if (n.equals("..")) {
                if (!out.isEmpty() && !out.getLast().equals("..")) {
                    out.removeLast();
                    continue;
                }
                if (absolute) {
                    continue; // "/.." is "/"
                }
            }
            out.add(n);
        }
        if (out.isEmpty() && !absolute) {
            return new PmemPath(fs, false, new String[] {""});
        }
        return new PmemPath(fs, absolute, out.toArray(String[]::new));
    }

    @Override
    public Path resolve(Path other) {
        PmemPath o = check(other);
        if (o.absolute) {
            return o;
        }
        if (o.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return o;
        }
        String[] joined = Arrays.copyOf(names, names.length + o.names.length);
        System.arraycopy(o.names, 0, joined, names.length, o.names.length);
        return new PmemPath(fs, absolute, joined);
    }

    @Override
    public Path relativize(Path other) {
        PmemPath o = check(other);
        if (o.absolute != absolute) {
            throw new IllegalArgumentException("'other' is different type of Path");
        }
        if (equals(o)) {
            return new PmemPath(fs, false, new String[] {""});
        }
        String[] a = isEmpty() ? new String[0] : names;
        String[] b = o.isEmpty() ? new String[0] : o.names;
        int common = 0;
        while (common < a.length && common < b.length && a[common].equals(b[common])) {
            common++;
        }
        List<String> out = new ArrayList<>();
        for (int i = common; i < a.length; i++) {
            out.add("..");
        }
        out.addAll(Arrays.asList(b).subList(common, b.length));
        return out.isEmpty() ? new PmemPath(fs, false, new String[] {""})
                : new PmemPath(fs, false, out.toArray(String[]::new));
    }

    @Override
    public URI toUri() {
        try {
            String p = toAbsolutePath().toString();
            return new URI(PmemFileSystemProvider.SCHEME, null, "/" + fs.namespaceName() + (p.equals("/") ? "" : p),
                    "home=" + fs.home(), null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot form a URI for " + this + ": " + e.getMessage(), e);
        }
    }

    @Override
    public PmemPath toAbsolutePath() {
        if (absolute) {
            return this;
        }
        return isEmpty() ? new PmemPath(fs, true, new String[0]) : new PmemPath(fs, true, names);
    }

    /**
     * The real path of an existing file: absolute, each symbolic link replaced by its target (as
     * realpath(3) walks them, ELOOP after 40), "." and ".." resolved on the real directories; with
     * NOFOLLOW_LINKS the links stay and only the names are normalised, as the default provider does.
     */
    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        if (PmemFileSystemProvider.noFollow(options)) {
            PmemPath real = (PmemPath) toAbsolutePath().normalize();
            fs.provider().readAttributes(real, java.nio.file.attribute.BasicFileAttributes.class, options);
            return real;
        }
        dev.pmemfs.vfs.Syscalls sys = fs.sys();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(toAbsolutePath().names));
        List<String> out = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String n = todo.pollFirst();
            if (n.isEmpty() || n.equals(".")) {
                continue;
            }
            if (n.equals("..")) {
                if (!out.isEmpty()) {
                    out.removeLast();
                }
                continue;
            }
            String candidate = "/" + String.join("/", out) + (out.isEmpty() ? "" : "/") + n;
            try {
                if (sys.lstat(candidate).isSymlink()) {
                    if (++links > 40) {
                        throw new java.nio.file.FileSystemException(toString(), null, dev.pmemfs.errno.Errno.ELOOP.text());
                    }
                    String target = sys.readlink(candidate);
                    List<String> parts = List.of(target.split("/"));
                    for (int i = parts.size() - 1; i >= 0; i--) {
                        todo.addFirst(parts.get(i));
                    }
                    if (target.startsWith("/")) {
                        out.clear();
                    }
                    continue;
                }
            } catch (dev.pmemfs.errno.ErrnoException e) {
                throw Errors.of(e, toString());
            }
            out.add(n);
        }
        return new PmemPath(fs, true, out.toArray(String[]::new));
    }

    /** WatchService is not offered by pmemfs (its provider returns none). */
    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("pmemfs offers no WatchService");
    }

    @Override
    public int compareTo(Path other) {
        return toString().compareTo(((PmemPath) other).toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PmemPath p && p.fs == fs && p.absolute == absolute && Arrays.equals(p.names, names);
    }

    @Override
    public int hashCode() {
        return Objects.hash(System.identityHashCode(fs), absolute, Arrays.hashCode(names));
    }

    @Override
    public String toString() {
        String joined = String.join("/", names);
        return absolute ? "/" + joined : joined;
    }

    private PmemPath check(Path other) {
        Objects.requireNonNull(other, "other");
        if (!(other instanceof PmemPath p) || p.fs != fs) {
            throw new ProviderMismatchException(other + " is not a path of " + fs);
        }
        return p;
    }

    /** A path of {@code fs}, or ProviderMismatchException (as every provider checks its arguments). */
    static PmemPath of(Path p) {
        Objects.requireNonNull(p, "path");
        if (!(p instanceof PmemPath pp)) {
            throw new ProviderMismatchException(p + " is not a pmemfs path");
        }
        return pp;
    }

    static FileSystem fileSystemOf(Path p) {
        return of(p).getFileSystem();
    }
}
