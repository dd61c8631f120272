package dev.pmemfs.nio;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.MkfsOptions;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.media.NamespaceConfig;
import dev.pmemfs.recovery.ClearAtUnmount;
import dev.pmemfs.stack.PmemStack;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.Syscalls;
import java.io.IOException;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One mounted pmemfs namespace seen as a {@code java.nio.file.FileSystem}: the namespace image open
 * (its one owner), the pmem driver attached, the filesystem mounted, and one vfs process running
 * with the opener's credentials through which every operation goes. Every rule (permissions, errno,
 * semantics) is the vfs layer's; this class only holds the stack and the open channels.
 *
 * <p>Closing it closes every channel it handed out, unmounts, closes the namespace (freeing it for the
 * next owner) and, for a temporary namespace, deletes the image and its directory.
 */
final class PmemFileSystem extends FileSystem {
    private static final Pattern NAME = Pattern.compile("namespace(\\d+)\\.0");

    private final PmemFileSystemProvider provider;
    private final String name;
    private final Path home;
    private final Path image;
    private final boolean temporary;
    private final PmemStack stack;
    private final Credentials cred;
    private final Set<PmemChannel> channels = ConcurrentHashMap.newKeySet();
    private final FileLocks locks = new FileLocks();
    /* the stack's process; swapped only by an offline clear (under this), with no channel open */
    private volatile Syscalls sys;
    private volatile boolean closed;

    private PmemFileSystem(PmemFileSystemProvider provider, String name, Path home, Path image, boolean temporary,
                           PmemStack stack, Credentials cred) {
        this.provider = provider;
        this.name = name;
        this.home = home;
        this.image = image;
        this.temporary = temporary;
        this.stack = stack;
        this.cred = cred;
        this.sys = stack.sys();
    }

    /** The image path {@code name} has under {@code home}, as the command line names it. */
    static Path imageOf(Path home, String name) {
        return home.resolve(name + ".img").toAbsolutePath().normalize();
    }

    /** The number N of {@code namespaceN.0}; IllegalArgumentException for another name. */
    static int idOf(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a namespace name (namespaceN.0, as ndctl names them)");
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * Opens (or creates and formats) namespace {@code name} as {@code env} says and mounts it. A
     * namespace another opener owns is refused with the media layer's NamespaceBusyException.
     */
    static PmemFileSystem open(PmemFileSystemProvider provider, String name, Env env) throws IOException {
        int id = idOf(name);
        boolean temporary = env.home() == null;
        Path home = temporary ? Files.createTempDirectory("pmemfs-nio-") : env.home().toAbsolutePath().normalize();
        Path image = imageOf(home, name);
        boolean ok = false;
        boolean fresh = !Files.exists(image);
        PmemStack stack = null;
        try {
            PmemStack.Builder b;
            if (fresh) {
                long size = env.create() != 0 ? env.create() : temporary ? Env.DEFAULT_TEMP_SIZE : 0;
                if (size == 0) {
                    throw new NoSuchFileException(image.toString(), null,
                            "no such namespace image; pass \"create\" with a size (e.g. \"256m\") to create it");
                }
                if (!Files.isDirectory(home)) {
                    throw new NoSuchFileException(home.toString(), null, "the pmemfs home directory does not exist");
                }
                NamespaceConfig config;
                try {
                    config = NamespaceConfig.of(size).withId(id);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("pmemfs option create: " + e.getMessage(), e);
                }
                // mkfs stores the profile as the filesystem's defaults, as 'pmemfs mkfs -o' does
                b = PmemStack.create(image, config)
                        .mkfs(new MkfsOptions(0, 0, MountOptions.parse(env.profile(), MountOptions.DEFAULTS)));
            } else {
                b = PmemStack.open(image);
            }
            if (env.profile() != null) {
                b.mountOptions(env.profile());
            }
            try {
                stack = b.credentials(env.cred()).build();
            } catch (ErrnoException e) {
                throw new FileSystemException(image.toString(), null, "cannot mount " + name + ": " + e.getMessage());
            }
            if (fresh && env.cred().uid() != 0) {
                // A new namespace belongs to its opener, as mkfs.ext4 -E root_owner=UID:GID makes it:
                // otherwise an unprivileged opener could create nothing in the root directory (0755 root).
                try (Syscalls root = stack.process(Credentials.ROOT)) {
                    root.chown("/", env.cred().uid(), env.cred().gid());
                } catch (ErrnoException e) {
                    throw new FileSystemException(image.toString(), null, "cannot give / to the opener: " + e.getMessage());
                }
            }
            PmemFileSystem fs = new PmemFileSystem(provider, name, home, image, temporary, stack, env.cred());
            ok = true;
            return fs;
        } finally {
            if (!ok) {
                if (stack != null) {
                    try {
                        stack.close();
                    } catch (ErrnoException e) {
                        // the failure that brought us here is the one to report
                    }
                }
                if (fresh && !temporary) {
                    Files.deleteIfExists(image); // a namespace this call created and could not bring up
                }
                if (temporary) {
                    deleteTree(home);
                }
            }
        }
    }

    // ---- what the provider, channels and PmemFiles use ----

    /** The opener's process; ClosedFileSystemException once closed. */
    Syscalls sys() {
        if (closed) {
            throw new ClosedFileSystemException();
        }
        return sys;
    }

    /** The stack (namespace, driver, mount); ClosedFileSystemException once closed. */
    PmemStack stack() {
        sys();
        return stack;
    }

    Credentials credentials() {
        return cred;
    }

    MountOptions mountOptions() {
        return stack().options();
    }

    String namespaceName() {
        return name;
    }

    Path home() {
        return home;
    }

    Path image() {
        return image;
    }

    FileLocks locks() {
        return locks;
    }

    void register(PmemChannel ch) {
        channels.add(ch);
        if (closed) {
            channels.remove(ch);
            throw new ClosedFileSystemException();
        }
    }

    void forget(PmemChannel ch) {
        channels.remove(ch);
    }

    /**
     * ndctl clear-errors with the filesystem unmounted (the unmount-clear design): refused with EBUSY
     * while channels are open, as umount(2) refuses a busy mount; then unmount, clear, mount again.
     */
    synchronized long clearOffline() throws ErrnoException {
        ClearAtUnmount.requireAdmin(cred);
        if (!channels.isEmpty()) {
            throw new ErrnoException(dev.pmemfs.errno.Errno.EBUSY, "umount", channels.size()
                    + " channels of " + name + " are open: close them before clearing at unmount");
        }
        long bytes = stack().clearErrorsOffline();
        sys = stack.sys();
        return bytes;
    }

    // ---- java.nio.file.FileSystem ----

    @Override
    public PmemFileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        provider.forget(this);
        IOException failure = null;
        try {
            for (PmemChannel ch : List.copyOf(channels)) {
                ch.closeByFileSystem();
            }
            channels.clear();
            stack.close();
        } catch (ErrnoException e) {
            failure = new FileSystemException(image.toString(), null, "unmount failed: " + e.getMessage());
        } finally {
            if (temporary) {
                deleteTree(home);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        sys();
        return List.of(PmemPath.parse(this, "/"));
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        sys();
        return List.of(new PmemFileStore(this));
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return PmemAttributes.VIEWS;
    }

    @Override
    public Path getPath(String first, String... more) {
        StringBuilder sb = new StringBuilder(first);
        for (String m : more) {
            if (!m.isEmpty()) {
                if (!sb.isEmpty()) {
                    sb.append('/');
                }
                sb.append(m);
            }
        }
        return PmemPath.parse(this, sb.toString());
    }

    /** "glob:" and "regex:" as the default provider (java.nio.file.FileSystem#getPathMatcher). */
    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        int colon = syntaxAndPattern.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + syntaxAndPattern + "': expected syntax:pattern");
        }
        String syntax = syntaxAndPattern.substring(0, colon);
        String pattern = syntaxAndPattern.substring(colon + 1);
        Pattern re = switch (syntax.toLowerCase(java.util.Locale.ROOT)) {
            case "glob" -> Pattern.compile(Globs.toRegex(pattern));
            case "regex" -> Pattern.compile(pattern);
            default -> throw new UnsupportedOperationException("syntax '" + syntax + "' is not recognized");
        };
        return p -> re.matcher(p.toString()).matches();
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return PmemAttributes.LOOKUP;
    }

    /** pmemfs offers no WatchService (the issue leaves it out; nothing in the vfs layer feeds inotify). */
    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("pmemfs offers no WatchService");
    }

    @Override
    public String toString() {
        return "pmemfs:" + name + " (" + image + ")";
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            dir.toFile().deleteOnExit();
        }
    }
}
