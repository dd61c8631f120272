package dev.pmemfs.cli.mount;

import dev.pmemfs.cli.Home;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code $PMEMFS_HOME/NAME.mount}: which process serves a mounted namespace and where. Written by the
 * mount process once the kernel mount exists, removed when it exits; a record whose process is gone
 * is stale (kill -9) and ignored.
 */
public record MountRecord(String namespace, long pid, Path mountPoint) {
    static Path file(Home home, String namespace) {
        return home.dir().resolve(namespace + ".mount");
    }

    /** The mount process's log (its standard output and error when started in the background). */
    static Path log(Home home, String namespace) {
        return home.dir().resolve(namespace + ".mount.log");
    }

    void write(Home home) throws IOException {
        Properties p = new Properties();
        p.setProperty("namespace", namespace);
        p.setProperty("pid", Long.toString(pid));
        p.setProperty("mountpoint", mountPoint.toString());
        Path f = file(home, namespace);
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        try (var w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "pmemfs mount");
        }
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    void delete(Home home) {
        try {
            Path f = file(home, namespace);
            Optional<MountRecord> now = read(f);
            if (now.isPresent() && now.get().pid() == pid) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // a record left behind is stale once this process is gone, and is ignored then
        }
    }

    boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static Optional<MountRecord> read(Path f) {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
            return Optional.of(new MountRecord(p.getProperty("namespace"), Long.parseLong(p.getProperty("pid")),
                    Path.of(p.getProperty("mountpoint"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The live mount of {@code namespace}, if a process serves it now. */
    public static Optional<MountRecord> live(Home home, String namespace) {
        return read(file(home, namespace)).filter(MountRecord::alive);
    }

    /** Every record in the home (live or stale). */
    static List<MountRecord> all(Home home) {
        List<MountRecord> out = new ArrayList<>();
        if (!Files.isDirectory(home.dir())) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(home.dir(), "*.mount")) {
            for (Path f : ds) {
                read(f).ifPresent(out::add);
            }
        } catch (IOException e) {
            // no records readable: nothing is known to be mounted
        }
        return out;
    }
}
