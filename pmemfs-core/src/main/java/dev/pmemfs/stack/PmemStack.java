package dev.pmemfs.stack;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.fs.Fsck;
import dev.pmemfs.fs.FsckReport;
import dev.pmemfs.fs.MkfsOptions;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.fs.PmemFs;
import dev.pmemfs.media.ClearErrors;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceConfig;
import dev.pmemfs.media.PersistenceDomain;
import dev.pmemfs.pmem.Pmem;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.Syscalls;
import dev.pmemfs.vfs.Vfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Objects;

/**
 * A namespace, the pmem driver bound to it, (optionally) a fresh filesystem, its mount and the syscall
 * layer on top, owned as one thing: {@link Builder#build()} brings them up in order and, when a step
 * fails, takes down what it already brought up before it rethrows (the success-flag-and-finally of
 * Lucene's {@code MMapDirectory.openInput}); {@link #close()} takes them down in reverse: unmount
 * (every descriptor closed), unbind the driver, close the namespace, delete a temporary image.
 *
 * <p>Mirrors what a system does between probe and shutdown: pmem_attach_disk
 * (drivers/nvdimm/pmem.c), mkfs, mount(2); the offline clear is the administrator's unmount, ndctl
 * disable-namespace, clear-errors, enable-namespace, mount.
 *
 * <pre>{@code
 * try (PmemStack s = PmemStack.temporary(dir, 64 << 20).mkfs().mountOptions("linux-5.19").build()) {
 *     Syscalls sys = s.sys();                 // root, unless the builder named other credentials
 *     int fd = sys.open("/f", Syscalls.O_RDWR | Syscalls.O_CREAT, 0644);
 *     ...
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one owner drives mount, unmount and close; the syscalls it hands out are as
 * thread-safe as the vfs makes them.
 */
public final class PmemStack implements AutoCloseable {
    private final Namespace ns;
    /** The image to delete on close (a temporary one), or null to keep it. */
    private final Path deleteOnClose;
    private final Credentials credentials;
    /** Null until the first mount resolves {@link #optionText} over the stored defaults. */
    private MountOptions options;
    private final String optionText;
    /** Where the filesystem's timestamps come from (the system clock unless a test gives a fake one). */
    private final InstantSource clock;
    /** Null while the driver is unbound (only inside an offline clear that failed half-way). */
    private Pmem pmem;
    /** Null while unmounted. */
    private Vfs vfs;
    private Syscalls sys;
    private boolean closed;

    private PmemStack(Namespace ns, Path deleteOnClose, Credentials credentials, MountOptions options,
            String optionText, InstantSource clock) {
        this.clock = clock;
        this.ns = ns;
        this.deleteOnClose = deleteOnClose;
        this.credentials = credentials;
        this.options = options;
        this.optionText = optionText;
    }

    /** A stack on a new namespace image at {@code image} (which must not exist), kept on close. */
    public static Builder create(Path image, NamespaceConfig config) {
        return new Builder(Source.CREATE, Objects.requireNonNull(image, "image"), null,
                Objects.requireNonNull(config, "config"));
    }

    /** A stack on a new fsdax namespace of {@code size} bytes at {@code image}, kept on close. */
    public static Builder create(Path image, long size) {
        return create(image, NamespaceConfig.of(size));
    }

    /** A stack on an existing namespace image; no mkfs unless asked for. */
    public static Builder open(Path image) {
        return new Builder(Source.OPEN, Objects.requireNonNull(image, "image"), null, null);
    }

    /**
     * A stack on a new namespace image with a unique name in {@code dir}, deleted on close (and when the
     * build fails). Give a {@link NamespaceConfig} with {@link Builder#config} for other than fsdax.
     */
    public static Builder temporary(Path dir, long size) {
        return new Builder(Source.TEMPORARY, Objects.requireNonNull(dir, "dir"), null, NamespaceConfig.of(size));
    }

    /**
     * A stack on a namespace the caller opened (by name, with a lock, or with a tracking persistence
     * domain): the stack owns it from here on and closes it, also when the build fails.
     */
    public static Builder on(Namespace ns) {
        return new Builder(Source.GIVEN, null, Objects.requireNonNull(ns, "ns"), null);
    }

    /** Where benchmarks put scratch images: /dev/shm when there is one (no disk writeback), else java.io.tmpdir. */
    public static Path memoryBackedDir() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private enum Source { CREATE, OPEN, TEMPORARY, GIVEN }

    /** What to build: the namespace's source, and whether to mkfs and mount, with what options, as whom. */
    public static final class Builder {
        private final Source source;
        private final Path path;
        private final Namespace given;
        private NamespaceConfig config;
        private PersistenceDomain persistence;
        private MkfsOptions mkfs;
        private MountOptions mountOptions;
        private String mountOptionText;
        private boolean mount = true;
        private Credentials credentials = Credentials.ROOT;
        private InstantSource clock = InstantSource.system();

        private Builder(Source source, Path path, Namespace given, NamespaceConfig config) {
            this.source = source;
            this.path = path;
            this.given = given;
            this.config = config;
        }

        /** The new namespace's configuration (mode, number, clear unit, size); only for a created one. */
        public Builder config(NamespaceConfig c) {
            if (source != Source.CREATE && source != Source.TEMPORARY) {
                throw new IllegalStateException("only a new namespace takes a configuration");
            }
            this.config = Objects.requireNonNull(c, "config");
            return this;
        }

        /** The persistence domain of a created or opened image (crash tests pass a tracking one). */
        public Builder persistence(PersistenceDomain pd) {
            if (source == Source.GIVEN) {
                throw new IllegalStateException("a namespace opened by the caller already has its persistence domain");
            }
            this.persistence = Objects.requireNonNull(pd, "pd");
            return this;
        }

        /** Makes a filesystem with mkfs's defaults before mounting. */
        public Builder mkfs() {
            return mkfs(MkfsOptions.DEFAULTS);
        }

        /** Makes a filesystem with {@code opts} (inode count, journal size, stored mount defaults) before mounting. */
        public Builder mkfs(MkfsOptions opts) {
            this.mkfs = Objects.requireNonNull(opts, "opts");
            return this;
        }

        /** Mounts with exactly {@code o}, whatever the superblock stores. */
        public Builder mountOptions(MountOptions o) {
            this.mountOptions = Objects.requireNonNull(o, "options");
            this.mountOptionText = null;
            return this;
        }

        /**
         * Mounts with mount-option text ({@code "linux-5.15"}, {@code "recovery_write=off,zeroinit=on"})
         * applied over the defaults mkfs stored; null or empty keeps the stored defaults. Bad text makes
         * {@link #build} throw IllegalArgumentException with the parser's message.
         */
        public Builder mountOptions(String text) {
            this.mountOptionText = text;
            this.mountOptions = null;
            return this;
        }

        /** Stops after binding the driver (and mkfs, if asked): no mount; {@link PmemStack#mount()} mounts later. */
        public Builder unmounted() {
            this.mount = false;
            return this;
        }

        /** The clock mkfs and every mount take timestamps from (default: the system clock). */
        public Builder clock(InstantSource c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** Whose process {@link PmemStack#sys()} is (default: root with every capability). */
        public Builder credentials(Credentials c) {
            this.credentials = Objects.requireNonNull(c, "credentials");
            return this;
        }

        /**
         * Opens or creates the namespace, binds the driver, runs mkfs and mounts as asked. A failing step
         * unmounts, unbinds and closes what was brought up (and deletes a temporary image) before the
         * exception leaves.
         */
        public PmemStack build() throws IOException, ErrnoException {
            Path image = switch (source) {
                case CREATE, OPEN -> path;
                case TEMPORARY -> Files.createTempFile(path, "namespace" + config.id() + ".0-", ".img");
                case GIVEN -> given.image();
            };
            boolean ok = false;
            PmemStack s = null;
            try {
                if (source == Source.TEMPORARY) {
                    Files.delete(image); // Namespace.create makes the file itself; the name was what we wanted
                }
                Namespace ns = switch (source) {
                    case CREATE, TEMPORARY -> persistence == null ? Namespace.create(image, config)
                            : Namespace.create(image, config, persistence);
                    case OPEN -> persistence == null ? Namespace.open(image) : Namespace.open(image, persistence);
                    case GIVEN -> given;
                };
                s = new PmemStack(ns, source == Source.TEMPORARY ? image : null, credentials, mountOptions,
                        mountOptionText, clock);
                s.pmem = Pmem.probe(ns);
                if (mkfs != null) {
                    PmemFs.mkfs(s.pmem.dax(), s.pmem.block(), mkfs, clock);
                }
                if (mount) {
                    s.mount();
                }
                ok = true;
                return s;
            } finally {
                if (!ok) {
                    if (s != null) {
                        s.closeQuietly();
                    } else {
                        if (given != null) {
                            given.close();
                        }
                        if (source == Source.TEMPORARY) {
                            deleteImage(image);
                        }
                    }
                }
            }
        }
    }

    // ---- the parts ----

    public Namespace namespace() {
        return ns;
    }

    /** The image file behind the namespace. */
    public Path image() {
        return ns.image();
    }

    /** The bound pmem driver (its dax and block faces). */
    public Pmem pmem() {
        requireBound();
        return pmem;
    }

    public DaxDevice dax() {
        return pmem().dax();
    }

    /** The block device; IllegalStateException for devdax, which has none. */
    public BlockDevice block() {
        return pmem().block();
    }

    /**
     * The options the filesystem is mounted with: the builder's, or its option text over the defaults
     * mkfs stored (read from the superblock at the first mount; null before it).
     */
    public MountOptions options() {
        return options;
    }

    public boolean mounted() {
        return vfs != null;
    }

    /** The syscall layer of the current mount. */
    public Vfs vfs() {
        requireMounted();
        return vfs;
    }

    /** The mounted filesystem, for fs-level queries (fsck, the reverse map, syncfs). */
    public FileSystem fs() {
        return vfs().fileSystem();
    }

    /** The builder's credentials' process on the current mount (a new one after every remount). */
    public Syscalls sys() {
        requireMounted();
        return sys;
    }

    /** A new process with {@code cred} on the current mount. */
    public Syscalls process(Credentials cred) {
        return vfs().process(cred);
    }

    // ---- life cycle ----

    /** Mounts the filesystem with {@link #options()} (journal replay included). */
    public void mount() throws ErrnoException {
        requireOpen();
        requireBound();
        if (vfs != null) {
            throw new IllegalStateException(ns.name() + " is already mounted");
        }
        if (options == null) {
            options = MountOptions.parse(optionText, PmemFs.storedDefaults(pmem.dax()));
        }
        // The kernel a mount behaves as owns the driver too: under a linux-* profile the badblocks table
        // is Linux's 512-entry one, otherwise pmemfs's scalable set (kept with the namespace, so the
        // dev and ndctl commands that follow see the same table).
        MountOptions.Profile profile = options.profile();
        ns.setLinuxBadblocksTable(profile != null && profile.name().startsWith("LINUX_"));
        FileSystem fs = PmemFs.mount(pmem.dax(), pmem.block(), options, clock);
        vfs = new Vfs(fs, pmem.dax());
        sys = vfs.process(credentials);
    }

    /** Mounts with other options from now on. */
    public void mount(MountOptions o) throws ErrnoException {
        options = Objects.requireNonNull(o, "options");
        mount();
    }

    /** Unmounts cleanly: every descriptor of every process closed, the journal checkpointed. No-op when unmounted. */
    public void unmount() throws ErrnoException {
        Vfs v = vfs;
        vfs = null; // forget the processes of a mount that is gone, even if its unmount fails
        sys = null;
        if (v != null) {
            v.close();
        }
    }

    /** A clean unmount and a new mount with the same options, as at the next boot; a failed mount leaves it unmounted. */
    public void remount() throws ErrnoException {
        unmount();
        mount();
    }

    /**
     * ndctl clear-errors as an administrator runs it, offline: unmount, unbind the driver (the
     * namespace offline, as ndctl requires before Clear Uncorrectable Error), clear every known error
     * of the data area, bind the driver again and mount with the same options. A mount that fails
     * (metadata the clear left as garbage) leaves the stack unmounted and throws. Who may do this is
     * the caller's check.
     *
     * @return bytes of media errors cleared
     */
    public long clearErrorsOffline() throws ErrnoException {
        requireMounted();
        unmount();
        pmem.detach();
        pmem = null;
        long bytes = ClearErrors.run(ns);
        pmem = Pmem.probe(ns);
        mount();
        return bytes;
    }

    /**
     * fsck of the current state: a mounted filesystem is synced first (syncfs), so the media holds
     * everything committed, and only checked; an unmounted one is checked as it lies, and repaired
     * when {@code repair}.
     */
    public FsckReport fsck(boolean repair) throws ErrnoException {
        requireBound();
        if (vfs != null) {
            if (repair) {
                throw new IllegalStateException("fsck --repair of " + ns.name() + " while it is mounted");
            }
            vfs.fileSystem().syncfs();
        }
        return Fsck.check(pmem.dax(), pmem.block(), repair);
    }

    /**
     * Unmounts, unbinds the driver, closes the namespace and deletes a temporary image, in that order;
     * every step runs even when an earlier one fails, and the first failure is thrown with the others
     * suppressed. Idempotent.
     */
    @Override
    public void close() throws ErrnoException {
        if (closed) {
            return;
        }
        closed = true;
        Throwable first = null;
        try {
            unmount();
        } catch (ErrnoException | RuntimeException e) {
            first = e;
        }
        try {
            if (pmem != null) {
                pmem.detach();
                pmem = null;
            }
        } catch (ErrnoException | RuntimeException e) {
            first = chain(first, e);
        }
        try {
            ns.close();
        } catch (RuntimeException e) {
            first = chain(first, e);
        }
        if (deleteOnClose != null) {
            deleteImage(deleteOnClose);
        }
        switch (first) {
            case null -> { }
            case ErrnoException e -> throw e;
            case RuntimeException e -> throw e;
            default -> throw new AssertionError(first);
        }
    }

    /** Closes after a failed build: the build's exception is the one that matters. */
    private void closeQuietly() {
        try {
            close();
        } catch (ErrnoException | RuntimeException e) {
            // The build's own failure is what the caller sees; an unclean unmount of a half-built stack adds nothing.
        }
    }

    private static Throwable chain(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private static void deleteImage(Path image) {
        try {
            Files.deleteIfExists(image);
        } catch (IOException e) {
            image.toFile().deleteOnExit();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the stack on " + ns.name() + " is closed");
        }
    }

    private void requireBound() {
        requireOpen();
        if (pmem == null) {
            throw new IllegalStateException("no driver is bound to " + ns.name() + " (an offline clear failed)");
        }
    }

    private void requireMounted() {
        requireOpen();
        if (vfs == null) {
            throw new IllegalStateException("the filesystem on " + ns.name() + " is not mounted");
        }
    }

    @Override
    public String toString() {
        return "pmemfs stack on " + ns + (vfs != null ? ", mounted " + options : ", unmounted");
    }
}
