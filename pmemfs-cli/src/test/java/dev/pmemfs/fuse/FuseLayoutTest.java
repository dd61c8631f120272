package dev.pmemfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binding's struct offsets are the installed headers' (src/test/c/fuse_layout.c prints them). */
class FuseLayoutTest {
    @Test
    void layoutsMatchTheInstalledHeaders(@TempDir Path dir) throws Exception {
        String cflags = run("pkg-config --cflags fuse3");
        if (cflags == null) {
            System.out.println("libfuse3-dev or pkg-config missing, skipping the layout check");
            Assumptions.assumeTrue(false, "no fuse3 headers");
        }
        Path exe = dir.resolve("fuse_layout");
        String built = run("gcc " + cflags.strip() + " " + Path.of("pmemfs-cli/src/test/c/fuse_layout.c").toAbsolutePath() + " -o " + exe);
        if (built == null) {
            System.out.println("gcc cannot build src/test/c/fuse_layout.c, skipping the layout check");
            Assumptions.assumeTrue(false, "no gcc");
        }
        Map<String, Long> c = new TreeMap<>();
        for (String line : run(exe.toString()).split("\n")) {
            String[] f = line.split(" ");
            if (f.length == 2 && f[1].matches("\\d+")) {
                c.put(f[0], Long.parseLong(f[1]));
            }
        }
        Map<String, Long> java = new LinkedHashMap<>();
        java.put("fuse_lowlevel_ops", Layouts.OPS_SIZE);
        String[] ops = {"init", "destroy", "lookup", "forget", "getattr", "setattr", "readlink", "mknod", "mkdir",
            "unlink", "rmdir", "symlink", "rename", "link", "open", "read", "write", "flush", "release", "fsync",
            "opendir", "readdir", "releasedir", "fsyncdir", "statfs", "create", "ioctl", "forget_multi", "fallocate",
            "lseek"};
        long[] offs = {Layouts.OP_INIT, Layouts.OP_DESTROY, Layouts.OP_LOOKUP, Layouts.OP_FORGET, Layouts.OP_GETATTR,
            Layouts.OP_SETATTR, Layouts.OP_READLINK, Layouts.OP_MKNOD, Layouts.OP_MKDIR, Layouts.OP_UNLINK,
            Layouts.OP_RMDIR, Layouts.OP_SYMLINK, Layouts.OP_RENAME, Layouts.OP_LINK, Layouts.OP_OPEN, Layouts.OP_READ,
            Layouts.OP_WRITE, Layouts.OP_FLUSH, Layouts.OP_RELEASE, Layouts.OP_FSYNC, Layouts.OP_OPENDIR,
            Layouts.OP_READDIR, Layouts.OP_RELEASEDIR, Layouts.OP_FSYNCDIR, Layouts.OP_STATFS, Layouts.OP_CREATE,
            Layouts.OP_IOCTL, Layouts.OP_FORGET_MULTI, Layouts.OP_FALLOCATE, Layouts.OP_LSEEK};
        for (int i = 0; i < ops.length; i++) {
            java.put("fuse_lowlevel_ops." + ops[i], offs[i]);
        }
        java.put("fuse_buf", Layouts.BUF_SIZE);
        java.put("fuse_buf.mem", Layouts.BUF_MEM);
        java.put("fuse_file_info", Layouts.FI_SIZE);
        java.put("fuse_file_info.flags", Layouts.FI_FLAGS);
        java.put("fuse_file_info.fh", Layouts.FI_FH);
        java.put("fuse_entry_param", Layouts.ENTRY_SIZE);
        java.put("fuse_entry_param.ino", Layouts.ENTRY_INO);
        java.put("fuse_entry_param.generation", Layouts.ENTRY_GENERATION);
        java.put("fuse_entry_param.attr", Layouts.ENTRY_ATTR);
        java.put("fuse_entry_param.attr_timeout", Layouts.ENTRY_ATTR_TIMEOUT);
        java.put("fuse_entry_param.entry_timeout", Layouts.ENTRY_ENTRY_TIMEOUT);
        java.put("fuse_ctx.uid", Layouts.CTX_UID);
        java.put("fuse_ctx.gid", Layouts.CTX_GID);
        java.put("fuse_ctx.pid", Layouts.CTX_PID);
        java.put("fuse_ctx.umask", Layouts.CTX_UMASK);
        java.put("stat", Layouts.STAT_SIZE);
        java.put("stat.st_ino", Layouts.ST_INO);
        java.put("stat.st_nlink", Layouts.ST_NLINK);
        java.put("stat.st_mode", Layouts.ST_MODE);
        java.put("stat.st_uid", Layouts.ST_UID);
        java.put("stat.st_gid", Layouts.ST_GID);
        java.put("stat.st_rdev", Layouts.ST_RDEV);
        java.put("stat.st_size", Layouts.ST_SIZE);
        java.put("stat.st_blksize", Layouts.ST_BLKSIZE);
        java.put("stat.st_blocks", Layouts.ST_BLOCKS);
        java.put("stat.st_atim", Layouts.ST_ATIM);
        java.put("stat.st_mtim", Layouts.ST_MTIM);
        java.put("stat.st_ctim", Layouts.ST_CTIM);
        java.put("statvfs", Layouts.STATVFS_SIZE);
        java.put("statvfs.f_bsize", Layouts.F_BSIZE);
        java.put("statvfs.f_frsize", Layouts.F_FRSIZE);
        java.put("statvfs.f_blocks", Layouts.F_BLOCKS);
        java.put("statvfs.f_bfree", Layouts.F_BFREE);
        java.put("statvfs.f_bavail", Layouts.F_BAVAIL);
        java.put("statvfs.f_files", Layouts.F_FILES);
        java.put("statvfs.f_ffree", Layouts.F_FFREE);
        java.put("statvfs.f_favail", Layouts.F_FAVAIL);
        java.put("statvfs.f_namemax", Layouts.F_NAMEMAX);
        java.put("fuse_args", Layouts.ARGS_SIZE);
        java.put("fuse_args.argc", Layouts.ARGS_ARGC);
        java.put("fuse_args.argv", Layouts.ARGS_ARGV);
        java.put("fuse_args.allocated", Layouts.ARGS_ALLOCATED);
        java.put("fuse_conn_info.capable", Layouts.CONN_CAPABLE);
        java.put("fuse_conn_info.want", Layouts.CONN_WANT);
        java.put("fuse_conn_info.max_write", Layouts.CONN_MAX_WRITE);
        java.put("fuse_conn_info.max_readahead", Layouts.CONN_MAX_READAHEAD);
        Map<String, Long> fromC = new LinkedHashMap<>();
        for (String k : java.keySet()) {
            fromC.put(k, c.get(k));
        }
        assertEquals(fromC, java);
        // the bitfield word of fuse_file_info: direct_io and keep_cache as the compiler placed them
        String out = run(exe.toString());
        assertEquals(true, out.contains("direct_io word4 0x" + Integer.toHexString(Layouts.FI_DIRECT_IO)), out);
        assertEquals(true, out.contains("keep_cache word4 0x" + Integer.toHexString(Layouts.FI_KEEP_CACHE)), out);
    }

    /** stdout of {@code sh -c cmd}, or null when it failed. */
    private static String run(String cmd) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return null;
        }
        return p.exitValue() == 0 ? out : null;
    }
}
