package dev.pmemfs.vfs;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.block.BlockHandle;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.Objects;

/**
 * The permission rules of pmem device nodes and their sysfs files, as pmemfs's credential model
 * states them: {@code /dev/pmemN} is {@code root:disk 0660}, and opening it for writing needs
 * CAP_SYS_RAWIO (raw access that bypasses every filesystem); reading needs ordinary access to the
 * node (root, the disk group, CAP_DAC_OVERRIDE or CAP_DAC_READ_SEARCH) or CAP_SYS_RAWIO. A refused
 * open fails with EACCES, as a non-root open of a root-owned 0660 node does in Linux. The sysfs
 * {@code badblocks} file is {@code root 0644}: writing it needs uid 0 or CAP_DAC_OVERRIDE.
 *
 * <p>Mirrors the open-time check of blkdev_open (may_open → inode_permission, reference §6); the
 * block layer below receives an already-authorised {@link BlockHandle}.
 */
public final class DeviceNodes {
    /** The "disk" group's gid on Debian-like systems. */
    public static final int DISK_GID = 6;

    private DeviceNodes() {}

    /** open("/dev/pmemN", O_RDONLY or O_RDWR | O_DIRECT). */
    public static BlockHandle open(BlockDevice dev, Credentials cred, boolean forWrite) throws ErrnoException {
        Objects.requireNonNull(dev, "dev");
        Objects.requireNonNull(cred, "cred");
        if (forWrite) {
            if (!cred.has(Credentials.Capability.CAP_SYS_RAWIO)) {
                throw new ErrnoException(Errno.EACCES, "open", "/dev/" + dev.name()
                        + ": writing a pmem device needs CAP_SYS_RAWIO (uid " + cred.uid() + " has it not)");
            }
        } else if (!mayRead(cred)) {
            throw new ErrnoException(Errno.EACCES, "open", "/dev/" + dev.name()
                    + " is root:disk 0660 and uid " + cred.uid() + " is neither root nor in group disk");
        }
        return dev.open(forWrite);
    }

    private static boolean mayRead(Credentials cred) {
        return cred.uid() == 0 || cred.inGroup(DISK_GID)
                || cred.has(Credentials.Capability.CAP_DAC_OVERRIDE)
                || cred.has(Credentials.Capability.CAP_DAC_READ_SEARCH)
                || cred.has(Credentials.Capability.CAP_SYS_RAWIO);
    }

    /** The check for writing {@code /sys/block/pmemN/badblocks} (root 0644). */
    public static void checkSysfsWrite(BlockDevice dev, Credentials cred) throws ErrnoException {
        if (cred.uid() != 0 && !cred.has(Credentials.Capability.CAP_DAC_OVERRIDE)) {
            throw new ErrnoException(Errno.EACCES, "open", "/sys/block/" + dev.name()
                    + "/badblocks is root 0644 and uid " + cred.uid() + " may not write it");
        }
    }
}
