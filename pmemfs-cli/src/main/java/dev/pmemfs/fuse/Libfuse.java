package dev.pmemfs.fuse;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/** Downcall handles of the libfuse3 functions the binding calls (fuse_lowlevel.h). */
final class Libfuse {
    static final String LIBRARY = "libfuse3.so.3";

    final MethodHandle sessionNew;      // struct fuse_session *fuse_session_new(args, ops, op_size, userdata)
    final MethodHandle sessionMount;    // int fuse_session_mount(se, mountpoint)
    final MethodHandle sessionLoop;     // int fuse_session_loop(se)
    final MethodHandle sessionReceiveBuf; // int fuse_session_receive_buf(se, struct fuse_buf *)
    final MethodHandle sessionProcessBuf; // void fuse_session_process_buf(se, const struct fuse_buf *)
    final MethodHandle sessionExited;     // int fuse_session_exited(se)
    final MethodHandle sessionReset;      // void fuse_session_reset(se)
    final MethodHandle free;              // void free(void *) (libc: frees fuse_buf.mem)
    final MethodHandle sessionExit;     // void fuse_session_exit(se)
    final MethodHandle sessionUnmount;  // void fuse_session_unmount(se)
    final MethodHandle sessionDestroy;  // void fuse_session_destroy(se)
    final MethodHandle replyErr;        // int fuse_reply_err(req, err)
    final MethodHandle replyNone;       // void fuse_reply_none(req)
    final MethodHandle replyEntry;      // int fuse_reply_entry(req, const struct fuse_entry_param *)
    final MethodHandle replyCreate;     // int fuse_reply_create(req, entry, fi)
    final MethodHandle replyAttr;       // int fuse_reply_attr(req, const struct stat *, double timeout)
    final MethodHandle replyReadlink;   // int fuse_reply_readlink(req, const char *)
    final MethodHandle replyOpen;       // int fuse_reply_open(req, fi)
    final MethodHandle replyWrite;      // int fuse_reply_write(req, size_t)
    final MethodHandle replyBuf;        // int fuse_reply_buf(req, const char *, size_t)
    final MethodHandle replyStatfs;     // int fuse_reply_statfs(req, const struct statvfs *)
    final MethodHandle replyIoctl;      // int fuse_reply_ioctl(req, int result, const void *, size_t)
    final MethodHandle replyLseek;      // int fuse_reply_lseek(req, off_t)
    final MethodHandle reqCtx;          // const struct fuse_ctx *fuse_req_ctx(req)
    final MethodHandle reqGetgroups;    // int fuse_req_getgroups(req, int size, gid_t list[])
    final MethodHandle addDirentry;     // size_t fuse_add_direntry(req, buf, bufsize, name, stbuf, off)
    final MethodHandle notifyInvalInode; // int fuse_lowlevel_notify_inval_inode(se, ino, off_t, off_t)

    private Libfuse(SymbolLookup lib) {
        Linker l = Linker.nativeLinker();
        sessionNew = h(l, lib, "fuse_session_new", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        sessionMount = h(l, lib, "fuse_session_mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        sessionLoop = h(l, lib, "fuse_session_loop", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        sessionReceiveBuf = h(l, lib, "fuse_session_receive_buf", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        sessionProcessBuf = h(l, lib, "fuse_session_process_buf", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        sessionExited = h(l, lib, "fuse_session_exited", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        sessionReset = h(l, lib, "fuse_session_reset", FunctionDescriptor.ofVoid(ADDRESS));
        free = h(l, l.defaultLookup(), "free", FunctionDescriptor.ofVoid(ADDRESS));
        sessionExit = h(l, lib, "fuse_session_exit", FunctionDescriptor.ofVoid(ADDRESS));
        sessionUnmount = h(l, lib, "fuse_session_unmount", FunctionDescriptor.ofVoid(ADDRESS));
        sessionDestroy = h(l, lib, "fuse_session_destroy", FunctionDescriptor.ofVoid(ADDRESS));
        replyErr = h(l, lib, "fuse_reply_err", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        replyNone = h(l, lib, "fuse_reply_none", FunctionDescriptor.ofVoid(ADDRESS));
        replyEntry = h(l, lib, "fuse_reply_entry", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        replyCreate = h(l, lib, "fuse_reply_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        replyAttr = h(l, lib, "fuse_reply_attr", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_DOUBLE));
        replyReadlink = h(l, lib, "fuse_reply_readlink", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        replyOpen = h(l, lib, "fuse_reply_open", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        replyWrite = h(l, lib, "fuse_reply_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        replyBuf = h(l, lib, "fuse_reply_buf", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        replyStatfs = h(l, lib, "fuse_reply_statfs", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        replyIoctl = h(l, lib, "fuse_reply_ioctl", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG));
        replyLseek = h(l, lib, "fuse_reply_lseek", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        reqCtx = h(l, lib, "fuse_req_ctx", FunctionDescriptor.of(ADDRESS, ADDRESS));
        reqGetgroups = h(l, lib, "fuse_req_getgroups", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        addDirentry = h(l, lib, "fuse_add_direntry",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
        notifyInvalInode = h(l, lib, "fuse_lowlevel_notify_inval_inode",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }

    private static MethodHandle h(Linker l, SymbolLookup lib, String name, FunctionDescriptor fd) {
        return l.downcallHandle(lib.find(name).orElseThrow(() -> new UnsatisfiedLinkError(LIBRARY + ": no " + name)), fd);
    }

    private static volatile Libfuse instance;

    /** The loaded library, or empty when libfuse3 is not installed (the reason is in {@link #whyMissing()}). */
    static synchronized Optional<Libfuse> load() {
        if (instance == null) {
            try {
                instance = new Libfuse(SymbolLookup.libraryLookup(LIBRARY, Arena.global()));
            } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
                whyMissing = LIBRARY + " cannot be loaded (" + e.getMessage() + "); install the Debian package libfuse3-3";
                return Optional.empty();
            }
        }
        return Optional.of(instance);
    }

    private static volatile String whyMissing;

    static String whyMissing() {
        return whyMissing;
    }
}
