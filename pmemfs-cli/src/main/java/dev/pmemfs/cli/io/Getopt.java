package dev.pmemfs.cli.io;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * glibc {@code getopt} as xfs_io's commands use it: clustered single-letter options, "x:" options
 * taking the rest of the cluster or the next word, permutation (options may follow operands), "--"
 * ending options. Errors are printed as glibc prints them ("pread: invalid option -- 'z'").
 */
final class Getopt {
    /** One option and its argument (null when it takes none). */
    record Opt(char letter, String arg) {}

    /** What was parsed: options in order, then the operands. */
    record Parsed(List<Opt> opts, List<String> operands) {}

    private Getopt() {}

    /** Parses {@code argv} (argv[0] is the command name); null after printing the error. */
    static Parsed parse(List<String> argv, String optstring, PrintWriter err) {
        List<Opt> opts = new ArrayList<>();
        List<String> operands = new ArrayList<>();
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--")) {
                operands.addAll(argv.subList(i + 1, argv.size()));
                break;
            }
            if (a.length() < 2 || a.charAt(0) != '-') {
                operands.add(a);
                continue;
            }
            for (int j = 1; j < a.length(); j++) {
                char c = a.charAt(j);
                int at = optstring.indexOf(c);
                if (at < 0 || c == ':') {
                    err.println(argv.getFirst() + ": invalid option -- '" + c + "'");
                    return null;
                }
                if (at + 1 < optstring.length() && optstring.charAt(at + 1) == ':') {
                    String arg;
                    if (j + 1 < a.length()) {
                        arg = a.substring(j + 1);
                    } else if (i + 1 < argv.size()) {
                        arg = argv.get(++i);
                    } else {
                        err.println(argv.getFirst() + ": option requires an argument -- '" + c + "'");
                        return null;
                    }
                    opts.add(new Opt(c, arg));
                    break;
                }
                opts.add(new Opt(c, null));
            }
        }
        return new Parsed(List.copyOf(opts), List.copyOf(operands));
    }
}
