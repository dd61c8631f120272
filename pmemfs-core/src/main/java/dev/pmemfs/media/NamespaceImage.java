package dev.pmemfs.media;

import dev.pmemfs.errno.ErrnoException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A namespace's image file: its owner lock, the mapping (one shared {@link Arena}), the twice-kept
 * header, the persistence domain every store goes through, and the raw data copies of the media area.
 * It knows nothing of poison: {@link MediaPoison} decides what a load may copy.
 *
 * <p>Models the namespace's memory itself (the persistent memory behind {@code pmem->virt_addr}) and
 * the label area that describes it; the layout is {@link Layout}'s, the header {@link MediaHeader}'s.
 */
final class NamespaceImage {
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final OwnerLock claim;
    /** Replaced (with a higher generation) when the state flags or firmware settings change. */
    private volatile MediaHeader header;
    private final Arena arena;
    private final MemorySegment file;
    private final MemorySegment media;
    private final long base;
    private final PersistenceDomain pd;
    private volatile boolean closed;

    private NamespaceImage(Path path, OwnerLock claim, MediaHeader header, Arena arena, MemorySegment file,
            PersistenceDomain pd) {
        this.path = path;
        this.claim = claim;
        this.header = header;
        this.arena = arena;
        this.file = file;
        this.base = header.mediaOffset();
        this.media = file.asSlice(base, header.config().size());
        this.pd = pd;
    }

    /**
     * Creates a new sparse image at {@code path} (which must not exist), owned by this process, with both
     * header copies written and fenced; the media error log area is formatted by {@link #formatLog}.
     */
    static NamespaceImage create(Path path, NamespaceConfig config, PersistenceDomain pd) throws IOException {
        Objects.requireNonNull(config, "config");
        long mediaOffset = Layout.mediaOffset(config.logAreaBytes());
        long length = mediaOffset + config.size();
        Objects.requireNonNull(path, "image");
        Files.createFile(path);
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
            // A sparse file: nothing but the header and the log is ever written at creation.
            raf.setLength(length);
        }
        OwnerLock claim = null;
        boolean ok = false;
        Arena arena = Arena.ofShared();
        try {
            claim = OwnerLock.acquire(path, OwnerLock.processPurpose());
            MemorySegment file = map(path, length, arena);
            pd.attach(path, file);
            NamespaceImage img = new NamespaceImage(path, claim, new MediaHeader(config, UUID.randomUUID(), mediaOffset, 1, 0,
                            ClearFault.NONE),
                    arena, file, pd);
            img.writeHeader(img.header);
            ok = true;
            return img;
        } finally {
            if (!ok) {
                arena.close();
                Files.deleteIfExists(path);
                if (claim != null) {
                    claim.close();
                }
            }
        }
    }

    /**
     * Opens an existing image, owning it until {@link #close}: {@link NamespaceBusyException} at once
     * when another opener owns it, an {@link IOException} naming the file when it is not a usable image.
     */
    static NamespaceImage open(Path path, PersistenceDomain pd, String purpose) throws IOException {
        // A missing image is NoSuchFileException from the claim's own open(2): no separate, racy check.
        OwnerLock claim = OwnerLock.acquire(path, purpose);
        boolean ok = false;
        Arena arena = Arena.ofShared();
        try {
            long length = Files.size(path);
            if (length < Layout.LOG_OFFSET) {
                throw new IOException(path + ": " + length + " bytes is too small to be a pmemfs namespace image");
            }
            MemorySegment file = map(path, length, arena);
            MediaHeader header = chooseHeader(path, file);
            long want = header.mediaOffset() + header.config().size();
            if (length != want) {
                throw new IOException(path + ": image is " + length + " bytes but its header describes "
                        + want + " bytes; the file was truncated or extended");
            }
            pd.attach(path, file);
            NamespaceImage img = new NamespaceImage(path, claim, header, arena, file, pd);
            ok = true;
            return img;
        } finally {
            if (!ok) {
                arena.close();
                claim.close();
            }
        }
    }

    private static MediaHeader chooseHeader(Path image, MemorySegment file) throws IOException {
        MediaHeader.Decoded a = MediaHeader.decode(file.asSlice(0, Layout.HEADER_SIZE));
        MediaHeader.Decoded b = MediaHeader.decode(file.asSlice(Layout.HEADER_SIZE, Layout.HEADER_SIZE));
        if (a instanceof MediaHeader.Valid va && b instanceof MediaHeader.Valid vb) {
            return va.header().generation() >= vb.header().generation() ? va.header() : vb.header();
        }
        if (a instanceof MediaHeader.Valid va) {
            return va.header();
        }
        if (b instanceof MediaHeader.Valid vb) {
            return vb.header();
        }
        throw new IOException(image + ": not a usable pmemfs namespace image (header A: "
                + ((MediaHeader.Invalid) a).why() + "; header B: " + ((MediaHeader.Invalid) b).why() + ")");
    }

    private static MemorySegment map(Path image, long length, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, length, arena);
        } catch (IOException e) {
            throw new IOException("cannot map " + image + " (" + length + " bytes): " + e.getMessage()
                    + "; check free disk space, the file's permissions and the process's address-space limit (ulimit -v)", e);
        }
    }

    /** Writes both header copies, A then B, each fenced before the next (a torn write leaves one good copy). */
    private void writeHeader(MediaHeader h) {
        byte[] bytes = h.encode();
        for (long copy : new long[] {0, Layout.HEADER_SIZE}) {
            pd.storeBytes(copy, bytes, 0, bytes.length);
            pd.flush(copy, bytes.length);
            pd.fence();
        }
    }

    /** Rewrites the header with {@code mode} and a higher generation (the image must be reopened to see it). */
    void rewriteMode(NamespaceMode mode) {
        writeHeader(new MediaHeader(header.config().withMode(mode), header.uuid(), header.mediaOffset(),
                header.generation() + 1, header.flags(), header.clearFault()));
    }

    /**
     * Rewrites the header with new state flags, clear unit and firmware clear behaviour (a higher
     * generation, copy A then copy B) and uses it from now on: what ndctl disable/enable and the
     * firmware knobs change, persistent as the platform's settings are.
     */
    synchronized void rewriteSettings(int flags, int clearErrUnit, ClearFault fault) {
        MediaHeader h = header;
        MediaHeader next = new MediaHeader(h.config().withClearErrUnit(clearErrUnit), h.uuid(), h.mediaOffset(),
                h.generation() + 1, flags, fault);
        writeHeader(next);
        header = next;
    }

    /** A fresh media error log in its area (at creation). */
    MediaErrorLog formatLog() {
        return MediaErrorLog.format(pd, file, Layout.LOG_OFFSET, header.config().logAreaBytes());
    }

    /** The media error log, replayed into {@code apply}; an unreadable log names the file. */
    MediaErrorLog replayLog(Consumer<MediaErrorLog.Entry> apply) throws IOException {
        try {
            return MediaErrorLog.replay(pd, file, Layout.LOG_OFFSET, header.config().logAreaBytes(), apply);
        } catch (ErrnoException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    MediaHeader header() {
        return header;
    }

    NamespaceConfig config() {
        return header.config();
    }

    OwnerLock claim() {
        return claim;
    }

    /** Namespace bytes (the media area). */
    long size() {
        return header.config().size();
    }

    void checkRange(long offset, long len) {
        if (closed) {
            throw new IllegalStateException(path + " is closed");
        }
        Objects.checkFromIndexSize(offset, len, size());
    }

    /** A plain copy out of the media, no poison check (callers decide what may be copied). */
    void copyOut(long offset, byte[] dst, int dstOff, int len) {
        MemorySegment.copy(media, ValueLayout.JAVA_BYTE, offset, dst, dstOff, len);
    }

    long loadLong(long offset) {
        checkRange(offset, 8);
        return media.get(LONG_LE, offset);
    }

    void write(long offset, byte[] src, int srcOff, int len) {
        checkRange(offset, len);
        Objects.checkFromIndexSize(srcOff, len, src.length);
        pd.storeBytes(base + offset, src, srcOff, len);
        pd.flush(base + offset, len);
    }

    void fill(long offset, long len, byte value) {
        checkRange(offset, len);
        pd.fill(base + offset, len, value);
        pd.flush(base + offset, len);
    }

    void storeLong(long offset, long value) {
        checkRange(offset, 8);
        pd.storeLong(base + offset, value);
    }

    void flush(long offset, long len) {
        checkRange(offset, len);
        pd.flush(base + offset, len);
    }

    void fence() {
        pd.fence();
    }

    void sync() {
        pd.sync();
    }

    /** Flushes, unmaps and gives up ownership (the claim goes last, after the last store). */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            pd.sync();
            arena.close();
        } finally {
            try {
                claim.close();
            } catch (IOException e) {
                // Closing the descriptor drops the kernel's lock in any case: nothing stays held.
            }
        }
    }
}
