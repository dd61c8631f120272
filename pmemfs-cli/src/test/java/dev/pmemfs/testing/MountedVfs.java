package dev.pmemfs.testing;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.pmem.Pmem;
import dev.pmemfs.stack.PmemStack;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.Syscalls;
import dev.pmemfs.vfs.Vfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.InstantSource;

/**
 * A temporary fsdax namespace, formatted and mounted, with the syscall layer on top: the whole stack a
 * vfs or scenario test drives (a {@link PmemStack} with the fields tests reach for). Closing unmounts,
 * closes the namespace and deletes the image, which lives in the caller's {@code @TempDir}.
 */
public final class MountedVfs implements AutoCloseable {
    /** Linux's behaviour: ZERO_RANGE makes unwritten extents (what fstests' golden outputs expect). */
    public static final MountOptions LINUX = new MountOptions(true, MountOptions.ZeroRange.UNWRITTEN, true);

    public final PmemStack stack;
    public final Namespace ns;
    public final Pmem pmem;
    public final Vfs vfs;

    public MountedVfs(Path dir, long size, MountOptions options) throws ErrnoException {
        this(dir, size, options, InstantSource.system());
    }

    /** The stack with every timestamp taken from {@code clock} (a {@link FakeClock} in timestamp tests). */
    public MountedVfs(Path dir, long size, MountOptions options, InstantSource clock) throws ErrnoException {
        try {
            stack = PmemStack.temporary(dir, size).clock(clock).mkfs().mountOptions(options).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ns = stack.namespace();
        pmem = stack.pmem();
        vfs = stack.vfs();
    }

    public MountedVfs(Path dir) throws ErrnoException {
        this(dir, 64 * TestNamespaces.MIB, MountOptions.DEFAULTS);
    }

    public FileSystem fs() {
        return vfs.fileSystem();
    }

    /** A root process (uid 0, every capability). */
    public Syscalls root() {
        return vfs.process(Credentials.ROOT);
    }

    public Syscalls user(int uid, int gid) {
        return vfs.process(Credentials.user(uid, gid));
    }

    @Override
    public void close() throws ErrnoException {
        stack.close();
    }
}
