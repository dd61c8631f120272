package dev.pmemfs.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pmemfs.testing.Cli;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The commands ndctl's test scripts run, as one-liners over pmemfs's CLI: {@code ndctl ...},
 * {@code dd} on {@code /dev/pmemN} with O_DIRECT, and the sysfs badblocks file. Each call is a
 * separate "process" (a fresh command line), as in the scripts.
 */
final class Shell {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Cli cli;

    Shell(Path home) {
        this.cli = new Cli(home);
    }

    /** Runs {@code ndctl ARGS}, which must succeed, and returns its stdout. */
    String ndctl(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "ndctl";
        System.arraycopy(args, 0, all, 1, args.length);
        return cli.run(all).ok().out();
    }

    /** Runs {@code ndctl ARGS} and parses its JSON output. */
    JsonNode ndctlJson(String... args) {
        try {
            return JSON.readTree(ndctl(args));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code dd if=/dev/DEV of=/dev/null iflag=direct bs=512 skip=S count=N}: whether it succeeded. */
    boolean ddRead(String dev, long skip, long count) {
        return cli.run("dev", "read", dev, "--sector", "" + skip, "--count", "" + count, "--of", "/dev/null").exit() == 0;
    }

    /** {@code dd if=/dev/zero of=/dev/DEV oflag=direct bs=512 seek=S count=N}: whether it succeeded. */
    boolean ddWriteZeros(String dev, long seek, long count) {
        return cli.run("dev", "write", dev, "--sector", "" + seek, "--count", "" + count, "--zero").exit() == 0;
    }

    /** {@code dd if=/dev/urandom ...}: writes a pattern. */
    void ddWritePattern(String dev, long seek, long count, int pattern) {
        cli.run("dev", "write", dev, "--sector", "" + seek, "--count", "" + count, "--pattern", "" + pattern).ok();
    }

    /**
     * {@code fallocate ARGS /dev/DEV} (util-linux): "" when it succeeded, else its one error line, which
     * must be exactly one line.
     */
    String fallocate(String dev, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "dev";
        all[1] = "fallocate";
        all[2] = dev;
        System.arraycopy(args, 0, all, 3, args.length);
        Cli.Result r = cli.run(all);
        if (r.exit() == 0) {
            return "";
        }
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        return err;
    }

    /** {@code cat /sys/block/DEV/badblocks}. */
    String badblocks(String dev) {
        return cli.run("dev", "badblocks", dev).ok().out();
    }

    /** {@code cat /sys/bus/nd/devices/regionN/badblocks}. */
    String regionBadblocks(String dev) {
        return cli.run("dev", "badblocks", dev, "--region").ok().out();
    }

    /** {@code echo TEXT > /sys/block/DEV/badblocks}. */
    void echoBadblocks(String dev, String text) {
        cli.run("dev", "badblocks", dev, "--add", text).ok();
    }

    /** {@code read sector len < /sys/block/DEV/badblocks}: the first line's two numbers. */
    long[] readSectorLen(String dev) {
        String text = badblocks(dev);
        assertNotEquals("", text, "badblocks of " + dev + " is empty");
        String[] f = text.lines().findFirst().orElseThrow().split(" ");
        assertEquals(2, f.length, text);
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
    }
}
