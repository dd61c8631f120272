package dev.pmemfs.mount;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.Syscalls;

/** The ioctls a mounted file answers (include/pmemfs.h). */
final class IoctlHandler {
    byte[] handle(Syscalls p, int fd, int cmd, byte[] in, long outSize) throws ErrnoException {
        throw new ErrnoException(Errno.ENOTTY, "ioctl", String.format("unknown ioctl 0x%08x", cmd));
    }
}
