package dev.pmemfs.cli.device;

import dev.pmemfs.block.BlockHandle;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.UserException;
import java.io.IOException;
import java.io.OutputStream;
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
 * {@code dev read NS --sector S --count N}: {@code dd if=/dev/pmemN iflag=direct bs=1M skip=S
 * count=N} in sectors. Reads stream in O_DIRECT reads of at most {@link DevWriteCommand#CHUNK} bytes;
 * a read that covers a known bad sector fails with EIO as a whole, after the chunks before it were
 * output (as dd outputs the records it read). Prints a {@code hexdump -C} of the data (offsets are
 * device bytes), or writes it to {@code --of}.
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
    long count;

    @Option(names = "--of", paramLabel = "FILE", description = "Write the data to FILE instead of a hexdump.")
    Path of;

    @Override
    public Integer call() throws Exception {
        if (sector < 0 || count <= 0 || sector >= DevWriteCommand.MAX_SECTORS || count >= DevWriteCommand.MAX_SECTORS - sector) {
            throw new UserException("--sector must be >= 0 and --count >= 1, ending below sector 2^54", ExitCodes.USAGE);
        }
        try (Device d = device.open();
                BlockHandle h = device.openNode(d, false)) {
            long bytes = count << 9;
            byte[] buf = new byte[(int) Math.min(DevWriteCommand.CHUNK, bytes)];
            Hexdump dump = of == null ? new Hexdump(spec.commandLine().getOut(), sector << 9) : null;
            try (OutputStream out = of == null ? null : create(of)) {
                long done = 0;
                while (done < bytes) {
                    int want = (int) Math.min(buf.length, bytes - done);
                    int n = h.read((sector << 9) + done, buf, 0, want);
                    if (n == 0) {
                        if (done == 0) {
                            throw new UserException("/dev/" + d.bdev.name() + ": sector " + sector
                                    + " is at or past the end of the device (" + (d.bdev.capacityBytes() >>> 9)
                                    + " sectors); nothing to read");
                        }
                        break;
                    }
                    if (out != null) {
                        write(out, buf, n);
                    } else {
                        dump.add(buf, n);
                    }
                    done += n;
                    if (n < want) {
                        break; // the end of the device
                    }
                }
            }
            if (dump != null) {
                dump.finish();
            }
        }
        return 0;
    }

    private static OutputStream create(Path of) throws UserException {
        try {
            return Files.newOutputStream(of);
        } catch (IOException e) {
            throw new UserException("cannot write " + of + ": " + e.getMessage());
        }
    }

    private void write(OutputStream out, byte[] buf, int n) throws UserException {
        try {
            out.write(buf, 0, n);
        } catch (IOException e) {
            throw new UserException("cannot write " + of + ": " + e.getMessage());
        }
    }

    /** {@code hexdump -C}, fed in pieces: 16 bytes a line, repeated lines collapsed to "*", then the end offset. */
    static final class Hexdump {
        private final PrintWriter out;
        private final long base;
        private final byte[] line = new byte[16];
        private int fill;
        private long at;
        private byte[] prev;
        private boolean starred;

        Hexdump(PrintWriter out, long base) {
            this.out = out;
            this.base = base;
        }

        void add(byte[] data, int len) {
            for (int i = 0; i < len; i++) {
                line[fill++] = data[i];
                if (fill == 16) {
                    emit();
                }
            }
        }

        void finish() {
            if (fill > 0) {
                emit();
            }
            out.println(String.format("%08x", base + at));
            out.flush();
        }

        private void emit() {
            byte[] cur = Arrays.copyOf(line, fill);
            long off = at;
            at += fill;
            fill = 0;
            if (prev != null && Arrays.equals(prev, cur)) {
                if (!starred) {
                    out.println("*");
                    starred = true;
                }
                return;
            }
            starred = false;
            prev = cur;
            StringBuilder sb = new StringBuilder(String.format("%08x  ", base + off));
            StringBuilder ascii = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                if (i < cur.length) {
                    sb.append(String.format("%02x ", cur[i] & 0xFF));
                    int c = cur[i] & 0xFF;
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
    }
}
