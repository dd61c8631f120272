package dev.pmemfs.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench startup times real processes against java -version and prints both with their spread. */
class StartupBenchTest {
    @TempDir
    Path dir;

    @Test
    void run_realJvmCommand_bothTimedWithSpread() throws Exception {
        // The CLI itself, started as the launcher would start it (without the launcher script).
        List<String> cli = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.pmemfs.cli.Main", "--version");
        StartupBench.Report r = new StartupBench(cli, StartupBench.javaVersion(), Map.of(), 2).run();
        assertEquals(2, r.commandSeconds().n());
        assertTrue(r.commandSeconds().min() > 0 && r.baselineSeconds().min() > 0, r.toString());
        assertEquals(r.commandSeconds().n(), r.ratio().n());
    }

    @Test
    void run_failingCommand_isAnIOExceptionNamingIt() {
        IOException e = assertThrows(IOException.class,
                () -> new StartupBench(List.of("false"), List.of("true"), Map.of(), 1).run());
        assertTrue(e.getMessage().startsWith("false exited with 1"), e.getMessage());
    }

    @Test
    void command_throughAScriptLauncher_printsTheTable() throws Exception {
        Path launcher = dir.resolve("pmemfs");
        Files.writeString(launcher, "#!/bin/sh\n[ \"$1 $2\" = \"ndctl list\" ] && [ -d \"$PMEMFS_HOME\" ]\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Cli.Result r = Cli.runRaw("bench", "startup", "--repeats", "2", "--launcher", launcher.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().matches("(?s).*pmemfs ndctl list +\\d+\\.\\d{3} \\[\\d+\\.\\d{3}, \\d+\\.\\d{3}\\].*"), r.out());
        assertTrue(r.out().matches("(?s).*java -version +\\d+\\.\\d{3} \\[.*"), r.out());
        Cli.Result bad = Cli.runRaw("bench", "startup", "--launcher", dir.resolve("nope").toString());
        assertNotEquals(0, bad.exit());
        assertEquals(1, bad.err().lines().count(), bad.err());
    }
}
