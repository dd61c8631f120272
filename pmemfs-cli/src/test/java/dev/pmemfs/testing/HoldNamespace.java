package dev.pmemfs.testing;

import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.PersistenceDomain;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A second process for ownership tests: opens the namespace image given as its first argument (as
 * {@code purpose}, the second), prints {@code held}, and keeps it until its standard input closes or
 * it is killed. Started by {@link #start}.
 */
public final class HoldNamespace {
    private HoldNamespace() {}

    public static void main(String[] args) throws IOException {
        try (Namespace ns = Namespace.open(Path.of(args[0]), PersistenceDomain.mapped(), args[1])) {
            System.out.println("held");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the parent closes our stdin
            }
        }
    }

    /** Starts a JVM holding {@code image}; returns once it holds it (the caller must destroy it in finally). */
    public static Process start(Path image, String purpose) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), HoldNamespace.class.getName(), image.toString(), purpose)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
        if (!"held".equals(line)) {
            p.destroyForcibly();
            throw new IOException("the holder process did not take the namespace (said " + line + ")");
        }
        return p;
    }
}
