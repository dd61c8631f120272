package dev.pmemfs.fuse;

import static dev.pmemfs.fuse.Layouts.INT;
import static dev.pmemfs.fuse.Layouts.LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One request from the kernel ({@code fuse_req_t}): who sent it ({@code fuse_req_ctx}) and the
 * {@code fuse_reply_*} calls that answer it. Exactly one reply per request; a second reply is a bug
 * and throws. Not thread-safe: a request is answered by the thread it was given to.
 */
public final class FuseRequest {
    private final Libfuse lib;
    private final MemorySegment req;
    private final MemorySegment fi; // NULL when the request carries no fuse_file_info
    private final Scratch scratch;
    private boolean replied;

    FuseRequest(Libfuse lib, MemorySegment req, MemorySegment fi, Scratch scratch) {
        this.lib = lib;
        this.req = req;
        this.fi = fi.equals(MemorySegment.NULL) ? fi : fi.reinterpret(Layouts.FI_SIZE);
        this.scratch = scratch;
    }

    boolean replied() {
        return replied;
    }

    private void once() {
        if (replied) {
            throw new IllegalStateException("request answered twice");
        }
        replied = true;
    }

    private MemorySegment ctx() {
        try {
            return ((MemorySegment) lib.reqCtx.invokeExact(req)).reinterpret(16);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The caller's effective uid (fuse_ctx.uid: the fsuid of the calling thread). */
    public int uid() {
        return ctx().get(INT, Layouts.CTX_UID);
    }

    public int gid() {
        return ctx().get(INT, Layouts.CTX_GID);
    }

    public int pid() {
        return ctx().get(INT, Layouts.CTX_PID);
    }

    public int umask() {
        return ctx().get(INT, Layouts.CTX_UMASK);
    }

    /**
     * The caller's supplementary groups (fuse_req_getgroups reads /proc/PID/status); empty when the
     * kernel sent no pid (a write-back) or the process is gone.
     */
    public int[] groups() {
        MemorySegment list = scratch.groups;
        try {
            int n = (int) lib.reqGetgroups.invokeExact(req, (int) (list.byteSize() / 4), list);
            if (n <= 0) {
                return new int[0];
            }
            n = Math.min(n, (int) (list.byteSize() / 4));
            return list.asSlice(0, 4L * n).toArray(ValueLayout.JAVA_INT);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** fuse_reply_err; 0 answers success for requests without data (unlink, release, fsync ...). */
    public void replyErr(int errno) {
        once();
        try {
            int rc = (int) lib.replyErr.invokeExact(req, errno);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    void replyNone() {
        once();
        try {
            lib.replyNone.invokeExact(req);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private MemorySegment entry(Attr a, double attrTimeout, double entryTimeout) {
        MemorySegment e = scratch.entry;
        e.fill((byte) 0);
        e.set(LONG, Layouts.ENTRY_INO, a.ino());
        e.set(LONG, Layouts.ENTRY_GENERATION, 0);
        Layouts.writeStat(e.asSlice(Layouts.ENTRY_ATTR, Layouts.STAT_SIZE), a);
        e.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, Layouts.ENTRY_ATTR_TIMEOUT, attrTimeout);
        e.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, Layouts.ENTRY_ENTRY_TIMEOUT, entryTimeout);
        return e;
    }

    /** fuse_reply_entry for lookup, mkdir, mknod, symlink, link: the node and how long to cache it. */
    public void replyEntry(Attr a, double attrTimeout, double entryTimeout) {
        once();
        try {
            int rc = (int) lib.replyEntry.invokeExact(req, entry(a, attrTimeout, entryTimeout));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A negative lookup the kernel may cache for {@code timeout} seconds (an entry with ino 0). */
    public void replyNegativeEntry(double timeout) {
        replyEntry(new Attr(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0, timeout);
    }

    private void setFileInfo(long fh, boolean directIo) {
        fi.set(LONG, Layouts.FI_FH, fh);
        int bits = fi.get(INT, Layouts.FI_BITS);
        bits = directIo ? bits | Layouts.FI_DIRECT_IO : bits & ~Layouts.FI_DIRECT_IO;
        fi.set(INT, Layouts.FI_BITS, bits);
    }

    /** fuse_reply_create: the new node and its open handle. */
    public void replyCreate(Attr a, double attrTimeout, double entryTimeout, long fh, boolean directIo) {
        once();
        setFileInfo(fh, directIo);
        try {
            int rc = (int) lib.replyCreate.invokeExact(req, entry(a, attrTimeout, entryTimeout), fi);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public void replyAttr(Attr a, double timeout) {
        once();
        MemorySegment st = scratch.stat;
        Layouts.writeStat(st, a);
        try {
            int rc = (int) lib.replyAttr.invokeExact(req, st, timeout);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public void replyReadlink(String target) {
        once();
        try (Arena a = Arena.ofConfined()) {
            int rc = (int) lib.replyReadlink.invokeExact(req, a.allocateFrom(target, StandardCharsets.UTF_8));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** fuse_reply_open; {@code directIo} bypasses the kernel's page cache for this open file (FOPEN_DIRECT_IO). */
    public void replyOpen(long fh, boolean directIo) {
        once();
        setFileInfo(fh, directIo);
        try {
            int rc = (int) lib.replyOpen.invokeExact(req, fi);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public void replyWrite(long count) {
        once();
        try {
            int rc = (int) lib.replyWrite.invokeExact(req, count);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** fuse_reply_buf with {@code buf[off, off+len)}. */
    public void replyBuf(byte[] buf, int off, int len) {
        once();
        MemorySegment out = scratch.data(len);
        MemorySegment.copy(buf, off, out, ValueLayout.JAVA_BYTE, 0, len);
        try {
            int rc = (int) lib.replyBuf.invokeExact(req, out, (long) len);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** fuse_reply_statfs, sizes in {@code blockSize} units. */
    public void replyStatfs(long blockSize, long blocks, long bfree, long bavail, long files, long ffree,
                            long namemax) {
        once();
        MemorySegment s = scratch.statvfs;
        s.fill((byte) 0);
        s.set(LONG, Layouts.F_BSIZE, blockSize);
        s.set(LONG, Layouts.F_FRSIZE, blockSize);
        s.set(LONG, Layouts.F_BLOCKS, blocks);
        s.set(LONG, Layouts.F_BFREE, bfree);
        s.set(LONG, Layouts.F_BAVAIL, bavail);
        s.set(LONG, Layouts.F_FILES, files);
        s.set(LONG, Layouts.F_FFREE, ffree);
        s.set(LONG, Layouts.F_FAVAIL, ffree);
        s.set(LONG, Layouts.F_NAMEMAX, namemax);
        try {
            int rc = (int) lib.replyStatfs.invokeExact(req, s);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** fuse_reply_ioctl: the ioctl's return value and the {@code _IOR} bytes copied back to the caller. */
    public void replyIoctl(int result, byte[] out) {
        once();
        MemorySegment o = out.length == 0 ? MemorySegment.NULL : scratch.data(out.length);
        if (out.length > 0) {
            MemorySegment.copy(out, 0, o, ValueLayout.JAVA_BYTE, 0, out.length);
        }
        try {
            int rc = (int) lib.replyIoctl.invokeExact(req, result, o, (long) out.length);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public void replyLseek(long off) {
        once();
        try {
            int rc = (int) lib.replyLseek.invokeExact(req, off);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Answers readdir with {@code entries} from index {@code off} on, as many as fit in {@code size}
     * bytes; each entry's cookie is its index + 1, which the kernel sends back as the next offset.
     */
    public void replyDirectory(List<DirEntryOut> entries, long off, long size) {
        once();
        MemorySegment buf = scratch.data((int) Math.min(size, Integer.MAX_VALUE));
        MemorySegment st = scratch.stat;
        long used = 0;
        try (Arena a = Arena.ofConfined()) {
            for (long i = Math.max(off, 0); i < entries.size(); i++) {
                DirEntryOut e = entries.get((int) i);
                st.fill((byte) 0);
                st.set(LONG, Layouts.ST_INO, e.ino());
                st.set(INT, Layouts.ST_MODE, e.typeMode());
                MemorySegment name = a.allocateFrom(e.name(), StandardCharsets.UTF_8);
                long need = (long) lib.addDirentry.invokeExact(req, buf.asSlice(used), size - used, name, st, i + 1);
                if (need > size - used) {
                    break;
                }
                used += need;
            }
            int rc = (int) lib.replyBuf.invokeExact(req, buf, used);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Native buffers one loop thread reuses for every reply. */
    static final class Scratch {
        final Arena arena = Arena.ofAuto();
        final MemorySegment entry = arena.allocate(Layouts.ENTRY_SIZE, 8);
        final MemorySegment stat = arena.allocate(Layouts.STAT_SIZE, 8);
        final MemorySegment statvfs = arena.allocate(Layouts.STATVFS_SIZE, 8);
        final MemorySegment groups = arena.allocate(4 * 256, 4);
        private MemorySegment data = arena.allocate(1 << 20, 4096);

        MemorySegment data(int len) {
            if (data.byteSize() < len) {
                data = arena.allocate(Math.max(len, data.byteSize() * 2), 4096);
            }
            return data;
        }
    }
}
