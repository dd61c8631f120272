package dev.pmemfs.differential;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.stack.PmemStack;
import dev.pmemfs.vfs.Syscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A freshly made pmemfs for the pmemfs side of a differential test: a temporary fsdax namespace, the
 * pmem driver attached, mkfs, a mount with the given options, and root's syscalls (a {@link PmemStack}).
 * {@link #close} unmounts, detaches, closes the namespace and deletes its image.
 */
final class PmemfsMount implements AutoCloseable {
    /** What Linux does: recovery write (5.19+) on, ZERO_RANGE makes unwritten extents, ZEROINIT mode available. */
    static final MountOptions LINUX_BEHAVIOUR = new MountOptions(true, MountOptions.ZeroRange.UNWRITTEN, true);

    private final PmemStack stack;

    private PmemfsMount(PmemStack stack) {
        this.stack = stack;
    }

    static PmemfsMount create(Path dir, long size, MountOptions options) throws ErrnoException {
        try {
            return new PmemfsMount(PmemStack.temporary(dir, size).mkfs().mountOptions(options).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Root's syscalls on the mounted filesystem (a new process after each {@link #remount}). */
    Syscalls sys() {
        return stack.sys();
    }

    /**
     * Unmounts cleanly (closing every descriptor) and mounts the same device again with the same
     * options, so what is read afterwards is what pmemfs made durable.
     */
    void remount() throws ErrnoException {
        stack.remount();
    }

    @Override
    public void close() throws ErrnoException {
        stack.close();
    }
}
