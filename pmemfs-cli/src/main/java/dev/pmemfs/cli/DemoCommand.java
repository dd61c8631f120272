package dev.pmemfs.cli;

import dev.pmemfs.cli.mount.MountRecord;
import dev.pmemfs.mount.FuseMount;
import dev.pmemfs.mount.MountTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pmemfs demo}: the seed's story, told by running the real commands on a namespace in a
 * temporary home — poison and its discovery, a file hit by it, the workarounds users have had and why
 * they fall short, and clearing in place as an unprivileged user. Every step checks that the command
 * behaved as the story says; if one does not, the demo stops with exit 1 and names the step.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Tell the pmem poison-recovery story on a temporary emulated namespace.")
public final class DemoCommand implements Callable<Integer> {
    private static final String NS = "namespace0.0";
    private static final String USER = "1000:1000";
    private static final Pattern FIEMAP_ROW =
            Pattern.compile("(?m)^\\s*\\d+: \\[(\\d+)\\.\\.(\\d+)\\]:\\s+(\\d+)\\.\\.(\\d+)");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--keep", description = "Keep the temporary home (its path is printed) instead of deleting it.")
    boolean keep;

    private PrintWriter out;
    private Path home;
    private int step;

    /** A step that did not go as the story says. */
    private static final class StoryBroken extends Exception {
        private static final long serialVersionUID = 1L;

        StoryBroken(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        home = Files.createTempDirectory("pmemfs-demo-");
        try {
            tell();
            out.println();
            out.println("The end: poison cleared in place, by the file's owner, without privilege, and the file kept");
            out.println("its blocks, also for a program reading it on the mount. See 'pmemfs recover --help' for every");
            out.println("design and 'pmemfs study' to measure them.");
            return ExitCodes.OK;
        } catch (StoryBroken e) {
            spec.commandLine().getErr().println("demo: step " + step + " did not behave as the story says: "
                    + e.getMessage() + " (home kept at " + home + ")");
            keep = true;
            return ExitCodes.FAILURE;
        } finally {
            out.flush();
            if (keep) {
                out.println("(home kept at " + home + ")");
            } else {
                deleteTree(home);
            }
        }
    }

    private void tell() throws StoryBroken {
        out.println("pmemfs demo: poison on persistent memory, and how to clear it (temporary home " + home + ")");

        chapter("An NVDIMM namespace, as ndctl makes one (fsdax: /dev/pmem0 and its dax device).");
        ok("ndctl", "create-namespace", "--size", "128m");

        chapter("Poison: the platform reports a media error; the driver marks the sectors bad.");
        inject(NS, "--block", "4096", "--count", "8");
        expectOut(ok("dev", "badblocks", NS), "4096 8");
        say("A read through the block device refuses the bad sectors (pmem_do_read: EIO, no partial data):");
        fails("dev", "read", NS, "--sector", "4096", "--count", "8");

        chapter("Latent poison: nobody knows of it until a scrub (ARS) or a load finds it.");
        inject(NS, "--block", "8192", "--count", "1", "--no-notify");
        expectOut(ok("dev", "badblocks", NS), "4096 8\n");
        ok("ndctl", "start-scrub");
        ok("ndctl", "wait-scrub");
        expectOut(ok("dev", "badblocks", NS), "8192 1");
        say("A sector-aligned write through the driver clears the poison before it writes (pmem_do_write):");
        ok("dev", "write", NS, "--sector", "4096", "--count", "8", "--zero");
        ok("dev", "write", NS, "--sector", "8192", "--count", "1", "--zero");
        expectOut(ok("dev", "badblocks", NS), "");

        chapter("A DAX filesystem on the namespace, and a user's 4 MiB file on it.");
        ok("mkfs", NS);
        ok("io", "-r", NS + ":/", "-c", "chmod 0777");
        ok("io", "-f", "--user", USER, NS + ":/db", "-c", "pwrite -S 0x61 0 4m", "-c", "fsync");
        String map = ok("io", "-r", NS + ":/db", "-c", "fiemap -v");
        long sector = sectorOf(map, 8192);
        say("File offset 8192 of /db lives at sector " + sector + " of pmem0. The media under it goes bad:");
        inject(NS, "--block", Long.toString(sector + 3), "--count", "1");
        say("DAX reads check the whole extent against badblocks: the read fails with EIO, and 0 bytes:");
        expectErr(run(false, "io", "-r", NS + ":/db", "-c", "pread 0 4m"), "pread: Input/output error");
        say("The reverse map names the victim, without root:");
        expectOut(ok("badblocks", NS), "file /db offset 8192 length 4096");
        say("And a plain pwrite over it does not help: on Linux 5.15, DAX writes bail out on poison too.");
        expectErr(run(false, "io", "--user", USER, "-o", "linux-5.15", NS + ":/db", "-c", "pwrite -S 0x62 8192 4096"),
                "pwrite: Input/output error");

        chapter("The workaround users have had: punch a hole, write again (works only because allocation zeroes).");
        ok("recover", NS + ":/db", "--user", USER, "--strategy", "punch-pwrite", "-o", "linux-5.15");
        String moved = ok("io", "-r", NS + ":/db", "-c", "fiemap -v");
        int extents = rows(moved);
        if (extents < 3) {
            throw new StoryBroken("punch + pwrite should split the file, but FIEMAP shows " + extents + " extent(s)");
        }
        say("The file is fragmented (" + extents + " extents where there was 1: bad for RDMA and 2 MiB mappings),");
        say("and the poisoned block went back to free space, still poisoned:");
        expectOut(ok("badblocks", NS), "free space");

        chapter("The other workaround, FIEMAP + BLKZEROOUT, needs the raw device: refused to an ordinary user.");
        String map2 = ok("io", "-r", NS + ":/db", "-c", "fiemap -v");
        long sector2 = sectorOf(map2, 1 << 20);
        inject(NS, "--block", Long.toString(sector2), "--count", "1");
        expectErr(run(false, "recover", NS + ":/db", "--user", USER, "--strategy", "fiemap-blkzeroout"),
                "Permission denied");

        chapter("The proposal: an explicit FALLOC_FL_ZEROINIT_RANGE, backed by dax_zeroinit_range.");
        say("The file's owner zeroes the bad block in place; the media error is cleared; no privilege needed:");
        String before = ok("io", "-r", NS + ":/db", "-c", "fiemap -v");
        ok("io", "--user", USER, NS + ":/db", "-c", "fzeroinit " + (1 << 20) + " 4096");
        String after = ok("io", "-r", NS + ":/db", "-c", "fiemap -v");
        if (!before.equals(after)) {
            throw new StoryBroken("zeroinit changed the file's mapping");
        }
        say("FIEMAP is identical before and after, and the namespace has no bad sector in the file any more:");
        expectOut(ok("badblocks", NS, "--files"), "no known media errors in files");
        ok("io", "-r", "--user", USER, NS + ":/db", "-c", "pread 0 4m");

        chapter("What Linux shipped instead (5.19): a page-aligned pwrite over poison clears it in place.");
        inject(NS, "--block", Long.toString(sector2 + 8), "--count", "1");
        ok("recover", NS + ":/db", "--user", USER, "--strategy", "recovery-write", "-o", "linux-5.19");
        expectOut(ok("badblocks", NS, "--files"), "no known media errors in files");

        mounted();
    }

    /**
     * The namespace as a real filesystem: mounted through FUSE, a real program (dd) reads a file on it,
     * poison injected from the command line reaches it as EIO at the bad block, and the owner's online
     * recover (served by the mount process) repairs it. Skipped in one line where FUSE cannot be used.
     */
    private void mounted() throws StoryBroken {
        chapter("Your own programs on it: the namespace mounted through FUSE.");
        Optional<String> why = FuseMount.unavailable();
        if (why.isEmpty() && !onPath("dd")) {
            why = Optional.of("dd is not installed");
        }
        if (why.isPresent()) {
            say("(skipped: " + why.get() + ")");
            return;
        }
        Path mnt = home.resolve("mnt");
        try {
            Files.createDirectories(mnt);
            ok("io", "-f", "--user", USER, NS + ":/app.dat", "-c", "falloc 0 1m");
            long sector = sectorOf(ok("io", "-r", NS + ":/app.dat", "-c", "fiemap -v"), 409_600);
            ok("mount", NS, mnt.toString());
            say("A program writes the file and reads it back through the mount:");
            program(true, "dd", "if=/dev/urandom", "of=mnt/app.dat", "bs=64k", "count=16", "conv=notrunc,fsync",
                    "status=none");
            program(true, "dd", "if=mnt/app.dat", "of=/dev/null", "bs=4k", "status=none");
            say("From another shell, poison under file offset 409600 (sector " + sector + "), served by the mount process:");
            inject(NS, "--block", Long.toString(sector), "--count", "1");
            say("The program's next read stops with EIO at that block (100 blocks of 4 KiB read):");
            String dd = program(false, "dd", "if=mnt/app.dat", "of=/dev/null", "bs=4k");
            if (!dd.contains("Input/output error") || !dd.contains("100+0 records in")) {
                throw new StoryBroken("dd should stop with EIO after 100 blocks, printed: " + dd.strip());
            }
            say("The owner repairs it online, on the path under the mount point; the program reads the file again:");
            ok("recover", mnt.resolve("app.dat").toString(), "--user", USER);
            program(true, "dd", "if=mnt/app.dat", "of=/dev/null", "bs=4k", "status=none");
            expectOut(ok("badblocks", NS, "--files"), "no known media errors in files");
            ok("umount", mnt.toString());
        } catch (IOException e) {
            throw new StoryBroken("mount point " + mnt + ": " + e.getMessage());
        } finally {
            unmountLeftovers(mnt);
        }
    }

    /** Never leaves a mount or a mount process behind, whatever happened above. */
    private void unmountLeftovers(Path mnt) {
        try {
            MountRecord.live(Home.at(home), NS).ifPresent(r -> ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroy));
            if (MountTable.anyAt(mnt).isPresent()) {
                MountTable.unmount(mnt, true);
            }
        } catch (IOException | RuntimeException e) {
            spec.commandLine().getErr().println("demo: could not check " + mnt + " for a leftover mount: " + e.getMessage());
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a real program in the demo's home (where mnt/ is), prints it and its output, checks its exit. */
    private String program(boolean shouldSucceed, String... cmd) throws StoryBroken {
        step++;
        out.println("$ " + String.join(" ", cmd));
        try {
            Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            String text;
            try {
                text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new StoryBroken("'" + String.join(" ", cmd) + "' did not finish within 60 s");
                }
            } finally {
                p.destroyForcibly();
            }
            text.lines().forEach(l -> out.println("  " + l));
            out.flush();
            if ((p.exitValue() == 0) != shouldSucceed) {
                throw new StoryBroken("'" + String.join(" ", cmd) + "' exited " + p.exitValue()
                        + (shouldSucceed ? "; expected success" : "; expected it to fail"));
            }
            return text;
        } catch (IOException e) {
            throw new StoryBroken("cannot run " + cmd[0] + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoryBroken("interrupted while " + cmd[0] + " ran");
        }
    }

    private void chapter(String title) {
        out.println();
        out.println("== " + title);
    }

    private void say(String line) {
        out.println("   " + line);
    }

    private String ok(String... args) throws StoryBroken {
        return run(true, args).out;
    }

    /** ndctl inject-error, showing only the count from the namespace JSON it prints. */
    private void inject(String... args) throws StoryBroken {
        String[] argv = new String[args.length + 2];
        argv[0] = "ndctl";
        argv[1] = "inject-error";
        System.arraycopy(args, 0, argv, 2, args.length);
        quietNext = true;
        run(true, argv);
    }

    /** Whether the next command's output is cut to the lines that matter to the story. */
    private boolean quietNext;

    private void fails(String... args) throws StoryBroken {
        run(false, args);
    }

    private record Ran(int exit, String out, String err) {}

    /** Runs one pmemfs command in-process, prints it and what it printed, and checks its exit status. */
    private Ran run(boolean shouldSucceed, String... args) throws StoryBroken {
        step++;
        out.println("$ pmemfs " + String.join(" ", quoted(args)));
        List<String> argv = new ArrayList<>(List.of(args));
        argv.add("--home");
        argv.add(home.toString());
        InProcess.Result r = InProcess.run(argv.toArray(String[]::new));
        int exit = r.exit();
        if (quietNext) {
            quietNext = false;
            r.out().lines().filter(l -> l.contains("badblock_count")).forEach(l -> out.println("  ... " + l.strip()
                    + " (namespace JSON cut)"));
        } else {
            r.out().lines().forEach(l -> out.println("  " + l));
        }
        r.err().lines().forEach(l -> out.println("  " + l));
        out.flush();
        if ((exit == 0) != shouldSucceed) {
            throw new StoryBroken("'pmemfs " + String.join(" ", args) + "' exited " + exit
                    + (shouldSucceed ? "; expected success" : "; expected it to fail"));
        }
        return new Ran(exit, r.out(), r.err());
    }

    private static List<String> quoted(String[] args) {
        List<String> q = new ArrayList<>();
        for (String a : args) {
            q.add(a.contains(" ") ? "'" + a + "'" : a);
        }
        return q;
    }

    private static void expectOut(String output, String needle) throws StoryBroken {
        if (needle.isEmpty() ? !output.isEmpty() : !output.contains(needle)) {
            throw new StoryBroken("expected output " + (needle.isEmpty() ? "to be empty" : "containing '" + needle.strip() + "'")
                    + ", got '" + output.strip() + "'");
        }
    }

    private static void expectErr(Ran r, String needle) throws StoryBroken {
        if (!(r.err + r.out).contains(needle)) {
            throw new StoryBroken("expected '" + needle + "', got '" + (r.out + r.err).strip() + "'");
        }
    }

    /** The 512-byte sector of the device that holds file byte {@code fileOffset}, from xfs_io's fiemap output. */
    private static long sectorOf(String fiemap, long fileOffset) throws StoryBroken {
        Matcher m = FIEMAP_ROW.matcher(fiemap);
        long want = fileOffset / 512;
        while (m.find()) {
            long lo = Long.parseLong(m.group(1));
            long hi = Long.parseLong(m.group(2));
            if (want >= lo && want <= hi) {
                return Long.parseLong(m.group(3)) + (want - lo);
            }
        }
        throw new StoryBroken("file offset " + fileOffset + " is not mapped in:\n" + fiemap);
    }

    private static int rows(String fiemap) {
        Matcher m = FIEMAP_ROW.matcher(fiemap);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
