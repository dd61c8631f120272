package dev.pmemfs.vfs;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.block.BlockHandle;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import java.util.Objects;

/**
 * The permission rules of pmem device nodes and their sysfs files, as udev and the kernel set them:
 * {@code /dev/pmemN} is {@code root:disk 0660}, so root and the members of group {@code disk} (gid 6)
 * may open it for reading and writing, as may a process with CAP_DAC_OVERRIDE (and, for reading,
 * CAP_DAC_READ_SEARCH); everybody else gets EACCES from open(2). pmemfs also lets CAP_SYS_RAWIO open it
 * (its stand-in for "given raw device access", which the study's raw-device runs use); Linux's DAC
 * check knows no such exception. The sysfs {@code badblocks} file is {@code root 0644}: writing it
 * needs uid 0 or CAP_DAC_OVERRIDE.
 *
 * <p>Mirrors the open-time check of blkdev_open (may_open → inode_permission → generic_permission's
 * owner/group/other bits and capability overrides, reference §6); the block layer below receives an
 * already-authorised {@link BlockHandle}, and BLKZEROOUT needs only that the node was opened for writing.
 */
public final class DeviceNodes {
    /** The "disk" group's gid on Debian-like systems. */
    public static final int DISK_GID = 6;
    /** {@code /dev/pmemN}'s mode bits. */
    public static final int MODE = 0660;

    private DeviceNodes() {}

    /** open("/dev/pmemN", O_RDONLY or O_RDWR | O_DIRECT). */
    public static BlockHandle open(BlockDevice dev, Credentials cred, boolean forWrite) throws ErrnoException {
        Objects.requireNonNull(dev, "dev");
        Objects.requireNonNull(cred, "cred");
        if (!mayOpen(cred, forWrite)) {
            throw new ErrnoException(Errno.EACCES, "open", "/dev/" + dev.name() + " is root:disk 0660 and uid "
                    + cred.uid() + " is neither root nor in group disk (gid " + DISK_GID + ")"
                    + (forWrite ? "; opening it for writing needs the group, CAP_DAC_OVERRIDE or CAP_SYS_RAWIO"
                            : "; reading it needs the group, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH or CAP_SYS_RAWIO"));
        }
        return dev.open(forWrite);
    }

    /** generic_permission on a root:disk 0660 node, plus pmemfs's CAP_SYS_RAWIO. */
    static boolean mayOpen(Credentials cred, boolean forWrite) {
        if (cred.uid() == 0 || cred.inGroup(DISK_GID)) {
            return true; // owner rw- / group rw-
        }
        if (cred.has(Credentials.Capability.CAP_DAC_OVERRIDE) || cred.has(Credentials.Capability.CAP_SYS_RAWIO)) {
            return true;
        }
        return !forWrite && cred.has(Credentials.Capability.CAP_DAC_READ_SEARCH);
    }

    /** The check for writing {@code /sys/block/pmemN/badblocks} (root 0644). */
    public static void checkSysfsWrite(BlockDevice dev, Credentials cred) throws ErrnoException {
        if (cred.uid() != 0 && !cred.has(Credentials.Capability.CAP_DAC_OVERRIDE)) {
            throw new ErrnoException(Errno.EACCES, "open", "/sys/block/" + dev.name()
                    + "/badblocks is root 0644 and uid " + cred.uid() + " may not write it");
        }
    }
}
