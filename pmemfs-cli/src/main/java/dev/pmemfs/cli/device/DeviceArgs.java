package dev.pmemfs.cli.device;

import dev.pmemfs.block.BlockHandle;
import dev.pmemfs.cli.CredentialsOption;
import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.DeviceNodes;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * What every {@code dev} command starts with: the namespace (first positional argument), the home it
 * lives in, and who runs the command; and opening {@code /dev/pmemN} as that user would.
 */
final class DeviceArgs {
    @Mixin
    HomeOption homeOption;

    @Mixin
    CredentialsOption credentials;

    @Parameters(index = "0", paramLabel = "NS", description = "namespaceN.0 or pmemN.")
    String name;

    /** The namespace, its driver attached. */
    Device open() throws UserException, ErrnoException {
        return Device.open(homeOption.home(), name);
    }

    /** open(2) of the device node for reading or writing, with the caller's credentials. */
    BlockHandle openNode(Device d, boolean forWrite) throws UserException, ErrnoException {
        return DeviceNodes.open(d.bdev, credentials.credentials(), forWrite);
    }

    Credentials credentials() throws UserException {
        return credentials.credentials();
    }
}
