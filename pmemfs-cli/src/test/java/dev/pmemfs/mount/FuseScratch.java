package dev.pmemfs.mount;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.testing.MountedVfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A pmemfs namespace mounted through FUSE by this JVM: a fresh namespace and filesystem in
 * {@code dir}, served by a loop thread on {@code dir/mnt}, for tests that run real programs on it.
 * {@link #close} always unmounts (lazily, aborting the connection if a program still holds it), stops
 * the thread and closes the namespace; a shutdown hook detaches the mount if the JVM ends first.
 */
final class FuseScratch implements AutoCloseable {
    final MountedVfs stack;
    final FuseMount mount;
    final Path root;
    private final Thread loop;
    private final Thread hook;
    private boolean closed;

    private FuseScratch(MountedVfs stack, FuseMount mount, Path root) {
        this.stack = stack;
        this.mount = mount;
        this.root = root;
        this.loop = Thread.ofPlatform().name("fuse-loop " + root).start(mount::serve);
        this.hook = new Thread(() -> MountTable.unmount(root, true), "fuse-scratch-cleanup " + root);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Mounts a new {@code size}-byte namespace with {@code options}, or skips (printed) where FUSE is unavailable. */
    static FuseScratch mountOrSkip(Path dir, long size, MountOptions options) throws IOException, ErrnoException {
        Optional<String> why = FuseMount.unavailable();
        if (why.isPresent()) {
            System.out.println("FUSE unavailable, skipping: " + why.get());
            Assumptions.assumeTrue(false, why.get());
        }
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        MountedVfs stack = new MountedVfs(dir, size, options);
        FuseMount fm;
        try {
            fm = FuseMount.mount(stack.vfs, mnt, "pmemfs:test", true, line -> System.err.println(line));
        } catch (ErrnoException | RuntimeException e) {
            stack.close();
            throw e;
        }
        return new FuseScratch(stack, fm, mnt);
    }

    /** A program's exit code and its standard output and error, merged. */
    record Run(int exit, String out) {
        Run ok() {
            if (exit != 0) {
                throw new AssertionError("exit " + exit + ": " + out);
            }
            return this;
        }
    }

    /** Runs {@code sh -c script} in {@code cwd} with a timeout; the program is killed if it overruns. */
    static Run sh(Path cwd, String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).directory(cwd.toFile()).redirectErrorStream(true).start();
        byte[] out;
        try {
            out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out: " + script);
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static boolean has(String program) throws IOException, InterruptedException {
        return sh(Path.of("/"), "command -v " + program).exit() == 0;
    }

    static void requireProgram(String program) throws IOException, InterruptedException {
        if (!has(program)) {
            System.out.println(program + " is not installed, skipping");
            Assumptions.assumeTrue(false, program + " is not installed");
        }
    }

    @Override
    public synchronized void close() throws ErrnoException, InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (MountTable.unmount(root, false).isPresent()) {
                mount.requestUnmount();
            }
            loop.join(TimeUnit.SECONDS.toMillis(10));
            if (loop.isAlive()) {
                mount.requestUnmount();
                loop.join(TimeUnit.SECONDS.toMillis(10));
            }
            mount.close();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs anyway
            }
            stack.close();
        }
    }
}
