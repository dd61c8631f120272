package dev.pmemfs.cli.mount;

import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.Home;
import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.cli.fs.MountOptionsOption;
import dev.pmemfs.cli.fs.MountedNamespace;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.mount.FuseMount;
import dev.pmemfs.mount.MountTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pmemfs mount NS MOUNTPOINT [-o OPTIONS] [--foreground]}: the namespace's filesystem mounted
 * through FUSE, served by one process that owns the namespace until {@code pmemfs umount}. Without
 * {@code --foreground} the command starts that process in the background (a new session, its output
 * in {@code $PMEMFS_HOME/NS.mount.log}) and returns once the mount is there, as mount(8) does.
 */
@Command(name = "mount", mixinStandardHelpOptions = true,
        description = "Mount a namespace's filesystem on a directory (FUSE), so any program can use it.")
public final class MountCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HomeOption homeOption;

    @Mixin
    MountOptionsOption mountOptions;

    @Parameters(index = "0", paramLabel = "NS", description = "Namespace (namespace0.0, pmem0).")
    String namespace;

    @Parameters(index = "1", paramLabel = "MOUNTPOINT", description = "An existing directory.")
    Path mountPoint;

    @Option(names = {"-f", "--foreground"}, description = "Serve the mount from this process until it is unmounted.")
    boolean foreground;

    @Option(names = "--threads", paramLabel = "N", description = "Threads serving FUSE requests (default "
            + FuseMount.DEFAULT_THREADS + "; more let requests on different open files run at once, which pays"
            + " only with more cores than programs).")
    int threads = FuseMount.DEFAULT_THREADS;

    @Override
    public Integer call() throws Exception {
        Home home = homeOption.home();
        String name = "namespace" + Home.idOf(namespace) + ".0";
        if (mountPoint.toString().isBlank()) {
            throw new UserException("the mount point is an empty word; give a directory", ExitCodes.USAGE);
        }
        Path mp = mountPoint.toAbsolutePath().normalize();
        if (threads < 1 || threads > 64) {
            throw new UserException("--threads must be between 1 and 64, not " + threads, ExitCodes.USAGE);
        }
        Optional<String> why = FuseMount.unavailable();
        if (why.isPresent()) {
            throw new UserException("FUSE is not available here: " + why.get());
        }
        Optional<MountRecord> live = MountRecord.live(home, name);
        if (live.isPresent()) {
            throw new UserException(name + " is already mounted at " + live.get().mountPoint() + " (process "
                    + live.get().pid() + "); 'pmemfs umount " + live.get().mountPoint() + "' first");
        }
        checkMountPoint(mp);
        if (!home.exists(name)) {
            home.open(name).close(); // the "no such namespace" line
        }
        return foreground ? serve(home, name, mp) : background(home, name, mp);
    }

    private static void checkMountPoint(Path mp) throws UserException, IOException {
        if (MountTable.pmemfsAt(mp).isPresent() && MountTable.disconnected(mp)) {
            throw new UserException(mp + ": a stale pmemfs mount is still there (its process is gone); run 'pmemfs umount "
                    + mp + "' first");
        }
        if (MountTable.anyAt(mp).isPresent()) {
            throw new UserException(mp + ": something is already mounted there; unmount it first");
        }
        if (!Files.isDirectory(mp)) {
            throw new UserException(mp + ": no such directory; create it (mkdir -p " + mp + ")");
        }
        // An empty directory only: a mount hides what is under it, and one over the directory that holds
        // pmemfs's own classes or $PMEMFS_HOME would deadlock its server on its first class load.
        try (var entries = Files.list(mp)) {
            if (entries.findAny().isPresent()) {
                throw new UserException(mp + ": not an empty directory; pmemfs mounts only on an empty one (a mount"
                        + " would hide what is there): mkdir a new one", ExitCodes.USAGE);
            }
        }
    }

    /** Starts {@code pmemfs mount --foreground} in a new session and waits until the mount is there. */
    private int background(Home home, String name, Path mp) throws UserException, IOException, InterruptedException {
        Path log = MountRecord.log(home, name);
        Files.createDirectories(home.dir());
        List<String> cmd = new ArrayList<>(List.of("setsid",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "dev.pmemfs.cli.Main",
                "mount", name, mp.toString(), "--foreground", "--home", home.dir().toString()));
        if (threads != FuseMount.DEFAULT_THREADS) {
            cmd.add("--threads");
            cmd.add(Integer.toString(threads));
        }
        if (mountOptions.text() != null) {
            cmd.add("-o");
            cmd.add(mountOptions.text());
        }
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new UserException(lastLine(log, name + ": the mount process ended before mounting"),
                        child.exitValue() == 0 ? ExitCodes.FAILURE : child.exitValue());
            }
            if (MountRecord.live(home, name).filter(r -> r.pid() == child.pid()).isPresent()) {
                spec.commandLine().getOut().println(name + " mounted at " + mp + " (process " + child.pid()
                        + "; 'pmemfs umount " + mp + "' to unmount)");
                return 0;
            }
            Thread.sleep(50);
        }
        child.destroy();
        throw new UserException(name + ": the mount process did not mount " + mp + " within 60 s; see " + log);
    }

    private static String lastLine(Path log, String fallback) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).replaceFirst("^pmemfs: ", "");
                }
            }
        } catch (IOException e) {
            // fall back
        }
        return fallback;
    }

    /** The mount process: owns the namespace, serves FUSE until unmounted, then flushes and closes it. */
    private int serve(Home home, String name, Path mp) throws UserException, ErrnoException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch done = new CountDownLatch(1);
        try (MountedNamespace m = MountedNamespace.open(home, name, mountOptions.text())) {
            FuseMount fm;
            try {
                fm = FuseMount.mount(m.vfs(), mp, "pmemfs:" + name, isRoot(), line -> {
                    err.println(line);
                    err.flush();
                });
            } catch (ErrnoException e) {
                throw new UserException(name + ": " + e.getMessage());
            }
            m.namespace().describeOwner("mounted at " + mp); // what a second opener is told
            MountRecord record = new MountRecord(name, ProcessHandle.current().pid(), mp);
            Thread hook = new Thread(() -> {
                if (done.getCount() > 0) {
                    fm.requestUnmount();
                    try {
                        done.await(60, TimeUnit.SECONDS); // let the mount process flush and close the namespace
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, "pmemfs-umount-on-signal");
            Runtime.getRuntime().addShutdownHook(hook);
            ControlSocket.Server control = null;
            try {
                control = new ControlSocket.Server(home, name, m, fm.lock());
                record.write(home);
                out.println(name + " mounted at " + mp + " with " + m.options() + " (process " + record.pid() + ")");
                out.flush();
                int rc = fm.serve(threads);
                if (rc != 0) {
                    err.println(name + ": the FUSE loop ended with error " + rc);
                }
            } finally {
                if (control != null) {
                    control.close();
                }
                fm.close();
                record.delete(home);
            }
            out.println(name + " unmounted from " + mp);
        } finally {
            done.countDown();
        }
        return 0;
    }

    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
