package dev.pmemfs.cli.mount;

import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.Home;
import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.mount.MountTable;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code pmemfs umount MOUNTPOINT}: unmounts (fusermount3 -u, refused while busy, as umount(8)) and
 * waits until the mount process has flushed and closed the namespace, so the next command can open
 * it. A mount whose process is gone (kill -9) answers ENOTCONN: it is detached and said so.
 */
@Command(name = "umount", mixinStandardHelpOptions = true,
        description = "Unmount a pmemfs mount (and wait for its process to close the namespace).")
public final class UmountCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HomeOption homeOption;

    @Parameters(index = "0", paramLabel = "MOUNTPOINT")
    Path mountPoint;

    @Override
    public Integer call() throws Exception {
        Home home = homeOption.home();
        Path mp = mountPoint.toAbsolutePath().normalize();
        Optional<MountTable.Entry> entry = MountTable.pmemfsAt(mp);
        if (entry.isEmpty()) {
            if (MountTable.anyAt(mp).isPresent()) {
                throw new UserException(mp + ": not a pmemfs mount (type " + MountTable.anyAt(mp).get().fsType()
                        + "); use umount(8)");
            }
            throw new UserException(mp + ": not mounted");
        }
        Optional<MountRecord> record = MountRecord.all(home).stream().filter(r -> r.mountPoint().equals(mp)).findFirst();
        if (MountTable.disconnected(mp) || record.isPresent() && !record.get().alive()) {
            Optional<String> failed = MountTable.unmount(mp, true);
            if (failed.isPresent()) {
                throw new UserException(mp + ": stale pmemfs mount of " + entry.get().source()
                        + " (its process is gone), but it cannot be detached: " + failed.get());
            }
            record.ifPresent(r -> r.delete(home));
            spec.commandLine().getOut().println(mp + ": stale mount of " + entry.get().source()
                    + " (its process is gone) detached; the namespace holds what was fsync'ed: mount it again to replay"
                    + " its journal");
            return 0;
        }
        Optional<String> failed = MountTable.unmount(mp, false);
        if (failed.isPresent()) {
            if (failed.get().contains("busy")) {
                throw new UserException(mp + ": target is busy (a program has a file open or its working directory "
                        + "there; close it, or see 'fuser -vm " + mp + "')");
            }
            throw new UserException(mp + ": cannot unmount: " + failed.get());
        }
        if (record.isPresent()) {
            Optional<ProcessHandle> p = ProcessHandle.of(record.get().pid());
            if (p.isPresent()) {
                try {
                    p.get().onExit().get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new UserException(mp + ": unmounted, but its process " + record.get().pid()
                            + " has not closed the namespace after 60 s; see " + MountRecord.log(home, record.get().namespace()),
                            ExitCodes.FAILURE);
                }
            }
        }
        return 0;
    }
}
