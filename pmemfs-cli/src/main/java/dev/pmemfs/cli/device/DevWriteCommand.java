package dev.pmemfs.cli.device;

import dev.pmemfs.block.BlockHandle;
import dev.pmemfs.cli.ByteSize;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.UserException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dev write NS --sector S --count N (--zero | --pattern BYTE | --if FILE)}:
 * {@code dd of=/dev/pmemN oflag=direct bs=512 seek=S count=N}. The write clears known poison in its
 * sectors first and fails with EIO, writing nothing of that chunk, when the firmware cannot clear it.
 *
 * <p>As dd, it streams: at most {@link #CHUNK} bytes are in memory, and only the {@code N} sectors
 * asked for are read from the input ({@code --if /dev/zero} is fine). A regular input file shorter
 * than {@code N} sectors is refused before anything is written; a stream that ends early stops the
 * write after the whole sectors it gave, and the error says how many were written.
 */
@Command(name = "write", mixinStandardHelpOptions = true, description = "Write sectors of /dev/pmemN (O_DIRECT).")
final class DevWriteCommand implements Callable<Integer> {
    /** Bytes written per O_DIRECT write: the buffer's bound, whatever --count says. */
    static final int CHUNK = 1 << 20;
    /** Sectors a byte offset can address without overflow (the kernel's 2^54 badblocks bound too). */
    static final long MAX_SECTORS = 1L << 54;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeviceArgs device;

    @Option(names = "--sector", required = true, paramLabel = "S", description = "First 512-byte sector.")
    long sector;

    @Option(names = "--count", required = true, paramLabel = "N", description = "Number of sectors.")
    long count;

    @Option(names = "--zero", description = "Write zeros (if=/dev/zero).")
    boolean zero;

    @Option(names = "--pattern", paramLabel = "BYTE", description = "Write this byte (0-255, or 0xNN) repeated.")
    String pattern;

    @Option(names = "--if", paramLabel = "FILE", description = "Write the first N sectors of FILE (read as a stream).")
    Path input;

    @Override
    public Integer call() throws Exception {
        int sources = (zero ? 1 : 0) + (pattern != null ? 1 : 0) + (input != null ? 1 : 0);
        if (sources != 1) {
            throw new UserException("give exactly one of --zero, --pattern BYTE or --if FILE", ExitCodes.USAGE);
        }
        if (sector < 0 || count <= 0 || sector >= MAX_SECTORS || count >= MAX_SECTORS - sector) {
            throw new UserException("--sector must be >= 0 and --count >= 1, ending below sector 2^54", ExitCodes.USAGE);
        }
        byte fill = 0;
        if (pattern != null) {
            long b = ByteSize.parseOrInvalid(pattern);
            if (b < 0 || b > 255 || !pattern.strip().matches("(0[xX])?[0-9a-fA-F]+")) {
                throw new UserException("--pattern '" + pattern + "' is not a byte value (0-255 or 0x00-0xff)", ExitCodes.USAGE);
            }
            fill = (byte) b;
        }
        long bytes = count << 9;
        if (input != null && Files.isRegularFile(input)) {
            long size;
            try {
                size = Files.size(input);
            } catch (IOException e) {
                throw new UserException("cannot read " + input + ": " + e.getMessage());
            }
            if (size < bytes) {
                throw new UserException(input + " has " + size + " bytes, fewer than " + count + " sectors");
            }
        }
        try (Device d = device.open();
                BlockHandle h = device.openNode(d, true);
                InputStream in = input == null ? null : open(input)) {
            byte[] buf = new byte[(int) Math.min(CHUNK, bytes)];
            if (in == null) {
                Arrays.fill(buf, fill);
            }
            long done = 0;
            while (done < bytes) {
                int want = (int) Math.min(buf.length, bytes - done);
                int got = in == null ? want : read(in, buf, want);
                int whole = got & ~511;
                int n = whole == 0 ? 0 : h.write((sector << 9) + done, buf, 0, whole);
                done += n;
                if (n < whole) {
                    break; // the end of the device: a short write, as dd reports it
                }
                if (got < want) {
                    d.ns.fence();
                    throw new UserException(input + " ended early: wrote " + (done >>> 9) + " of " + count
                            + " sectors at sector " + sector + " (a partial last sector is not written: O_DIRECT)");
                }
            }
            d.ns.fence();
            spec.commandLine().getOut().println(d.bdev.name() + ": wrote " + (done >>> 9) + " sectors at sector " + sector);
        }
        return 0;
    }

    private static InputStream open(Path input) throws UserException {
        try {
            return Files.newInputStream(input);
        } catch (IOException e) {
            throw new UserException("cannot read " + input + ": " + e.getMessage());
        }
    }

    /** Reads until {@code want} bytes or the end of the input; how many it got. */
    private int read(InputStream in, byte[] buf, int want) throws UserException {
        try {
            return in.readNBytes(buf, 0, want);
        } catch (IOException e) {
            throw new UserException("cannot read " + input + ": " + e.getMessage());
        }
    }
}
