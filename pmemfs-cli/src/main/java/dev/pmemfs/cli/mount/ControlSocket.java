package dev.pmemfs.cli.mount;

import dev.pmemfs.cli.Home;
import dev.pmemfs.cli.InProcess;
import dev.pmemfs.cli.fs.MountedNamespace;
import dev.pmemfs.media.Namespace;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * {@code $PMEMFS_HOME/NS.sock}: how commands reach a mounted namespace through its owner, as programs
 * reach a device through the kernel that owns it. A client sends its command line; the mount process
 * runs it in-process on the stack it serves ({@link MountedNamespace#SERVED}, {@link Namespace#LENT})
 * while holding the lock every FUSE request holds, and sends back the exit code and what the command
 * printed. The command applies its own rules (its {@code --user}/{@code --cap}, as offline), so the
 * output and the permission answers are those of the offline command.
 *
 * <p>Wire format (both ways, big-endian): request = int argc, then argc times (int length, UTF-8
 * bytes); reply = int exit, then stdout and stderr as (int length, UTF-8 bytes).
 */
final class ControlSocket {
    private ControlSocket() {}

    static Path path(Home home, String namespace) {
        return home.dir().resolve(namespace + ".sock");
    }

    /** The server side, one thread in the mount process. */
    static final class Server implements AutoCloseable {
        private final ServerSocketChannel channel;
        private final Path path;
        private final Thread thread;

        Server(Home home, String namespace, MountedNamespace served, Lock lock) throws IOException {
            this.path = path(home, namespace);
            Files.deleteIfExists(path); // left by a killed mount process: nobody listens there
            this.channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(path));
            // Anyone may ask, as anyone may call ioctl on a device node; each command checks its caller.
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
            this.thread = Thread.ofPlatform().daemon().name("pmemfs-control " + namespace).start(() -> {
                while (channel.isOpen()) {
                    try (SocketChannel c = channel.accept()) {
                        serve(c, served, lock);
                    } catch (IOException e) {
                        // a client that went away, or the channel closed at unmount
                    }
                }
            });
        }

        private static void serve(SocketChannel c, MountedNamespace served, Lock lock) throws IOException {
            DataInputStream in = new DataInputStream(Channels.newInputStream(c));
            int argc = in.readInt();
            if (argc < 0 || argc > 1000) {
                return;
            }
            List<String> argv = new ArrayList<>();
            for (int i = 0; i < argc; i++) {
                argv.add(readString(in));
            }
            InProcess.Result r;
            lock.lock();
            try {
                r = ScopedValue.where(MountedNamespace.SERVED, served).where(Namespace.LENT, served.namespace())
                        .call(() -> InProcess.run(argv.toArray(String[]::new)));
            } finally {
                lock.unlock();
            }
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(c));
            out.writeInt(r.exit());
            writeString(out, r.out());
            writeString(out, r.err());
            out.flush();
        }

        @Override
        public void close() throws IOException {
            channel.close();
            Files.deleteIfExists(path);
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs {@code argv} in the mount process serving {@code namespace}; empty when none answers. */
    static Optional<InProcess.Result> send(Home home, String namespace, List<String> argv) {
        Path p = path(home, namespace);
        if (!Files.exists(p)) {
            return Optional.empty();
        }
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(p))) {
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(c));
            out.writeInt(argv.size());
            for (String a : argv) {
                writeString(out, a);
            }
            out.flush();
            DataInputStream in = new DataInputStream(Channels.newInputStream(c));
            int exit = in.readInt();
            return Optional.of(new InProcess.Result(exit, readString(in), readString(in)));
        } catch (IOException e) {
            return Optional.empty(); // the mount process is gone: the command runs here (and meets the lock)
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (64 << 20)) {
            throw new IOException("bad length " + n);
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
