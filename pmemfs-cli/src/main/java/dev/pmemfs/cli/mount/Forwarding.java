package dev.pmemfs.cli.mount;

import dev.pmemfs.cli.Home;
import dev.pmemfs.cli.InProcess;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.cli.fs.MountedNamespace;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;

/**
 * The client side of {@link ControlSocket}: before a command that a mounted namespace's owner must
 * serve runs here, it is sent to that owner. Those commands are ndctl's inject-error, clear-errors,
 * inject-fault, start-scrub, list and the bus commands (ars-cap, ars-start, ars-status, clear-error), dev corrupt-pfn, badblocks, dev badblocks and recover; a {@code recover} target may be a path
 * under the mount point ({@code /mnt/pm/db} becomes {@code namespace0.0:/db}). Every other command runs
 * here and meets the namespace's owner lock (mkfs, fsck: "in use by pid N (mounted at ...)").
 */
public final class Forwarding {
    private Forwarding() {}

    private static final Set<String> SERVED_BY_OWNER = Set.of("ndctl inject-error", "ndctl clear-errors", "ndctl inject-fault", "ndctl ars-cap", "ndctl ars-start", "ndctl ars-status", "ndctl clear-error", "dev corrupt-pfn",
            "ndctl start-scrub", "ndctl list", "badblocks", "dev badblocks", "recover");

    /** picocli's execution strategy: forward when the owner should serve, else run here. */
    public static int execute(CommandLine.ParseResult pr) {
        return forward(pr).orElseGet(() -> new CommandLine.RunLast().execute(pr));
    }

    static Optional<Integer> forward(CommandLine.ParseResult pr) {
        if (MountedNamespace.SERVED.isBound()) {
            return Optional.empty(); // this is the owner running a forwarded command
        }
        List<String> chain = new ArrayList<>();
        CommandLine.ParseResult leaf = pr;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
            chain.add(leaf.commandSpec().name());
        }
        if (!SERVED_BY_OWNER.contains(String.join(" ", chain)) || leaf.isUsageHelpRequested()
                || leaf.isVersionHelpRequested()) {
            return Optional.empty();
        }
        Path homeDir = leaf.hasMatchedOption("--home") ? leaf.matchedOptionValue("--home", (Path) null) : null;
        Home home = homeDir != null ? Home.at(homeDir) : Home.fromEnvironment();
        List<MountRecord> live = MountRecord.all(home).stream().filter(MountRecord::alive).toList();
        if (live.isEmpty()) {
            return Optional.empty();
        }
        List<String> args = new ArrayList<>(pr.originalArgs());
        List<String> values = new ArrayList<>();
        for (CommandLine.Model.PositionalParamSpec p : leaf.matchedPositionals()) {
            values.addAll(p.stringValues());
        }
        if (leaf.hasMatchedOption("-n")) {
            values.add(leaf.matchedOption("-n").stringValues().getFirst());
        }
        MountRecord target = null;
        for (String v : values) {
            Optional<String> ns = namespaceOf(v);
            if (ns.isPresent()) {
                target = live.stream().filter(r -> r.namespace().equals(ns.get())).findFirst().orElse(null);
                break;
            }
            Path abs = Path.of(v).toAbsolutePath().normalize();
            for (MountRecord r : live) {
                if (abs.startsWith(r.mountPoint())) {
                    String inside = "/" + r.mountPoint().relativize(abs).toString();
                    args.set(args.indexOf(v), r.namespace() + ":" + (inside.equals("/") ? "/" : inside));
                    target = r;
                }
            }
            if (target != null) {
                break;
            }
        }
        if (target == null && values.isEmpty() && Set.of("ndctl list", "ndctl start-scrub").contains(String.join(" ", chain))) {
            target = live.getFirst(); // every namespace: the owner serves its own and opens the others
        }
        if (target == null) {
            return Optional.empty();
        }
        if (homeDir == null) {
            args.add("--home");
            args.add(home.dir().toString());
        }
        Optional<InProcess.Result> r = ControlSocket.send(home, target.namespace(), args);
        if (r.isEmpty()) {
            return Optional.empty();
        }
        PrintWriter out = pr.commandSpec().commandLine().getOut();
        PrintWriter err = pr.commandSpec().commandLine().getErr();
        out.print(r.get().out());
        out.flush();
        err.print(r.get().err());
        err.flush();
        return Optional.of(r.get().exit());
    }

    /** "namespace0.0" for "namespace0.0", "pmem0", "namespace0.0:/x"; empty for anything else. */
    private static Optional<String> namespaceOf(String v) {
        String name = v.contains(":/") ? v.substring(0, v.indexOf(":/")) : v;
        try {
            return Optional.of("namespace" + Home.idOf(name) + ".0");
        } catch (UserException e) {
            return Optional.empty();
        }
    }
}
