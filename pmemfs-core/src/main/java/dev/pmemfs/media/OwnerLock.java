package dev.pmemfs.media;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The exclusive claim of one opener on a namespace image: a namespace has one owner, as a kernel
 * owns its devices, so two openers, in two processes or in one, never write one image at once.
 *
 * <p>The claim is an open-file-description write lock ({@code fcntl(F_OFD_SETLK)}, Linux 3.15) on
 * the whole image, taken on a descriptor of its own and held until {@link #close}. Three properties
 * of OFD locks make them the right tool, where Java's {@code FileChannel.lock} (classic POSIX locks)
 * is not: the kernel drops the lock when the holder dies, however it dies, so no stale claim is ever
 * left to clean by hand; closing some other descriptor of the image (mapping it, copying a crash
 * image) does not drop it; and a second opener in the same process conflicts like any other.
 *
 * <p>The holder describes itself (pid and purpose) in a side file {@code IMAGE.owner}, which a refused
 * opener reads to name it. The side file only informs: it is written after the lock is taken and
 * removed before it is dropped, and a crashed holder's stale description is overwritten by the next.
 */
public final class OwnerLock implements AutoCloseable {
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int F_OFD_SETLK = 37;
    private static final short F_WRLCK = 1;
    private static final short F_UNLCK = 2;
    private static final int EACCES = 13;
    private static final int EAGAIN = 11;

    /** {@code struct flock} (x86_64 and aarch64 share it): the whole file from offset 0. */
    private static final StructLayout FLOCK = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("l_type"),
            ValueLayout.JAVA_SHORT.withName("l_whence"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.JAVA_LONG.withName("l_start"),
            ValueLayout.JAVA_LONG.withName("l_len"),
            ValueLayout.JAVA_INT.withName("l_pid"),
            MemoryLayout.paddingLayout(4));
    private static final VarHandle L_TYPE = FLOCK.varHandle(MemoryLayout.PathElement.groupElement("l_type"));

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = LINKER.downcallHandle(
            LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle FCNTL = LINKER.downcallHandle(
            LINKER.defaultLookup().find("fcntl").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS),
            Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final Path image;
    private final int fd;
    private volatile Owner owner;
    private boolean closed;

    private OwnerLock(Path image, int fd, Owner owner) {
        this.image = image;
        this.fd = fd;
        this.owner = owner;
    }

    /** Who holds a namespace: a process and what it is doing there ("mounted at /mnt/pm"). */
    public record Owner(long pid, String purpose) {
        public Owner {
            Objects.requireNonNull(purpose, "purpose");
        }

        /** This process, doing {@code purpose}. */
        public static Owner self(String purpose) {
            return new Owner(ProcessHandle.current().pid(), purpose);
        }

        String encode() {
            return "pid=" + pid + "\npurpose=" + purpose.replace('\n', ' ') + "\n";
        }

        /** The holder written by {@link #encode}, or null when the text is not one (being written, or gone). */
        static Owner decode(String text) {
            long pid = -1;
            String purpose = null;
            for (String line : text.split("\n")) {
                if (line.startsWith("pid=")) {
                    try {
                        pid = Long.parseLong(line.substring(4).trim());
                    } catch (NumberFormatException e) {
                        return null;
                    }
                } else if (line.startsWith("purpose=")) {
                    purpose = line.substring(8);
                }
            }
            return pid > 0 && purpose != null ? new Owner(pid, purpose) : null;
        }

        @Override
        public String toString() {
            return "pid " + pid + " (" + purpose + ")";
        }
    }

    /**
     * What this process is doing, for openers that do not say: its command line as the launcher was
     * given it ("pmemfs io namespace0.0:/db -c pread 0 4k"), shortened to one readable line.
     */
    public static String processPurpose() {
        String cmd = System.getProperty("sun.java.command", "").strip();
        String[] parts = cmd.split("\\s+", 2);
        String text;
        if (parts[0].startsWith("dev.pmemfs.") && parts[0].endsWith(".Main")) {
            text = "pmemfs" + (parts.length > 1 ? " " + parts[1] : "");
        } else {
            text = cmd.isEmpty() ? "java" : cmd;
        }
        text = text.replaceAll("\\s+", " ");
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }

    /** The side file in which the holder of {@code image} describes itself. */
    public static Path ownerFile(Path image) {
        return image.resolveSibling(image.getFileName() + ".owner");
    }

    /**
     * Claims {@code image} (which must exist) for this opener, or fails at once, changing nothing, with
     * {@link NamespaceBusyException} naming the holder; never waits.
     */
    public static OwnerLock acquire(Path image, String purpose) throws IOException {
        Objects.requireNonNull(purpose, "purpose");
        int fd = open(image);
        boolean ok = false;
        try {
            if (!lock(fd, F_WRLCK)) {
                throw new NamespaceBusyException(image, holderOf(image));
            }
            OwnerLock claim = new OwnerLock(image, fd, Owner.self(purpose));
            claim.write(claim.owner);
            ok = true;
            return claim;
        } finally {
            if (!ok) {
                closeFd(fd);
            }
        }
    }

    private static int open(Path image) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, a.allocateFrom(image.toString()), O_RDWR | O_CLOEXEC);
            if (fd < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                if (errno == 2) {
                    throw new NoSuchFileException(image.toString());
                }
                throw new IOException("cannot open " + image + " to claim it (errno " + errno
                        + "); check that the file is readable and writable by this user");
            }
            return fd;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("open(2) downcall", t);
        }
    }

    /** fcntl(F_OFD_SETLK) over the whole file; false when another open file description holds it. */
    private static boolean lock(int fd, short type) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fl = a.allocate(FLOCK); // zeroed: SEEK_SET, start 0, len 0 (to the end), pid 0
            L_TYPE.set(fl, 0L, type);
            MemorySegment state = a.allocate(CALL_STATE);
            int rc = (int) FCNTL.invokeExact(state, fd, F_OFD_SETLK, fl);
            if (rc == 0) {
                return true;
            }
            int errno = (int) ERRNO.get(state, 0L);
            if (errno == EAGAIN || errno == EACCES) {
                return false;
            }
            throw new IOException("fcntl(F_OFD_SETLK) failed with errno " + errno
                    + "; the namespace image must be on a local Linux filesystem (3.15 or later)");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("fcntl(2) downcall", t);
        }
    }

    private static void closeFd(int fd) {
        try {
            int rc = (int) CLOSE.invokeExact(fd);
            assert rc == 0 : "close(" + fd + ")";
        } catch (Throwable t) {
            throw new AssertionError("close(2) downcall", t);
        }
    }

    /** The holder as its side file names it, or null when it has not described itself (yet). */
    private static Owner holderOf(Path image) {
        // The holder writes its description right after it takes the lock: an opener refused in
        // between finds no file yet, so it looks again for a short while.
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                Owner o = Owner.decode(Files.readString(ownerFile(image), StandardCharsets.UTF_8));
                if (o != null) {
                    return o;
                }
            } catch (IOException e) {
                // not there (yet): look again
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return null;
    }

    private void write(Owner o) throws IOException {
        Files.writeString(ownerFile(image), o.encode(), StandardCharsets.UTF_8);
    }

    /** Says what the owner is doing now (a mount describes itself as "mounted at MOUNTPOINT"). */
    public synchronized void describe(String purpose) throws IOException {
        Owner o = Owner.self(purpose);
        write(o);
        owner = o;
    }

    public Owner owner() {
        return owner;
    }

    /** The claimed image. */
    public Path image() {
        return image;
    }

    /** Releases the claim: the description goes first, so no one is named who no longer holds it. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Files.deleteIfExists(ownerFile(image));
        } finally {
            // Closing the descriptor drops the OFD lock; an explicit unlock first costs nothing and
            // keeps the release independent of descriptors the process may have inherited.
            try {
                lock(fd, F_UNLCK);
            } finally {
                closeFd(fd);
            }
        }
    }
}
