package dev.pmemfs.mount;

import static dev.pmemfs.mount.FuseScratch.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pmemfs mount} / {@code umount} as a user runs them: a background mount process that owns the
 * namespace, a clean unmount on SIGTERM, and kill -9 during an fsync loop (the stale mount point is
 * detached by umount; the next mount replays the journal; every fsync'ed line is there; fsck clean).
 */
class MountCliTest {
    @Test
    void mountServesUntilUmountAndRefusesBadUse(@TempDir Path dir) throws Exception {
        Cli cli = setUp(dir);
        Path mnt = dir.resolve("mnt");
        try {
            assertTrue(cli.run("mount", "namespace0.0", mnt.toString()).ok().out().contains("mounted at " + mnt));
            sh(dir, "echo hello > mnt/f && cat mnt/f").ok();
            Cli.Result again = cli.run("mount", "namespace0.0", mnt.toString());
            assertEquals(1, again.exit());
            assertTrue(again.err().contains("already mounted at " + mnt), again.err());
            long pid = pid(dir);
            cli.run("umount", mnt.toString()).ok();
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "mount process still running");
            assertEquals(Optional.empty(), MountTable.pmemfsAt(mnt));
            assertEquals("pmem0: clean\n", cli.run("fsck", "namespace0.0").ok().out());
            assertTrue(cli.run("io", "-r", "namespace0.0:/f", "-c", "pread -v 0 6").ok().out().contains("hello"));

            Cli.Result notMounted = cli.run("umount", mnt.toString());
            assertEquals(1, notMounted.exit());
            assertEquals("pmemfs umount: " + mnt + ": not mounted\n", notMounted.err());
            Cli.Result noDir = cli.run("mount", "namespace0.0", dir.resolve("nowhere").toString());
            assertEquals(1, noDir.exit());
            assertTrue(noDir.err().contains("no such directory"), noDir.err());
            assertEquals(1, noDir.err().lines().count(), noDir.err());
        } finally {
            cleanUp(dir, mnt);
        }
    }

    @Test
    void sigtermUnmountsAndFlushes(@TempDir Path dir) throws Exception {
        Cli cli = setUp(dir);
        Path mnt = dir.resolve("mnt");
        try {
            cli.run("mount", "namespace0.0", mnt.toString()).ok();
            sh(dir, "mkdir mnt/d && head -c 1000000 /dev/urandom > src && cp src mnt/d/f").ok();
            ProcessHandle p = ProcessHandle.of(pid(dir)).orElseThrow();
            p.destroy(); // SIGTERM
            p.onExit().get(60, TimeUnit.SECONDS);
            assertEquals(Optional.empty(), MountTable.pmemfsAt(mnt));
            assertFalse(Files.exists(dir.resolve("home/namespace0.0.mount")));
            // unmounted cleanly: nothing left in the journal to replay
            assertEquals("pmem0: clean\n", cli.run("fsck", "namespace0.0").ok().out());
            cli.run("cp", "namespace0.0:/d/f", dir.resolve("back").toString()).ok();
            sh(dir, "cmp src back").ok();
        } finally {
            cleanUp(dir, mnt);
        }
    }

    @Test
    void killDashNineDuringAnFsyncLoopLosesNothingFsynced(@TempDir Path dir) throws Exception {
        Cli cli = setUp(dir);
        Path mnt = dir.resolve("mnt");
        try {
            cli.run("mount", "namespace0.0", mnt.toString()).ok();
            long pid = pid(dir);
            Process writer = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 100000 ]; do i=$((i+1));"
                    + " printf 'line %06d\\n' $i >> mnt/log && sync mnt/log && echo $i > synced || exit 0; done")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (synced(dir) < 30 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(synced(dir) >= 30, "the fsync loop did not get going");
                ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // kill -9
                ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
                assertTrue(writer.waitFor(60, TimeUnit.SECONDS), "the writer did not stop after the server died");
            } finally {
                writer.destroyForcibly();
            }
            int fsynced = synced(dir);
            assertTrue(MountTable.disconnected(mnt), "the mount point should answer ENOTCONN");
            Cli.Result refused = cli.run("mount", "namespace0.0", mnt.toString());
            assertEquals(1, refused.exit());
            assertTrue(refused.err().contains("stale pmemfs mount"), refused.err());
            assertTrue(cli.run("umount", mnt.toString()).ok().out().contains("stale mount of pmemfs:namespace0.0"));
            assertEquals(Optional.empty(), MountTable.pmemfsAt(mnt));

            cli.run("mount", "namespace0.0", mnt.toString()).ok(); // replays the journal
            List<String> lines = Files.readAllLines(mnt.resolve("log"));
            assertTrue(lines.size() >= fsynced, lines.size() + " lines, " + fsynced + " were fsync'ed");
            for (int i = 0; i < fsynced; i++) {
                assertEquals(String.format("line %06d", i + 1), lines.get(i));
            }
            cli.run("umount", mnt.toString()).ok();
            assertEquals("pmem0: clean\n", cli.run("fsck", "namespace0.0").ok().out());
        } finally {
            cleanUp(dir, mnt);
        }
    }

    /**
     * While mounted, ndctl inject-error, badblocks and recover are served by the mount process (its
     * control socket) with their offline output; a program sees EIO at the injected sector, then zeros
     * after recover on a path under the mount point, and the file keeps its blocks; mkfs meets the owner.
     */
    @Test
    void commandsReachTheMountedNamespaceThroughItsOwner(@TempDir Path dir) throws Exception {
        FuseScratch.requireProgram("gcc");
        Cli cli = setUp(dir);
        Path mnt = dir.resolve("mnt");
        try {
            sh(Path.of("").toAbsolutePath(), "gcc -Wall -Iinclude pmemfs-cli/src/test/c/pmemfs_clear.c -o " + dir.resolve("pmemfs_clear")).ok();
            cli.run("mount", "namespace0.0", mnt.toString()).ok();
            sh(dir, "xfs_io -f -c 'pwrite -S 0x61 0 1m' -c fsync mnt/f >/dev/null").ok();
            String before = sh(dir, "./pmemfs_clear -l mnt/f").ok().out();
            String[] extent = before.lines().filter(l -> l.startsWith("extent ")).findFirst().orElseThrow().split(" ");
            long sector = (Long.parseLong(extent[2]) + 100 * 4096 - Long.parseLong(extent[1])) / 512;

            Cli.Result inject = cli.run("ndctl", "inject-error", "namespace0.0", "-B", Long.toString(sector), "-n", "1");
            assertEquals(0, inject.exit(), inject.err());
            FuseScratch.Run dd = sh(dir, "dd if=mnt/f of=/dev/null bs=4k");
            assertTrue(dd.out().contains("Input/output error") && dd.out().contains("100+0 records in"), dd.out());
            Cli.Result bb = cli.run("badblocks", "namespace0.0");
            assertEquals(0, bb.exit(), bb.err());
            assertTrue(bb.out().contains("/f"), bb.out());

            Cli.Result offline = cli.run("recover", "namespace0.0:/f", "--strategy", "unmount-clear");
            assertEquals(1, offline.exit(), offline.out() + offline.err());
            assertTrue(offline.err().contains("is mounted at " + mnt + ": clearing at unmount needs it offline"), offline.err());
            Cli.Result mkfs = cli.run("mkfs", "-f", "namespace0.0");
            assertEquals(75, mkfs.exit());
            assertTrue(mkfs.err().contains("mounted at " + mnt), mkfs.err());

            Cli.Result recover = cli.run("recover", mnt.resolve("f").toString());
            assertEquals(0, recover.exit(), recover.out() + recover.err());
            sh(dir, "xfs_io -f -c 'pwrite -S 0x61 0 1m' -c 'pwrite -S 0 409600 4096' want >/dev/null"
                    + " && cmp want mnt/f").ok();
            String after = sh(dir, "./pmemfs_clear -l mnt/f").ok().out();
            assertEquals(before.lines().filter(l -> l.startsWith("extent")).toList(),
                    after.lines().filter(l -> l.startsWith("extent")).toList(), "the file keeps its blocks");
            assertTrue(after.contains("badblocks 0"), after);
            cli.run("umount", mnt.toString()).ok();
        } finally {
            cleanUp(dir, mnt);
        }
    }

    /**
     * Poison injected from the command line while fio reads the mounted file in a loop: fio stops
     * with EIO at the poisoned block's offset; {@code pmemfs recover} on the mounted path then repairs
     * it online, the file reads zeros there and nothing else changed, its mapping (PMEMFS_IOC_FIEMAP)
     * is the same and {@code pmemfs badblocks} lists nothing.
     */
    @Test
    void fioReadingWhilePoisonIsInjectedSeesEioAtItsOffsetThenRecoverOnline(@TempDir Path dir) throws Exception {
        FuseScratch.requireProgram("gcc");
        FuseScratch.requireProgram("fio");
        Cli cli = setUp(dir);
        Path mnt = dir.resolve("mnt");
        long bad = 300 * 4096L;
        try {
            sh(Path.of("").toAbsolutePath(), "gcc -Wall -Iinclude pmemfs-cli/src/test/c/pmemfs_clear.c -o " + dir.resolve("pmemfs_clear")).ok();
            cli.run("mount", "namespace0.0", mnt.toString()).ok();
            sh(dir, "xfs_io -f -c 'pwrite -S 0x61 0 2m' -c fsync mnt/f >/dev/null").ok();
            String before = sh(dir, "./pmemfs_clear -l mnt/f").ok().out();
            String[] extent = before.lines().filter(l -> l.startsWith("extent ")).findFirst().orElseThrow().split(" ");
            long sector = (Long.parseLong(extent[2]) + bad - Long.parseLong(extent[1])) / 512;

            Process fio = new ProcessBuilder("fio", "--name=reader", "--filename=" + mnt.resolve("f"), "--rw=read",
                    "--bs=4k", "--size=2m", "--ioengine=psync", "--time_based", "--runtime=120", "--thread")
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            String fioOut;
            try {
                waitUntilOpen(fio.pid(), mnt.resolve("f"));
                Thread.sleep(300); // a few passes over the file
                assertTrue(fio.isAlive(), "fio stopped before the injection");
                cli.run("ndctl", "inject-error", "namespace0.0", "-B", Long.toString(sector), "-n", "1").ok();
                fioOut = new String(fio.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(fio.waitFor(60, TimeUnit.SECONDS), "fio did not stop at the poison");
            } finally {
                fio.destroyForcibly();
            }
            assertNotEquals(0, fio.exitValue(), fioOut);
            assertTrue(fioOut.contains("Input/output error: read offset=" + bad + ", buflen=4096"), fioOut);
            assertTrue(cli.run("badblocks", "namespace0.0").ok().out().contains("/f"));

            Cli.Result recover = cli.run("recover", mnt.resolve("f").toString());
            assertEquals(0, recover.exit(), recover.out() + recover.err());
            sh(dir, "xfs_io -f -c 'pwrite -S 0x61 0 2m' -c 'pwrite -S 0 " + bad + " 4096' want >/dev/null"
                    + " && cmp want mnt/f").ok();
            sh(dir, "fio --name=again --filename=mnt/f --rw=read --bs=4k --size=2m --ioengine=psync >/dev/null").ok();
            String after = sh(dir, "./pmemfs_clear -l mnt/f").ok().out();
            assertEquals(before.lines().filter(l -> l.startsWith("extent")).toList(),
                    after.lines().filter(l -> l.startsWith("extent")).toList(), "the file keeps its blocks");
            assertFalse(cli.run("badblocks", "namespace0.0").ok().out().contains("/f"));
            cli.run("umount", mnt.toString()).ok();
            assertEquals("pmem0: clean\n", cli.run("fsck", "namespace0.0").ok().out());
        } finally {
            cleanUp(dir, mnt);
        }
    }

    /**
     * The mount serves requests on several threads: four fio jobs verify what they write to their own
     * files while a shell creates, renames, links and removes directories and a third reads the links,
     * all at once; everything ends as written and fsck finds the image clean after umount.
     */
    @Test
    void parallelProgramsOnTheMultiThreadedMountLeaveAConsistentImage(@TempDir Path dir) throws Exception {
        FuseScratch.requireProgram("fio");
        Cli cli = setUp(dir);
        Path mnt = dir.resolve("mnt");
        try {
            cli.run("mount", "namespace0.0", mnt.toString(), "--threads", "4").ok();
            // The mount answers once the kernel has the filesystem; its workers start (and name themselves)
            // just after, so the count is awaited rather than read once.
            long threads = 0;
            for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; Thread.sleep(50)) {
                threads = fuseWorkers(dir);
                if (threads == 4) {
                    break;
                }
            }
            assertEquals(4, threads, "FUSE worker threads in the mount process");
            sh(dir, "mkdir mnt/par mnt/links").ok();
            Process fio = new ProcessBuilder("sh", "-c", "fio --name=par --directory=mnt/par --numjobs=4 --size=3m"
                    + " --rw=randrw --bs=4k --ioengine=psync --verify=crc32c --do_verify=1 --fsync=32 --output-format=terse")
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            Process names = new ProcessBuilder("sh", "-c", "for i in $(seq 150); do mkdir mnt/t$i && echo $i > mnt/t$i/f"
                    + " && mv mnt/t$i mnt/u$i && ln mnt/u$i/f mnt/links/$i && rm -r mnt/u$i || exit 1; done")
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            Process reader = new ProcessBuilder("sh", "-c", "while kill -0 " + names.pid() + " 2>/dev/null; do"
                    + " cat mnt/links/* >/dev/null 2>&1; ls -R mnt >/dev/null 2>&1; [ $? -lt 2 ] || exit 1; done")
                    // (ls exits 1 when a directory it listed is removed before it descends: minor, as on any fs)
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            try {
                String fioOut = new String(fio.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                String namesOut = new String(names.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(fio.waitFor(120, TimeUnit.SECONDS) && names.waitFor(120, TimeUnit.SECONDS)
                        && reader.waitFor(120, TimeUnit.SECONDS), "the programs did not finish");
                assertEquals(0, fio.exitValue(), fioOut);
                assertEquals(0, names.exitValue(), namesOut);
                assertEquals(0, reader.exitValue());
            } finally {
                fio.destroyForcibly();
                names.destroyForcibly();
                reader.destroyForcibly();
            }
            String want = java.util.stream.IntStream.rangeClosed(1, 150).sorted().mapToObj(i -> i + "\n")
                    .collect(java.util.stream.Collectors.joining());
            assertEquals(want, sh(dir, "for i in $(seq 150); do cat mnt/links/$i; done").ok().out());
            assertEquals("4\n", sh(dir, "ls mnt/par | wc -l").ok().out());
            assertEquals("links\npar\n", sh(dir, "ls mnt").ok().out());
            cli.run("umount", mnt.toString()).ok();
            assertEquals("pmem0: clean\n", cli.run("fsck", "namespace0.0").ok().out());
        } finally {
            cleanUp(dir, mnt);
        }
    }

    /** Waits until process {@code pid} holds {@code file} open (its /proc/PID/fd links). */
    private static void waitUntilOpen(long pid, Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Path fds = Path.of("/proc/" + pid + "/fd");
        while (System.nanoTime() < deadline) {
            try (var links = Files.list(fds)) {
                if (links.anyMatch(l -> {
                    try {
                        return Files.readSymbolicLink(l).equals(file);
                    } catch (java.io.IOException e) {
                        return false;
                    }
                })) {
                    return;
                }
            } catch (java.io.IOException e) {
                throw new AssertionError("process " + pid + " ended before it opened " + file, e);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("process " + pid + " did not open " + file);
    }

    private static int synced(Path dir) throws Exception {
        try {
            String s = Files.readString(dir.resolve("synced")).strip();
            return s.isEmpty() ? 0 : Integer.parseInt(s);
        } catch (java.nio.file.NoSuchFileException | NumberFormatException e) {
            return 0;
        }
    }

    private static Cli setUp(Path dir) throws Exception {
        Optional<String> why = FuseMount.unavailable();
        if (why.isPresent()) {
            System.out.println("FUSE unavailable, skipping: " + why.get());
            Assumptions.assumeTrue(false, why.get());
        }
        Files.createDirectories(dir.resolve("mnt"));
        Cli cli = new Cli(dir.resolve("home"));
        cli.run("ndctl", "create-namespace", "--size", "64m").ok();
        cli.run("mkfs", "namespace0.0").ok();
        return cli;
    }

    private static long pid(Path dir) throws Exception {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(dir.resolve("home/namespace0.0.mount"))) {
            p.load(r);
        }
        return Long.parseLong(p.getProperty("pid"));
    }

    /** Never leave a mount or a mount process behind. */
    private static void cleanUp(Path dir, Path mnt) throws Exception {
        Path rec = dir.resolve("home/namespace0.0.mount");
        if (Files.exists(rec)) {
            ProcessHandle.of(pid(dir)).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (MountTable.anyAt(mnt).isPresent()) {
            MountTable.unmount(mnt, true);
        }
    }

    /** Threads of the mount process named fuse-worker-*. */
    private static long fuseWorkers(Path dir) throws Exception {
        try (var tasks = Files.list(Path.of("/proc/" + pid(dir) + "/task"))) {
            return tasks.filter(t -> {
                try {
                    return Files.readString(t.resolve("comm")).startsWith("fuse-worker-");
                } catch (java.io.IOException e) {
                    return false; // a thread that exited while we listed
                }
            }).count();
        }
    }
}
