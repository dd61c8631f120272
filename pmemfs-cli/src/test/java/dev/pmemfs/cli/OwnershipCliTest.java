package dev.pmemfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Cli;
import dev.pmemfs.testing.HoldNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The namespace's one owner, as a user meets it: while another process holds namespace0.0, every
 * command that would open it says who holds it, in one line, exits 75 and changes nothing.
 */
class OwnershipCliTest {
    @TempDir
    Path home;

    @Test
    void commandsOnAHeldNamespace_nameTheHolder_andChangeNothing() throws Exception {
        Cli cli = new Cli(home);
        cli.run("ndctl", "create-namespace", "--size", "16m").ok();
        cli.run("mkfs", "namespace0.0").ok();
        cli.run("io", "-f", "namespace0.0:/a", "-c", "pwrite -S 0x61 0 8k").ok();
        Path image = home.resolve("namespace0.0.img");
        Process holder = HoldNamespace.start(image, "mounted at /mnt/pm");
        try {
            long size = Files.size(image);
            for (String[] args : new String[][] {
                    {"ndctl", "destroy-namespace", "-f", "namespace0.0"},
                    {"io", "namespace0.0:/a", "-c", "pwrite 0 4k"},
                    {"mkfs", "-f", "namespace0.0"},
                    {"ndctl", "inject-error", "namespace0.0", "-B", "100", "-n", "1"}}) {
                Cli.Result r = cli.run(args);
                String line = r.err().strip();
                assertEquals(ExitCodes.BUSY, r.exit(), String.join(" ", args) + ": " + r.err());
                assertEquals(1, line.lines().count(), line);
                assertTrue(line.contains("in use by pid " + holder.pid() + " (mounted at /mnt/pm)"), line);
                assertTrue(Files.exists(image), "the namespace survives");
                assertEquals(size, Files.size(image));
            }
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        // The holder died with kill -9: nothing to clean by hand, the next command just works.
        String dump = cli.run("io", "-r", "namespace0.0:/a", "-c", "pread -v 0 2").ok().out();
        assertTrue(dump.startsWith("00000000:  61 61"), dump);
        cli.run("ndctl", "destroy-namespace", "-f", "namespace0.0").ok();
        assertTrue(Files.notExists(image));
    }
}
