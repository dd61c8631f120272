package dev.pmemfs.cli.fs;

import dev.pmemfs.cli.HomeOption;
import dev.pmemfs.cli.CredentialsOption;
import dev.pmemfs.vfs.Stat;
import dev.pmemfs.vfs.Syscalls;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code pmemfs ls NS:/dir}: one line per entry, as {@code ls -ln} prints them (mode, links, uid, gid,
 * size, name); a file argument lists just that file.
 */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List a directory of a namespace's filesystem.")
public final class LsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HomeOption homeOption;

    @Mixin
    MountOptionsOption mountOptions;

    @Mixin
    CredentialsOption credentials;

    @Parameters(index = "0", paramLabel = "NS:/path", description = "Directory (or file) to list.")
    String target;

    @Override
    public Integer call() throws Exception {
        Target t = Target.parse(target);
        PrintWriter out = spec.commandLine().getOut();
        try (MountedNamespace m = MountedNamespace.open(homeOption.home(), t.namespace(), mountOptions.text())) {
            Syscalls p = m.vfs().process(credentials.credentials());
            Stat st = p.stat(t.path());
            if (!st.isDirectory()) {
                out.println(line(st, t.path()));
                return 0;
            }
            List<String> names = p.readdir(t.path());
            String dir = t.path().endsWith("/") ? t.path() : t.path() + "/";
            for (String n : names) {
                out.println(line(p.stat(dir + n), n));
            }
        }
        return 0;
    }

    static String line(Stat st, String name) {
        return modeString(st.mode()) + " " + st.nlink() + " " + st.uid() + " " + st.gid() + " " + st.size() + " " + name;
    }

    /** {@code ls}'s mode column: type letter, then rwx per class with s/S and t/T for the special bits. */
    static String modeString(int mode) {
        StringBuilder b = new StringBuilder(10);
        b.append((mode & Stat.S_IFMT) == Stat.S_IFDIR ? 'd' : '-');
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            b.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        special(b, 3, (mode & 04000) != 0, 's');
        special(b, 6, (mode & 02000) != 0, 's');
        special(b, 9, (mode & 01000) != 0, 't');
        return b.toString();
    }

    private static void special(StringBuilder b, int at, boolean set, char letter) {
        if (set) {
            b.setCharAt(at, b.charAt(at) == '-' ? Character.toUpperCase(letter) : letter);
        }
    }
}
