package dev.pmemfs.vfs;

import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FileSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The syscall layer over one mounted pmemfs: hands out processes, each with its own credentials and
 * file-descriptor table. Owns the mount: {@link #close()} closes every process's descriptors and then
 * unmounts.
 *
 * <p>The dax device is the one the filesystem is mounted on; the mapping code needs it for
 * MADV_HWPOISON, which goes to {@code memory_failure()} on the device page (reference §7.3).
 */
public final class Vfs implements AutoCloseable {
    private final FileSystem fs;
    private final DaxDevice dax;
    /* guarded by this */
    private final List<Process> processes = new ArrayList<>();
    /* guarded by this */
    private boolean closed;
    /** The pipes of opened FIFOs, by inode (shared by every process, as the inode's i_pipe). */
    private final java.util.concurrent.ConcurrentHashMap<Long, Fifo> fifos = new java.util.concurrent.ConcurrentHashMap<>();

    public Vfs(FileSystem fs, DaxDevice dax) {
        this.fs = Objects.requireNonNull(fs, "fs");
        this.dax = Objects.requireNonNull(dax, "dax");
    }

    /** A new process running with {@code cred}, with an empty descriptor table. */
    public synchronized Syscalls process(Credentials cred) {
        if (closed) {
            throw new IllegalStateException("the filesystem is unmounted");
        }
        Process p = new Process(fs, dax, Objects.requireNonNull(cred, "cred"), this::forget, fifos);
        processes.add(p);
        return p;
    }

    private synchronized void forget(Process p) {
        processes.remove(p);
    }

    /** The mounted filesystem (for frontends that need fs-level queries such as fsck or the rmap). */
    public FileSystem fileSystem() {
        return fs;
    }

    /** Closes every descriptor of every process, then unmounts the filesystem. */
    @Override
    public void close() throws ErrnoException {
        List<Process> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = List.copyOf(processes);
            processes.clear();
        }
        for (Process p : all) {
            p.close();
        }
        fs.close();
    }
}
