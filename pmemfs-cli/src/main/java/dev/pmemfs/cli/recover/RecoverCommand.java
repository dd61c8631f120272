package dev.pmemfs.cli.recover;

import dev.pmemfs.cli.ByteSize;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.cli.CredentialsOption;
import dev.pmemfs.cli.fs.MountOptionsOption;
import dev.pmemfs.cli.fs.MountedNamespace;
import dev.pmemfs.cli.fs.Target;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.fs.FileSystem;
import dev.pmemfs.fs.Fsck;
import dev.pmemfs.fs.FsckReport;
import dev.pmemfs.recovery.ClearAtUnmount;
import dev.pmemfs.recovery.Damage;
import dev.pmemfs.recovery.FileRange;
import dev.pmemfs.recovery.Privilege;
import dev.pmemfs.recovery.RecoveryTarget;
import dev.pmemfs.recovery.Strategies;
import dev.pmemfs.recovery.Strategy;
import dev.pmemfs.vfs.Badblock;
import dev.pmemfs.vfs.Credentials;
import dev.pmemfs.vfs.DeviceNodes;
import dev.pmemfs.vfs.Syscalls;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pmemfs recover NS:/path [--strategy NAME] [--range OFF:LEN]} and {@code pmemfs recover NS --all}:
 * repairs the poisoned ranges of files with one recovery design, as the given user, through the
 * interfaces that design gives a user. Without {@code --strategy} it takes the best design the mount
 * offers and says which. It always says which bytes were lost.
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = "Repair the poisoned blocks of a file (or of every damaged file with --all).")
public final class RecoverCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HomeOption homeOption;

    @Mixin
    MountOptionsOption mountOptions;

    @Mixin
    CredentialsOption credentials;

    @Parameters(index = "0", paramLabel = "NS:/PATH|NS", description = "A file (NS:/path), or a namespace with --all.")
    String target;

    @Option(names = "--strategy", paramLabel = "NAME",
            description = "punch-pwrite, punch-falloc, fiemap-blkzeroout, unmount-clear, zero-range, zeroinit or "
                    + "recovery-write (default: the best the mount offers).")
    String strategyName;

    @Option(names = "--range", paramLabel = "OFF:LEN",
            description = "Repair this file range (rounded out to 4 KiB blocks) instead of the known bad ranges.")
    String range;

    @Option(names = "--all", description = "Repair every damaged file of the namespace.")
    boolean all;

    @Override
    public Integer call() throws Exception {
        Credentials cred = credentials.credentials();
        String nsName;
        String path = null;
        if (all) {
            if (range != null) {
                throw new UserException("--range names a range of one file; it cannot go with --all", ExitCodes.USAGE);
            }
            nsName = target.contains(":") ? Target.parse(target).namespace() : target;
        } else {
            if (!Target.looksLike(target)) {
                throw new UserException("'" + target + "' is not NS:/path (use --all to repair a whole namespace)",
                        ExitCodes.USAGE);
            }
            Target t = Target.parse(target);
            nsName = t.namespace();
            path = t.path();
        }
        FileRange asked = range == null ? null : parseRange(range);
        Strategy chosen = strategyName == null ? null : Strategies.byName(strategyName).orElseThrow(() ->
                new UserException("unknown strategy '" + strategyName + "' (known: " + Strategies.names() + ")",
                        ExitCodes.USAGE));
        PrintWriter out = spec.commandLine().getOut();
        try (MountedNamespace m = MountedNamespace.open(homeOption.home(), nsName, mountOptions.text())) {
            Strategy strategy = chosen != null ? chosen : Strategies.best(m.options());
            Map<String, List<FileRange>> work = new LinkedHashMap<>();
            int otherHits = 0;
            if (all) {
                for (Damage.Hit h : Damage.find(m.vfs().fileSystem())) {
                    switch (h) {
                        case Damage.FileHit f -> work.computeIfAbsent(f.path(), k -> new ArrayList<>()).add(f.range());
                        case Damage.MetadataHit md -> out.println("not a file: sectors " + (md.deviceOffset() >>> 9)
                                + "+" + (md.length() >>> 9) + " hold " + md.structure()
                                + "; run 'pmemfs fsck', or clear at unmount (admin)");
                        case Damage.FreeHit fr -> out.println("free space: sectors " + (fr.deviceOffset() >>> 9) + "+"
                                + (fr.length() >>> 9) + " (the allocator clears them when it reuses them)");
                    }
                    otherHits += h instanceof Damage.FileHit ? 0 : 1;
                }
                if (strategy.privilege() == Privilege.ADMIN) {
                    return clearAllOffline(m, cred, work, work.isEmpty() && otherHits == 0, out);
                }
            } else {
                work.put(path, asked != null ? List.of(asked) : badRangesOf(m, cred, path));
            }
            if (chosen == null && work.values().stream().anyMatch(r -> !r.isEmpty())) {
                out.println("strategy: " + strategy.name() + " (the best this mount offers: " + m.options().toText() + ")");
            }
            int failures = 0;
            for (Map.Entry<String, List<FileRange>> e : work.entrySet()) {
                if (e.getValue().isEmpty()) {
                    out.println(nsName + ":" + e.getKey() + ": no known media errors in this file; nothing to do");
                    continue;
                }
                try {
                    report(out, nsName, e.getKey(), strategy.recover(target(m, cred, e.getKey()), e.getValue()));
                } catch (ErrnoException ex) {
                    if (!all) {
                        throw failure(nsName, e.getKey(), strategy, ex);
                    }
                    spec.commandLine().getErr().println("recover: " + failure(nsName, e.getKey(), strategy, ex).getMessage());
                    failures++;
                }
            }
            if (strategy.privilege() == Privilege.ADMIN && !work.values().stream().allMatch(List::isEmpty)) {
                failures += checkAfterClear(m, out);
            }
            return failures == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }

    /** The file's known media errors, asked as the user asks them: through an open descriptor. */
    private static List<FileRange> badRangesOf(MountedNamespace m, Credentials cred, String path) throws ErrnoException {
        Syscalls sys = m.vfs().process(cred);
        int fd = sys.open(path, Syscalls.O_RDONLY, 0);
        try {
            if (sys.fstat(fd).isDirectory()) {
                throw new ErrnoException(Errno.EISDIR, "recover", path + " is a directory: recover repairs the blocks "
                        + "of regular files (a directory's blocks are metadata: see 'pmemfs badblocks')");
            }
            List<FileRange> out = new ArrayList<>();
            for (Badblock b : sys.badblocks(fd)) {
                out.add(new FileRange(b.offset(), b.length()));
            }
            return out;
        } finally {
            sys.close(fd);
        }
    }

    private static RecoveryTarget target(MountedNamespace m, Credentials cred, String path) {
        return new RecoveryTarget(m.vfs().process(cred), path,
                () -> DeviceNodes.open(m.pmem().block(), cred, true),
                () -> {
                    ClearAtUnmount.requireAdmin(cred);
                    try {
                        return m.clearErrorsOffline();
                    } catch (UserException e) {
                        throw new ErrnoException(Errno.EIO, "mount", e.getMessage());
                    }
                });
    }

    /**
     * {@code recover NS --all --strategy unmount-clear}: one offline clear for the whole namespace —
     * file data, metadata and free space alike — then which file bytes it left undefined, then fsck.
     */
    private int clearAllOffline(MountedNamespace m, Credentials cred, Map<String, List<FileRange>> files,
                                boolean nothingKnown, PrintWriter out) throws UserException, ErrnoException {
        if (nothingKnown) {
            out.println(m.namespace().name() + ": no known media errors; nothing to clear");
            return ExitCodes.OK;
        }
        try {
            ClearAtUnmount.requireAdmin(cred);
        } catch (ErrnoException e) {
            throw new UserException(m.namespace().name() + ": unmount-clear failed: " + e.getMessage());
        }
        long cleared = m.clearErrorsOffline();
        out.println("cleared " + cleared + " bytes of media errors on " + m.namespace().name()
                + " with the filesystem unmounted (metadata and free space included)");
        for (Map.Entry<String, List<FileRange>> e : files.entrySet()) {
            for (FileRange r : e.getValue()) {
                out.println("  " + e.getKey() + ": data lost at offset " + r.offset() + " length " + r.length()
                        + " (now holds undefined content, not zeros)");
            }
        }
        return checkAfterClear(m, out) == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /**
     * After clear at unmount, metadata that was poisoned holds whatever the poison left: run a read-only
     * fsck at once so that damage is reported here, not found later by a checksum. Returns 1 on damage.
     */
    private static int checkAfterClear(MountedNamespace m, PrintWriter out) throws ErrnoException {
        m.vfs().fileSystem().syncfs();
        FsckReport r = Fsck.check(m.pmem().dax(), m.pmem().block(), false);
        if (r.clean()) {
            out.println("fsck after the clear: no metadata damage");
            return 0;
        }
        for (String f : r.findings()) {
            out.println("fsck after the clear: " + f);
        }
        out.println("fsck after the clear: " + r.errors() + " error(s): the clear left damaged metadata; run 'pmemfs fsck "
                + m.namespace().name() + " --repair'");
        return 1;
    }

    private static void report(PrintWriter out, String ns, String path, Strategy.Outcome o) {
        out.println("recovered " + ns + ":" + path + " with " + o.strategy() + ": " + o.note());
        for (FileRange r : o.lost()) {
            out.println("  data lost at offset " + r.offset() + " length " + r.length()
                    + (o.undefinedContent() ? " (now holds undefined content, not zeros)" : " (now reads as zeros)"));
        }
    }

    private static UserException failure(String ns, String path, Strategy s, ErrnoException e) {
        String hint = switch (e.errno()) {
            case EACCES, EPERM -> "; " + s.name() + " needs " + s.privilege().text();
            case EOPNOTSUPP -> "; this mount does not offer it (see -o, e.g. -o pmemfs)";
            case EIO -> "; the data path refused the poisoned range (try another --strategy)";
            default -> "";
        };
        return new UserException(ns + ":" + path + ": " + s.name() + " failed: " + e.getMessage() + hint);
    }

    /**
     * The largest end a repaired range may have: the last whole block below the largest file offset
     * (XFS's s_maxbytes, 2^63-1), so the range rounded out to blocks is a range of a possible file.
     */
    static final long MAX_RANGE_END = Long.MAX_VALUE / FileSystem.BLOCK_SIZE * FileSystem.BLOCK_SIZE;

    /**
     * {@code OFF:LEN} with size suffixes, rounded out to whole 4 KiB blocks. A range that does not fit in
     * a file (its end, rounded up to a block, beyond {@link #MAX_RANGE_END}) is a usage error, computed
     * without overflow: {@code off > MAX_RANGE_END - len}.
     */
    static FileRange parseRange(String text) throws UserException {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new UserException("--range '" + text + "' is not OFF:LEN (e.g. 1m:4k)", ExitCodes.USAGE);
        }
        long off = ByteSize.parse("--range offset", text.substring(0, colon));
        long len = ByteSize.parse("--range length", text.substring(colon + 1));
        if (len <= 0) {
            throw new UserException("--range length must be positive", ExitCodes.USAGE);
        }
        if (len > MAX_RANGE_END || off > MAX_RANGE_END - len) {
            throw new UserException("--range '" + text + "' ends beyond the last whole 4 KiB block a file can have (it ends at "
                    + MAX_RANGE_END + "); give a range inside the file", ExitCodes.USAGE);
        }
        long start = off / FileSystem.BLOCK_SIZE * FileSystem.BLOCK_SIZE;
        long end = Math.ceilDiv(off + len, FileSystem.BLOCK_SIZE) * FileSystem.BLOCK_SIZE;
        return new FileRange(start, end - start);
    }
}
