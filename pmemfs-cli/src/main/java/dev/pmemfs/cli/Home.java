package dev.pmemfs.cli;

import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceBusyException;
import dev.pmemfs.media.NamespaceConfig;
import dev.pmemfs.media.OwnerLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directory where pmemfs keeps its namespaces ({@code $PMEMFS_HOME}, default {@code ~/.pmemfs}):
 * one image file per namespace, {@code namespaceN.0.img}, standing for region N, block device
 * {@code pmemN} (or {@code daxN.0} for devdax).
 *
 * <p>Commands open a namespace by any of its names:
 * <pre>{@code
 * try (Namespace ns = Home.fromEnvironment().open("namespace0.0")) { ... }
 * }</pre>
 * A namespace has one owner at a time ({@link dev.pmemfs.media.OwnerLock}): opening one that another
 * process (or another opener in this one) holds fails at once with a line that names the holder.
 */
public final class Home {
    private static final Pattern NAME = Pattern.compile("(?:/dev/)?(?:namespace(\\d+)\\.0|pmem(\\d+)|dax(\\d+)\\.0|region(\\d+))");
    private static final Pattern IMAGE = Pattern.compile("namespace(\\d+)\\.0\\.img");

    private final Path dir;

    private Home(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** {@code $PMEMFS_HOME}, else {@code ~/.pmemfs}. */
    public static Home fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** As {@link #fromEnvironment()}, reading the given environment (for tests). */
    public static Home fromEnvironment(Map<String, String> env) {
        String h = env.get("PMEMFS_HOME");
        if (h != null && !h.isEmpty()) {
            return new Home(Path.of(h));
        }
        return new Home(Path.of(System.getProperty("user.home"), ".pmemfs"));
    }

    public static Home at(Path dir) {
        return new Home(Objects.requireNonNull(dir, "dir"));
    }

    public Path dir() {
        return dir;
    }

    /** The image path of namespace N. */
    public Path imagePath(int id) {
        return dir.resolve("namespace" + id + ".0.img");
    }

    /**
     * The namespace number a name refers to: "namespace3.0", "pmem3", "/dev/pmem3", "dax3.0" or
     * "region3" all give 3. UserException (usage) for anything else.
     */
    public static int idOf(String name) throws UserException {
        Matcher m = NAME.matcher(name == null ? "" : name);
        if (!m.matches()) {
            throw new UserException("'" + name + "' is not a namespace name (expected namespaceN.0, pmemN or daxN.0)",
                    ExitCodes.USAGE);
        }
        for (int g = 1; g <= 4; g++) {
            if (m.group(g) != null) {
                try {
                    return Integer.parseInt(m.group(g));
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new UserException("'" + name + "': namespace number out of range", ExitCodes.USAGE);
    }

    /** Whether namespace {@code name} exists here. */
    public boolean exists(String name) throws UserException {
        return Files.exists(imagePath(idOf(name)));
    }

    /** Opens namespace {@code name}; a clear UserException when it does not exist or cannot be opened. */
    public Namespace open(String name) throws UserException {
        java.util.Optional<dev.pmemfs.cli.fs.MountedNamespace> served = dev.pmemfs.cli.fs.MountedNamespace.served(this, name);
        if (served.isPresent()) {
            return served.get().namespace(); // a mount process serving a command: its namespace, lent (Namespace.LENT)
        }
        int id = idOf(name);
        Path image = imagePath(id);
        if (!Files.exists(image)) {
            throw new UserException(name + ": no such namespace in " + dir
                    + " (see 'pmemfs ndctl list'; create one with 'pmemfs ndctl create-namespace --size 64m')");
        }
        try {
            Namespace ns = Namespace.open(image);
            if (ns.id() != id) {
                ns.close();
                throw new UserException(image + " holds namespace" + ns.id() + ".0, not namespace" + id
                        + ".0; rename it back or destroy it");
            }
            return ns;
        } catch (NamespaceBusyException e) {
            throw busy(name, e);
        } catch (IOException e) {
            throw new UserException(name + ": cannot open: " + e.getMessage());
        }
    }

    /** The one line for a namespace another opener owns: who, doing what, and what to do. */
    static UserException busy(String name, NamespaceBusyException e) {
        OwnerLock.Owner h = e.holder();
        String who = h == null ? "another process (it did not name itself)" : "pid " + h.pid() + " (" + h.purpose() + ")";
        return new UserException(name + ": in use by " + who
                + "; a namespace has one owner: wait for that command to finish, or unmount it, and try again",
                ExitCodes.BUSY);
    }

    /** Numbers of the namespaces present, ascending. */
    public List<Integer> ids() throws UserException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        TreeSet<Integer> ids = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Matcher m = IMAGE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    ids.add(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new UserException("cannot list " + dir + ": " + e.getMessage());
        }
        return new ArrayList<>(ids);
    }

    /** Names of the namespaces present ("namespace0.0", ...), ascending by number. */
    public List<String> names() throws UserException {
        return ids().stream().map(i -> "namespace" + i + ".0").toList();
    }

    /** The smallest namespace number not in use. */
    public int nextId() throws UserException {
        int n = 0;
        for (int id : ids()) {
            if (id != n) {
                break;
            }
            n++;
        }
        return n;
    }

    /** Creates namespace {@code config.id()} (creating the directory if needed). */
    public Namespace create(NamespaceConfig config) throws UserException {
        Path image = imagePath(config.id());
        try {
            Files.createDirectories(dir);
            return Namespace.create(image, config);
        } catch (NamespaceBusyException e) {
            throw busy("namespace" + config.id() + ".0", e);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new UserException("namespace" + config.id() + ".0 already exists in " + dir);
        } catch (IOException e) {
            throw new UserException("cannot create " + image + ": " + e.getMessage()
                    + " (check that " + dir + " is writable and has room)");
        }
    }

    /** Deletes namespace {@code name}'s image; refused while anyone has it open. */
    public void destroy(String name) throws UserException {
        Path image = imagePath(idOf(name));
        try {
            Namespace.delete(image);
        } catch (NamespaceBusyException e) {
            throw busy(name, e);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserException(name + ": no such namespace in " + dir);
        } catch (IOException e) {
            throw new UserException("cannot delete " + image + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
