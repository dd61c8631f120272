package dev.pmemfs.mount;

import static dev.pmemfs.mount.FuseScratch.requireProgram;
import static dev.pmemfs.mount.FuseScratch.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.testing.MountedVfs;
import dev.pmemfs.testing.xfs.XfsScratch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real programs on a pmemfs FUSE mount: coreutils, tar, sqlite3, fio's verifier and xfs_io (whose
 * output is compared with the same commands on real XFS). Each test mounts a fresh namespace and
 * always unmounts.
 */
class MountProgramsTest {
    private static final long MIB = 1L << 20;

    @Test
    void cpAndCmpOfALargeFileBothWays(@TempDir Path dir) throws Exception {
        try (FuseScratch m = FuseScratch.mountOrSkip(dir, 128 * MIB, MountOptions.DEFAULTS)) {
            sh(dir, "head -c 40000000 /dev/urandom > src && mkdir mnt/d && cp src mnt/d/big && cmp src mnt/d/big"
                    + " && cp mnt/d/big back && cmp src back").ok();
            assertEquals("40000000\n", sh(dir, "stat -c %s mnt/d/big").ok().out());
            // the same bytes through the syscall layer (no page cache in between)
            assertEquals(40_000_000L, m.stack.root().stat("/d/big").size());
        }
    }

    @Test
    void tarRoundTripOfATreeWithLinksSymlinksAndAFifo(@TempDir Path dir) throws Exception {
        try (FuseScratch m = FuseScratch.mountOrSkip(dir, 64 * MIB, MountOptions.DEFAULTS)) {
            sh(dir, "mkdir -p src/a/b src/c && head -c 100000 /dev/urandom > src/a/b/f1 && echo hi > src/c/f2"
                    + " && : > src/empty && chmod 0640 src/c/f2 && truncate -s 1M src/sparse"
                    + " && ln src/a/b/f1 src/hard && ln src/a/b/f1 src/c/hard2 && ln -s a/b/f1 src/sym"
                    + " && ln -s ../a src/c/dirsym && ln -s /nowhere src/dangling && mkfifo src/fifo"
                    + " && touch -h -d @1000000000 src/sym"
                    // (diff cannot compare fifos: it says "is a fifo while ... is a fifo"; stat checks them below)
                    + " && tar -C src -cf t.tar . && tar -C mnt -xf t.tar && diff -r --no-dereference -x fifo src mnt"
                    + " && tar -C mnt -cf t2.tar . && mkdir out && tar -C out -xf t2.tar && diff -r --no-dereference -x fifo src out").ok();
            assertEquals("640\n", sh(dir, "stat -c %a mnt/c/f2").ok().out());
            // tar stored the second and third names as links to the first, and the symlinks as symlinks
            for (String tree : List.of("mnt", "out")) {
                String ino = sh(dir, "stat -c %i " + tree + "/a/b/f1").ok().out().strip();
                assertEquals(("3 " + ino + "\n").repeat(3),
                        sh(dir, "stat -c '%h %i' " + tree + "/a/b/f1 " + tree + "/hard " + tree + "/c/hard2").ok().out());
                assertEquals("a/b/f1\n../a\n/nowhere\nfifo\n1000000000\n", sh(dir, "readlink " + tree + "/sym " + tree
                        + "/c/dirsym " + tree + "/dangling && stat -c %F " + tree + "/fifo && stat -c %Y " + tree + "/sym").ok().out());
            }
        }
    }

    @Test
    void sqlite3CreatesAndQueriesADatabase(@TempDir Path dir) throws Exception {
        requireProgram("sqlite3");
        try (FuseScratch m = FuseScratch.mountOrSkip(dir, 64 * MIB, MountOptions.DEFAULTS)) {
            sh(dir, "sqlite3 mnt/db.sqlite 'create table t(k integer primary key, v text);"
                    + " with recursive n(i) as (select 1 union all select i+1 from n where i < 5000)"
                    + " insert into t select i, hex(randomblob(50)) from n;'").ok();
            assertEquals("5000|12502500\n", sh(dir, "sqlite3 mnt/db.sqlite 'select count(*), sum(k) from t;'").ok().out());
            assertEquals("ok\n", sh(dir, "sqlite3 mnt/db.sqlite 'pragma integrity_check;'").ok().out());
        }
    }

    @Test
    void fioVerifiesWhatItWrote(@TempDir Path dir) throws Exception {
        requireProgram("fio");
        try (FuseScratch m = FuseScratch.mountOrSkip(dir, 64 * MIB, MountOptions.DEFAULTS)) {
            FuseScratch.Run r = sh(dir, "fio --name=verify --filename=mnt/fio.dat --size=8m --rw=randwrite --bs=4k"
                    + " --ioengine=psync --verify=crc32c --do_verify=1 --fsync=64 --output-format=terse");
            r.ok();
            assertTrue(r.out().startsWith("3;"), r.out()); // terse v3, no errors reported (exit 0)
        }
    }

    /** The same xfs_io commands on pmemfs through FUSE and on real XFS print the same (timings filtered). */
    @Test
    void xfsIoPrintsWhatItPrintsOnXfs(@TempDir Path dir) throws Exception {
        requireProgram("xfs_io");
        String cmds = "-c 'pwrite -S 0x61 0 64k' -c 'pwrite -S 0x62 100000 5000' -c 'pread -v 65530 12'"
                + " -c 'falloc -k 1m 64k' -c 'fpunch 4k 8k' -c 'fzero 32k 4k' -c 'pread -v 4090 12'"
                + " -c 'seek -a -r 0' -c 'truncate 200000' -c 'seek -d 70000' -c 'seek -h 0' -c 'fsync'"
                + " -c 'pread -v 36860 8'";
        Files.createDirectories(dir.resolve("xfs"));
        String onXfs;
        try (XfsScratch xfs = XfsScratch.mountOrSkip(dir.resolve("xfs"))) {
            onXfs = filter(sh(xfs.root(), "xfs_io -f " + cmds + " f").ok().out());
        }
        try (FuseScratch m = FuseScratch.mountOrSkip(dir, 64 * MIB, MountedVfs.LINUX)) {
            assertEquals(onXfs, filter(sh(m.root, "xfs_io -f " + cmds + " f").ok().out()));
        }
    }

    private static String filter(String xfsIo) {
        return xfsIo.replaceAll("(?m)^[0-9.]+ [A-Za-z]+, \\d+ ops; .*$", "XXX");
    }
}
