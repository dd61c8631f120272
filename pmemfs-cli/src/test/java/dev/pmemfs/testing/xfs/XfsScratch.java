package dev.pmemfs.testing.xfs;

import dev.pmemfs.errno.ErrnoException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A scratch XFS filesystem for differential tests: a sparse image in a temporary directory,
 * {@code mkfs.xfs -b size=4096}, attached to a loop device and mounted on a temporary mountpoint.
 * {@link #close} always unmounts, detaches and deletes, and a shutdown hook does the same if the JVM
 * exits first, so no mount or loop device outlives the test.
 *
 * <p>Needs Linux, xfsprogs, util-linux and root (or CAP_SYS_ADMIN) with loop devices; where any of
 * that is missing {@link #mount} answers {@link Attempt.Unavailable} with the reason, which tests turn
 * into a printed skip ({@link #mountOrSkip}).
 */
public final class XfsScratch implements AutoCloseable {
    /** mkfs.xfs refuses filesystems under 300 MB; the image is sparse, so this costs little disk. */
    public static final long IMAGE_SIZE = 512L << 20;
    public static final int BLOCK_SIZE = 4096;
    /**
     * {@code allocsize=4k} pins the end-of-file speculative preallocation of buffered writes to one
     * block. Without it XFS preallocates up to gigabytes past EOF for growing files, and a later
     * truncate-up or an extending fallocate/write leaves those blocks inside EOF as unwritten extents
     * where pmemfs (and DAX XFS, whose writes take the direct-I/O allocation path) has holes: a
     * page-cache artefact, not a semantic difference.
     */
    public static final String MOUNT_OPTIONS = "allocsize=4k";
    /** Set {@code -Dpmemfs.xfs=required} to make an unavailable XFS fail the test instead of skipping it. */
    public static final String REQUIRED_PROPERTY = "pmemfs.xfs";

    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    private final Path dir;
    private final Path image;
    private final Path mountpoint;
    private final String loopDevice;
    private final Thread cleanupHook;
    private boolean closed;

    /** What {@link #mount} achieved. */
    public sealed interface Attempt {
        record Mounted(XfsScratch xfs) implements Attempt {}

        /** XFS on a loop device cannot be had here; {@code reason} says why and what would fix it. */
        record Unavailable(String reason) implements Attempt {}
    }

    private XfsScratch(Path dir, Path image, Path mountpoint, String loopDevice) {
        this.dir = dir;
        this.image = image;
        this.mountpoint = mountpoint;
        this.loopDevice = loopDevice;
        this.cleanupHook = new Thread(this::cleanupQuietly, "xfs-scratch-cleanup " + mountpoint);
        Runtime.getRuntime().addShutdownHook(cleanupHook);
    }

    /**
     * Creates, attaches and mounts a scratch XFS under {@code dir} (which must exist and be empty of
     * the names "xfs.img" and "mnt").
     *
     * @throws IOException when a step fails that should work wherever the tools exist (mkfs of a
     *     regular file), after undoing what was done
     */
    public static Attempt mount(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return new Attempt.Unavailable("XFS differential tests need Linux, this is " + System.getProperty("os.name"));
        }
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("mkfs.xfs", "losetup", "mount", "umount")) {
            if (findTool(tool).isEmpty()) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            return new Attempt.Unavailable("missing " + String.join(", ", missing)
                    + " (install xfsprogs and util-linux: apt-get install -y xfsprogs)");
        }
        Path image = dir.resolve("xfs.img");
        Path mnt = dir.resolve("mnt");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(IMAGE_SIZE);
        }
        Result mkfs = run(List.of(tool("mkfs.xfs"), "-q", "-f", "-b", "size=" + BLOCK_SIZE, image.toString()));
        if (!mkfs.ok()) {
            Files.deleteIfExists(image);
            throw new IOException("mkfs.xfs of " + image + " failed (exit " + mkfs.exit() + "): " + mkfs.output());
        }
        Result losetup = run(List.of(tool("losetup"), "-f", "--show", image.toString()));
        if (!losetup.ok() || !losetup.output().startsWith("/dev/")) {
            Files.deleteIfExists(image);
            return new Attempt.Unavailable("no loop device (losetup -f --show exit " + losetup.exit() + ": "
                    + losetup.output() + "); needs root and the loop driver");
        }
        String device = losetup.output().strip();
        Files.createDirectory(mnt);
        Result mount = run(List.of(tool("mount"), "-t", "xfs", "-o", MOUNT_OPTIONS, device, mnt.toString()));
        if (!mount.ok()) {
            Result detach = run(List.of(tool("losetup"), "-d", device));
            Files.deleteIfExists(mnt);
            Files.deleteIfExists(image);
            if (!detach.ok()) {
                throw new IOException("mount of " + device + " failed (" + mount.output() + ") and detaching it failed too: "
                        + detach.output() + "; run: losetup -d " + device);
            }
            return new Attempt.Unavailable("mount -t xfs " + device + " failed (exit " + mount.exit() + ": "
                    + mount.output() + "); needs root and the xfs module");
        }
        return new Attempt.Mounted(new XfsScratch(dir, image, mnt, device));
    }

    /**
     * {@link #mount}, or a JUnit assumption failure whose reason is also printed to stdout (so it
     * shows in the build log), or a test failure when {@code -Dpmemfs.xfs=required}.
     */
    public static XfsScratch mountOrSkip(Path dir) throws IOException {
        return orSkip(mount(dir));
    }

    /** The mounted scratch, or the printed skip (or failure, when required) for an unavailable one. */
    static XfsScratch orSkip(Attempt attempt) {
        return switch (attempt) {
            case Attempt.Mounted m -> m.xfs();
            case Attempt.Unavailable u -> {
                String reason = "XFS on a loop device unavailable, skipping: " + u.reason();
                System.out.println(reason);
                if ("required".equals(System.getProperty(REQUIRED_PROPERTY))) {
                    Assertions.fail(reason + " (and -D" + REQUIRED_PROPERTY + "=required is set)");
                }
                Assumptions.assumeTrue(false, reason);
                throw new AssertionError("unreachable: assumption did not abort");
            }
        };
    }

    /** The mountpoint. */
    public Path root() {
        return mountpoint;
    }

    /** The loop device ("/dev/loop3"). */
    public String loopDevice() {
        return loopDevice;
    }

    /** Creates a new file (O_EXCL) at {@code name} under the mountpoint and opens it read-write. */
    public NativeFile createFile(String name) throws ErrnoException {
        return NativeFile.create("xfs", mountpoint.resolve(name));
    }

    /**
     * Unmounts (retrying while busy), detaches the loop device and deletes the image. Every step is
     * tried even when an earlier one fails; any failure is reported with the command to finish by hand.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to run; it does the same work and tolerates a second pass.
        }
        List<String> failures = cleanup();
        if (!failures.isEmpty()) {
            throw new IOException("cleaning up scratch XFS " + mountpoint + " failed: " + String.join("; ", failures));
        }
    }

    private List<String> cleanup() {
        List<String> failures = new ArrayList<>();
        try {
            Result umount = run(List.of(tool("umount"), mountpoint.toString()));
            for (int attempt = 0; !umount.ok() && umount.output().contains("busy") && attempt < 20; attempt++) {
                Thread.sleep(100);
                umount = run(List.of(tool("umount"), mountpoint.toString()));
            }
            if (!umount.ok() && !umount.output().contains("not mounted")) {
                // Still busy (a descriptor leaked by a failed test): detach it lazily so nothing is left
                // once the JVM exits and its descriptors close, and still report the leak.
                Result lazy = run(List.of(tool("umount"), "-l", mountpoint.toString()));
                failures.add("umount: " + umount.output() + (lazy.ok() ? " (lazily unmounted instead)"
                        : " (run: umount " + mountpoint + ")"));
            }
            // With the device still in use, losetup -d marks it autoclear: it goes when released.
            Result detach = run(List.of(tool("losetup"), "-d", loopDevice));
            if (!detach.ok()) {
                failures.add("losetup -d: " + detach.output() + " (run: losetup -d " + loopDevice + ")");
            }
            if (failures.isEmpty()) {
                Files.deleteIfExists(mountpoint);
                Files.deleteIfExists(image);
            }
        } catch (IOException e) {
            failures.add(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("interrupted while unmounting " + mountpoint);
        }
        return failures;
    }

    private synchronized void cleanupQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> failures = cleanup();
        if (!failures.isEmpty()) {
            System.err.println("scratch XFS under " + dir + " left behind: " + String.join("; ", failures));
        }
    }

    private record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    private static Result run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                return new Result(-1, String.join(" ", command) + " timed out after " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return new Result(p.exitValue(), out);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + String.join(" ", command), e);
        }
    }

    private static String tool(String name) {
        return findTool(name).map(Path::toString).orElse(name);
    }

    /** The executable on PATH or in the sbin directories (often missing from a non-login PATH). */
    private static Optional<Path> findTool(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
