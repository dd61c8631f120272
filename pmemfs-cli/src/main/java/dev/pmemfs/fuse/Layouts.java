package dev.pmemfs.fuse;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Offsets and sizes of the C structures the binding reads and writes (x86-64, glibc, libfuse 3.14
 * headers with FUSE_USE_VERSION 35). Declared once here; {@code FuseLayoutTest} compiles a C program
 * against {@code /usr/include/fuse3} and compares every value.
 */
final class Layouts {
    private Layouts() {}

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    /** struct fuse_lowlevel_ops: one function pointer per slot. */
    static final long OPS_SIZE = 352;
    static final long OP_INIT = 0, OP_DESTROY = 8, OP_LOOKUP = 16, OP_FORGET = 24, OP_GETATTR = 32,
            OP_SETATTR = 40, OP_READLINK = 48, OP_MKNOD = 56, OP_MKDIR = 64, OP_UNLINK = 72, OP_RMDIR = 80,
            OP_SYMLINK = 88, OP_RENAME = 96, OP_LINK = 104, OP_OPEN = 112, OP_READ = 120, OP_WRITE = 128,
            OP_FLUSH = 136, OP_RELEASE = 144, OP_FSYNC = 152, OP_OPENDIR = 160, OP_READDIR = 168,
            OP_RELEASEDIR = 176, OP_FSYNCDIR = 184, OP_STATFS = 192, OP_CREATE = 240, OP_IOCTL = 272,
            OP_FORGET_MULTI = 304, OP_FALLOCATE = 320, OP_LSEEK = 344;

    /** struct fuse_file_info. */
    static final long FI_SIZE = 40, FI_FLAGS = 0, FI_BITS = 4, FI_FH = 16;
    static final int FI_DIRECT_IO = 0x2, FI_KEEP_CACHE = 0x4;

    /** struct fuse_entry_param. */
    static final long ENTRY_SIZE = 176, ENTRY_INO = 0, ENTRY_GENERATION = 8, ENTRY_ATTR = 16,
            ENTRY_ATTR_TIMEOUT = 160, ENTRY_ENTRY_TIMEOUT = 168;

    /** struct fuse_ctx. */
    static final long CTX_UID = 0, CTX_GID = 4, CTX_PID = 8, CTX_UMASK = 12;

    /** struct stat. */
    static final long STAT_SIZE = 144, ST_INO = 8, ST_NLINK = 16, ST_MODE = 24, ST_UID = 28, ST_GID = 32,
            ST_RDEV = 40, ST_SIZE = 48, ST_BLKSIZE = 56, ST_BLOCKS = 64, ST_ATIM = 72, ST_MTIM = 88, ST_CTIM = 104;

    /** struct statvfs. */
    static final long STATVFS_SIZE = 112, F_BSIZE = 0, F_FRSIZE = 8, F_BLOCKS = 16, F_BFREE = 24, F_BAVAIL = 32,
            F_FILES = 40, F_FFREE = 48, F_FAVAIL = 56, F_FSID = 64, F_FLAG = 72, F_NAMEMAX = 80;

    /** struct fuse_args. */
    static final long ARGS_SIZE = 24, ARGS_ARGC = 0, ARGS_ARGV = 8, ARGS_ALLOCATED = 16;

    /** struct fuse_buf (fuse_common.h). */
    static final long BUF_SIZE = 40, BUF_MEM = 16;

    /** struct fuse_conn_info. */
    static final long CONN_MAX_WRITE = 8, CONN_MAX_READ = 12, CONN_MAX_READAHEAD = 16, CONN_CAPABLE = 20,
            CONN_WANT = 24, CONN_MAX_BACKGROUND = 28;

    /** Writes {@code a} into a zeroed struct stat at {@code st}. */
    static void writeStat(MemorySegment st, Attr a) {
        st.fill((byte) 0);
        st.set(LONG, ST_INO, a.ino());
        st.set(LONG, ST_NLINK, a.nlink());
        st.set(INT, ST_MODE, a.mode());
        st.set(INT, ST_UID, a.uid());
        st.set(INT, ST_GID, a.gid());
        st.set(LONG, ST_RDEV, a.rdev());
        st.set(LONG, ST_SIZE, a.size());
        st.set(LONG, ST_BLKSIZE, a.blksize());
        st.set(LONG, ST_BLOCKS, a.blocks());
        writeTime(st, ST_ATIM, a.atimeNs());
        writeTime(st, ST_MTIM, a.mtimeNs());
        writeTime(st, ST_CTIM, a.ctimeNs());
    }

    private static void writeTime(MemorySegment st, long off, long ns) {
        st.set(LONG, off, Math.floorDiv(ns, 1_000_000_000L));
        st.set(LONG, off + 8, Math.floorMod(ns, 1_000_000_000L));
    }

    static long readTime(MemorySegment st, long off) {
        return st.get(LONG, off) * 1_000_000_000L + st.get(LONG, off + 8);
    }
}
