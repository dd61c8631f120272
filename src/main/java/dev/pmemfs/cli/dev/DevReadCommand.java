package dev.pmemfs.cli.dev;

import dev.pmemfs.block.BlockHandle;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.UserException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dev read NS --sector S --count N}: {@code dd if=/dev/pmemN iflag=direct bs=512 skip=S
 * count=N}; one read of N sectors, which fails with EIO as a whole when any of them is known bad.
 * Prints a {@code hexdump -C} of the data (offsets are device bytes), or writes it to {@code --of}.
 */
@Command(name = "read", mixinStandardHelpOptions = true, description = "Read sectors of /dev/pmemN (O_DIRECT).")
final class DevReadCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeviceArgs device;

    @Option(names = "--sector", required = true, paramLabel = "S", description = "First 512-byte sector.")
    long sector;

    @Option(names = "--count", required = true, paramLabel = "N", description = "Number of sectors.")
    int count;

    @Option(names = "--of", paramLabel = "FILE", description = "Write the data to FILE instead of a hexdump.")
    Path of;

    @Override
    public Integer call() throws Exception {
        if (sector < 0 || count <= 0 || count > (1 << 21)) {
            throw new UserException("--sector must be >= 0 and --count between 1 and " + (1 << 21), ExitCodes.USAGE);
        }
        try (Device d = device.open();
                BlockHandle h = device.openNode(d, false)) {
            byte[] buf = new byte[count << 9];
            int n = h.read(sector << 9, buf, 0, buf.length);
            if (n == 0) {
                throw new UserException("/dev/" + d.bdev.name() + ": sector " + sector + " is at or past the end of the device ("
                        + (d.bdev.capacityBytes() >>> 9) + " sectors); nothing to read");
            }
            byte[] data = Arrays.copyOf(buf, n);
            if (of != null) {
                try {
                    Files.write(of, data);
                } catch (IOException e) {
                    throw new UserException("cannot write " + of + ": " + e.getMessage());
                }
            } else {
                hexdump(spec.commandLine().getOut(), sector << 9, data);
            }
        }
        return 0;
    }

    /** {@code hexdump -C}: 16 bytes a line, repeated lines collapsed to "*", then the end offset. */
    static void hexdump(PrintWriter out, long base, byte[] data) {
        byte[] prev = null;
        boolean starred = false;
        for (int off = 0; off < data.length; off += 16) {
            byte[] line = Arrays.copyOfRange(data, off, Math.min(off + 16, data.length));
            if (prev != null && Arrays.equals(prev, line)) {
                if (!starred) {
                    out.println("*");
                    starred = true;
                }
                continue;
            }
            starred = false;
            prev = line;
            StringBuilder sb = new StringBuilder(String.format("%08x  ", base + off));
            StringBuilder ascii = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                if (i < line.length) {
                    sb.append(String.format("%02x ", line[i] & 0xFF));
                    int c = line[i] & 0xFF;
                    ascii.append(c >= 0x20 && c < 0x7F ? (char) c : '.');
                } else {
                    sb.append("   ");
                }
                if (i == 7) {
                    sb.append(' ');
                }
            }
            sb.append(" |").append(ascii).append('|');
            out.println(sb);
        }
        out.println(String.format("%08x", base + data.length));
    }
}
