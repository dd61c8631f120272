package dev.pmemfs.cli.ndctl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pmemfs.cli.ExitCodes;
import dev.pmemfs.cli.Home;
import dev.pmemfs.cli.CredentialsOption;
import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.UserException;
import dev.pmemfs.media.ByteRange;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.PoisonRange;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ndctl inject-error NS}: inject, un-inject or list platform media errors (ndctl/inject-error.c;
 * reference §8.1). Blocks are 512-byte blocks of the namespace's data area. By default only the first
 * {@code clear_err_unit} bytes of each block are poisoned ("sufficient for Linux to mark the whole
 * sector as bad"); {@code --saturate} poisons whole blocks. With notify (the default) the platform
 * reports the error at once, so it is in badblocks when the command prints the namespace;
 * {@code --no-notify} leaves it latent until a scrub or a load finds it.
 */
@Command(name = "inject-error", mixinStandardHelpOptions = true, description = "Inject media errors into a namespace.")
final class InjectErrorCommand implements Callable<Integer> {
    private static final String BOTH = "status is invalid with inject or uninject";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HomeOption homeOption;

    @Mixin
    CredentialsOption credentials;

    @Parameters(arity = "0..1", paramLabel = "NS", description = "The namespace (namespaceN.0).")
    String name;

    @Option(names = {"-B", "--block"}, paramLabel = "BLOCK", description = "First 512-byte block of the data area.")
    String block;

    @Option(names = {"-n", "--count"}, paramLabel = "COUNT", description = "Number of blocks.")
    String count;

    @Option(names = {"-d", "--uninject"}, description = "Un-inject previously injected errors.")
    boolean uninject;

    @Option(names = {"-t", "--status"}, description = "Print the injected errors.")
    boolean status;

    @Option(names = {"-N", "--no-notify"}, description = "The platform does not tell the OS (the error stays latent).")
    boolean noNotify;

    @Option(names = {"-S", "--saturate"}, description = "Poison whole blocks, not one clear unit per block.")
    boolean saturate;

    @Option(names = {"-u", "--human"}, description = "Print block numbers in hex.")
    boolean human;

    @Option(names = {"-v", "--verbose"}, description = "Log each platform command on stderr, as ndctl's debug log does.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        credentials.requireAdmin("ndctl inject-error");
        // inject_init: the argument checks come before the namespace is looked up.
        if (uninject && status) {
            throw new UserException(BOTH, ExitCodes.USAGE);
        }
        if (status && (block != null || count != null || saturate)) {
            throw new UserException(BOTH, ExitCodes.USAGE);
        }
        long blk = 0;
        long cnt = 0;
        if (block != null) {
            blk = strtoull(block);
            if (blk < 0) {
                throw new UserException("Invalid block: " + block, ExitCodes.USAGE);
            }
        }
        if (count != null) {
            cnt = strtoull(count);
            if (cnt <= 0) {
                throw new UserException("Invalid count: " + count, ExitCodes.USAGE);
            }
        }
        if (!status && (block == null || count == null)) {
            throw new UserException("block and count required for inject/uninject", ExitCodes.USAGE);
        }
        if (name == null) {
            throw new UserException("specify a namespace to inject error to (usage: pmemfs ndctl inject-error <namespace> [<options>])",
                    ExitCodes.USAGE);
        }
        Home home = homeOption.home();
        Home.idOf(name);
        if (!home.exists(name)) {
            throw new UserException(name + ": no such namespace");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Namespace ns = home.open(name)) {
            if (status) {
                debug(ns, "ndctl_namespace_injection_status", "%d poison records", ns.poisonRecords().size());
                printStatus(ns, out);
                return 0;
            }
            long blocks = ns.dataSize() >>> 9;
            if (blk > blocks || cnt > blocks - blk) {
                throw new UserException(String.format("%s: block %#x, count %#x are out of bounds (the data area has %#x blocks)",
                        name, blk, cnt, blocks));
            }
            long base = ns.dataOffset() + (blk << 9);
            if (uninject) {
                debug(ns, "ndctl_namespace_uninject_error", "block %#x count %#x: ARS error inject clear at namespace offset %#x length %#x",
                        blk, cnt, base, cnt << 9);
                ns.uninjectError(base, cnt << 9);
                out.println("Warning: Un-injecting previously injected errors here will");
                out.println("not cause the kernel to 'forget' its badblock entries. Those");
                out.println("have to be cleared through the normal process of writing");
                out.println("the affected blocks");
                out.println();
            } else {
                inject(ns, base, cnt, !noNotify);
            }
            out.println(JsonC.pretty(NamespaceJson.of(ns, true, human)));
        }
        return 0;
    }

    private void inject(Namespace ns, long base, long blocks, boolean notify) throws Exception {
        long unit = ns.clearErrUnit();
        if (saturate || unit >= 512) {
            debug(ns, "ndctl_namespace_inject_error", "ARS error inject at namespace offset %#x length %#x%s",
                    base, blocks << 9, notify ? "" : " (no notify)");
            ns.injectError(base, blocks << 9, notify);
            return;
        }
        for (long i = 0; i < blocks; i++) {
            debug(ns, "ndctl_namespace_inject_error", "ARS error inject at namespace offset %#x length %#x%s",
                    base + (i << 9), unit, notify ? "" : " (no notify)");
            ns.injectError(base + (i << 9), unit, notify);
        }
    }

    /** With -v: one line on stderr per platform command, as libndctl's debug log prints ("libndctl: FUNC: ..."). */
    private void debug(Namespace ns, String function, String format, Object... args) {
        if (verbose) {
            spec.commandLine().getErr().println("libndctl: " + function + ": " + ns.name() + ": " + String.format(format, args));
            spec.commandLine().getErr().flush();
        }
    }

    /** {@code injection_status}: records as data-area blocks, merged; nothing printed when none. */
    private void printStatus(Namespace ns, PrintWriter out) {
        List<long[]> merged = new ArrayList<>();
        long start = ns.dataOffset();
        for (PoisonRange p : ns.poisonRecords(start, ns.dataSize())) {
            ByteRange r = p.range();
            long off = r.offset() - start;
            long b = off >>> 9;
            long pad = off - (b << 9);
            long c = (pad + r.length() + 511) >>> 9;
            if (!merged.isEmpty()) {
                long[] last = merged.get(merged.size() - 1);
                if (b <= last[0] + last[1]) {
                    last[1] = Math.max(last[1], b + c - last[0]);
                    continue;
                }
            }
            merged.add(new long[] {b, c});
        }
        if (merged.isEmpty()) {
            return;
        }
        ObjectNode o = JsonC.object();
        ArrayNode arr = o.putArray("badblocks");
        for (long[] m : merged) {
            ObjectNode e = arr.addObject();
            if (human) {
                e.put("block", "0x" + Long.toHexString(m[0]));
                e.put("count", "0x" + Long.toHexString(m[1]));
            } else {
                e.put("block", m[0]);
                e.put("count", m[1]);
            }
        }
        out.println(JsonC.pretty(o));
    }

    /**
     * ndctl's {@code strtoull(s, NULL, 0)}: leading blanks, then 0x for hex, a leading 0 for octal, else
     * decimal; no size suffixes. -1 when the text is not wholly such a number, or does not fit.
     */
    static long strtoull(String s) {
        String t = s.stripLeading();
        int radix = 10;
        if (t.startsWith("0x") || t.startsWith("0X")) {
            radix = 16;
            t = t.substring(2);
        } else if (t.length() > 1 && t.startsWith("0")) {
            radix = 8;
            t = t.substring(1);
        }
        if (t.isEmpty() || !t.chars().allMatch(c -> Character.digit(c, 16) >= 0 && Character.digit(c, 16) < 16)) {
            return -1;
        }
        try {
            return Long.parseLong(t, radix);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
