package dev.pmemfs.cli.dev;

import dev.pmemfs.block.BlockHandle;
import dev.pmemfs.cli.ByteSize;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.UserException;
import java.io.IOException;
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
 * sectors first and fails with EIO, writing nothing, when the firmware cannot clear it.
 */
@Command(name = "write", mixinStandardHelpOptions = true, description = "Write sectors of /dev/pmemN (O_DIRECT).")
final class DevWriteCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeviceArgs device;

    @Option(names = "--sector", required = true, paramLabel = "S", description = "First 512-byte sector.")
    long sector;

    @Option(names = "--count", required = true, paramLabel = "N", description = "Number of sectors.")
    int count;

    @Option(names = "--zero", description = "Write zeros (if=/dev/zero).")
    boolean zero;

    @Option(names = "--pattern", paramLabel = "BYTE", description = "Write this byte (0-255, or 0xNN) repeated.")
    String pattern;

    @Option(names = "--if", paramLabel = "FILE", description = "Write the first N sectors of FILE.")
    Path input;

    @Override
    public Integer call() throws Exception {
        int sources = (zero ? 1 : 0) + (pattern != null ? 1 : 0) + (input != null ? 1 : 0);
        if (sources != 1) {
            throw new UserException("give exactly one of --zero, --pattern BYTE or --if FILE", ExitCodes.USAGE);
        }
        if (sector < 0 || count <= 0 || count > (1 << 21)) {
            throw new UserException("--sector must be >= 0 and --count between 1 and " + (1 << 21), ExitCodes.USAGE);
        }
        byte[] data = new byte[count << 9];
        if (pattern != null) {
            long b = ByteSize.parseOrInvalid(pattern);
            if (b < 0 || b > 255 || !pattern.strip().matches("(0[xX])?[0-9a-fA-F]+")) {
                throw new UserException("--pattern '" + pattern + "' is not a byte value (0-255 or 0x00-0xff)", ExitCodes.USAGE);
            }
            Arrays.fill(data, (byte) b);
        } else if (input != null) {
            byte[] file;
            try {
                file = Files.readAllBytes(input);
            } catch (IOException e) {
                throw new UserException("cannot read " + input + ": " + e.getMessage());
            }
            if (file.length < data.length) {
                throw new UserException(input + " has " + file.length + " bytes, fewer than " + count + " sectors");
            }
            System.arraycopy(file, 0, data, 0, data.length);
        }
        try (Device d = device.open();
                BlockHandle h = device.openNode(d, true)) {
            int n = h.write(sector << 9, data, 0, data.length);
            d.ns.fence();
            spec.commandLine().getOut().println(d.bdev.name() + ": wrote " + (n >>> 9) + " sectors at sector " + sector);
        }
        return 0;
    }
}
