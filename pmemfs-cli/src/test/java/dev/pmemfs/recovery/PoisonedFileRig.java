package dev.pmemfs.recovery;

import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.media.ByteRange;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.stack.PmemStack;
import dev.pmemfs.testing.Gen;
import dev.pmemfs.testing.TestNamespaces;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.DeviceNodes;
import dev.pmemfs.vfs.Fiemap;
import dev.pmemfs.vfs.Syscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A namespace with a filesystem holding one file owned by an ordinary user, some of whose blocks
 * are poisoned: the bench on which each recovery design is tried. Supports the administrator's
 * offline clear (unmount, clear-errors, mount again).
 */
final class PoisonedFileRig implements AutoCloseable {
    static final int BLOCK = 4096;
    static final int OWNER_UID = 1000;
    static final String PATH = "/data";
    static final String DECOY_PATH = "/decoy";

    final PmemStack stack;
    final Namespace ns;
    final long fileSize;
    final List<FileRange> poisoned = new ArrayList<>();
    /** Device byte ranges the unlinked decoy occupied (empty without a decoy). */
    final List<ByteRange> decoyBlocks = new ArrayList<>();

    PoisonedFileRig(Path dir, long nsSize, long fileSize, MountOptions options) throws ErrnoException {
        this(TestNamespaces.fsdax(dir, nsSize), fileSize, options, 0);
    }

    /** Builds the stack on {@code ns} (which it then owns): mkfs first when {@code mkfs}, then the mount. */
    private static PmemStack stack(Namespace ns, MountOptions options, boolean mkfs) throws ErrnoException {
        PmemStack.Builder b = PmemStack.on(ns).mountOptions(options);
        try {
            return (mkfs ? b.mkfs() : b).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Formats {@code ns} and writes the file; with {@code decoySize > 0} a decoy file of a distinct
     * pattern ({@link #decoyContent}) is then written, fsync'ed and unlinked (synced), so blocks the
     * filesystem hands out again would show its bytes if they were exposed unzeroed.
     */
    PoisonedFileRig(Namespace ns, long fileSize, MountOptions options, long decoySize) throws ErrnoException {
        this.stack = stack(ns, options, true);
        this.ns = ns;
        this.fileSize = fileSize;
        boolean ok = false;
        try {
            Syscalls root = stack.sys();
            writeFile(root);
            if (decoySize > 0) {
                // Written after the file, so its blocks are the free space next to it once it is unlinked.
                int fd = root.open(DECOY_PATH, Syscalls.O_RDWR | Syscalls.O_CREAT, 0644);
                root.pwrite(fd, decoyContent(decoySize), 0, Math.toIntExact(decoySize), 0);
                root.fsync(fd);
                for (Fiemap.Extent e : root.fiemap(fd, 0, Long.MAX_VALUE, Fiemap.FIEMAP_FLAG_SYNC, 1 << 20).extents()) {
                    decoyBlocks.add(new ByteRange(e.physical(), e.length()));
                }
                root.close(fd);
                root.unlink(DECOY_PATH);
                stack.fs().syncfs();
            }
            ok = true;
        } finally {
            if (!ok) {
                stack.close();
            }
        }
    }

    /** Mounts the filesystem already on {@code ns} (journal replay included); the file is assumed at {@link #PATH}. */
    private PoisonedFileRig(Namespace ns, long fileSize, MountOptions options, List<FileRange> poisoned)
            throws ErrnoException {
        this.stack = stack(ns, options, false);
        this.ns = ns;
        this.fileSize = fileSize;
        this.poisoned.addAll(poisoned);
    }

    /** A rig over a namespace that already holds the rig's filesystem (as left by an earlier rig or a crash). */
    static PoisonedFileRig remount(Namespace ns, long fileSize, MountOptions options, List<FileRange> poisoned)
            throws ErrnoException {
        return new PoisonedFileRig(ns, fileSize, options, poisoned);
    }

    /** The decoy's content: a pattern unlike {@link #expectedContent} at every offset. */
    static byte[] decoyContent(long size) {
        byte[] c = new byte[Math.toIntExact(size)];
        for (int pos = 0; pos < c.length; pos++) {
            c[pos] = (byte) (0xA5 ^ (pos * 13 + (pos >>> 9)));
        }
        return c;
    }

    private void writeFile(Syscalls root) throws ErrnoException {
        int fd = root.open(PATH, Syscalls.O_RDWR | Syscalls.O_CREAT, 0644);
        byte[] content = expectedContent(fileSize);
        for (long pos = 0; pos < fileSize; pos += 1 << 20) {
            int n = (int) Math.min(1 << 20, fileSize - pos);
            root.pwrite(fd, content, (int) pos, n, pos);
        }
        root.fsync(fd);
        root.close(fd);
        root.chown(PATH, OWNER_UID, OWNER_UID);
    }

    private static byte[] content = new byte[0];

    /** What the file holds before anything goes wrong: a pattern that differs in every block. */
    static synchronized byte[] expectedContent(long size) {
        if (content.length < size) {
            byte[] c = new byte[Math.toIntExact(size)];
            for (int pos = 0; pos < c.length; pos++) {
                c[pos] = (byte) (pos * 31 + 7 + (pos >>> 12));
            }
            content = c;
        }
        return content;
    }

    /** Poisons {@code k} distinct random file blocks (one known bad sector each), as a notified inject-error. */
    void poisonRandomBlocks(Gen g, int k) throws ErrnoException {
        TreeSet<Long> blocks = new TreeSet<>();
        long nBlocks = fileSize / BLOCK;
        while (blocks.size() < k) {
            blocks.add(g.between(0, nBlocks - 1));
        }
        for (long b : blocks) {
            long phys = physicalOf(b * BLOCK);
            long sector = g.between(0, BLOCK / 512 - 1);
            ns.injectError(ns.dataOffset() + phys + sector * 512, 512, true);
            poisoned.add(new FileRange(b * BLOCK, BLOCK));
        }
    }

    long physicalOf(long fileOffset) throws ErrnoException {
        for (Fiemap.Extent e : mapping()) {
            if (fileOffset >= e.logical() && fileOffset < e.logical() + e.length()) {
                return e.physical() + (fileOffset - e.logical());
            }
        }
        throw new AssertionError("file offset " + fileOffset + " is not mapped");
    }

    /** The file's FIEMAP, flags stripped of LAST so that two maps of the same layout compare equal. */
    List<Fiemap.Extent> mapping() throws ErrnoException {
        Syscalls root = stack.process(Credentials.ROOT);
        int fd = root.open(PATH, Syscalls.O_RDONLY, 0);
        try {
            List<Fiemap.Extent> out = new ArrayList<>();
            for (Fiemap.Extent e : root.fiemap(fd, 0, Long.MAX_VALUE, Fiemap.FIEMAP_FLAG_SYNC, 1 << 20).extents()) {
                out.add(new Fiemap.Extent(e.logical(), e.physical(), e.length(), e.flags() & ~Fiemap.FIEMAP_EXTENT_LAST));
            }
            return out;
        } finally {
            root.close(fd);
        }
    }

    /** Runs covering the file that are contiguous both in the file and on the device. */
    long physicalRuns() throws ErrnoException {
        long runs = 0;
        Fiemap.Extent prev = null;
        for (Fiemap.Extent e : mapping()) {
            if (prev == null || prev.logical() + prev.length() != e.logical()
                    || prev.physical() + prev.length() != e.physical()) {
                runs++;
            }
            prev = e;
        }
        return runs;
    }

    /** Reads the whole file as root; the first failure's errno, or null when it all reads. */
    Errno readAll(byte[] into) {
        try {
            Syscalls root = stack.process(Credentials.ROOT);
            int fd = root.open(PATH, Syscalls.O_RDONLY, 0);
            try {
                long pos = 0;
                while (pos < fileSize) {
                    int n = root.pread(fd, into, (int) pos, (int) Math.min(1 << 20, fileSize - pos), pos);
                    if (n <= 0) {
                        return Errno.EIO;
                    }
                    pos += n;
                }
            } finally {
                root.close(fd);
            }
            return null;
        } catch (ErrnoException e) {
            return e.errno();
        }
    }

    /** Known bad sectors on the namespace (region view), summed. */
    long badSectors() {
        return ns.badblocks().stream().mapToLong(r -> r.nrSectors()).sum();
    }

    RecoveryTarget target(Credentials cred) {
        return new RecoveryTarget(stack.process(cred), PATH,
                () -> DeviceNodes.open(stack.block(), cred, true),
                () -> offlineClear(cred));
    }

    private long offlineClear(Credentials cred) throws ErrnoException {
        ClearAtUnmount.requireAdmin(cred);
        return stack.clearErrorsOffline();
    }

    @Override
    public void close() throws ErrnoException {
        stack.close();
    }
}
