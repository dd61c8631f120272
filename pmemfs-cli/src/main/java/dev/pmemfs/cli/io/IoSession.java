package dev.pmemfs.cli.io;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.vfs.DaxMapping;
import dev.pmemfs.vfs.Syscalls;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * An xfs_io session over one pmemfs process: the open file, the memory mappings, the command table,
 * and the exit status. Commands run in order; a failing command prints its error the way xfs_io does
 * ("pread: Input/output error") and the next one runs; the exit status is 1 when any command failed
 * (xfs_io sets it for most failures, not all; pmemfs sets it for every failed command), 128+7 when the
 * process took SIGBUS from consumed poison, which ends the session. As in xfs_io, a line the command
 * loop refuses before any command runs (an unknown command, a wrong argument count, no open file or
 * no mapping) prints its message and leaves the exit status alone.
 *
 * <p>Mirrors io/init.c and libxcmd/command.c. One file is current at a time (xfs_io's
 * multi-file iteration is not modelled); file names are pmemfs paths ("/dir/file").
 */
public final class IoSession {
    /** What xfs_io prints as its program name in messages that carry one. */
    static final String PROGNAME = "pmemfs";

    /** The open file: descriptor, name as given, open flags. */
    record OpenedFile(int fd, String name, int flags) {}

    /** One mapping: where in the file it starts, and the mapping itself. */
    record Mapping(long offset, long length, int prot, String name, DaxMapping map) {}

    private final Syscalls sys;
    private final PrintWriter out;
    private final PrintWriter err;
    private final LongSupplier nanoClock;
    private final Map<String, IoCmd> commands = new HashMap<>();
    private final List<OpenedFile> files = new ArrayList<>();
    private final List<Mapping> mappings = new ArrayList<>();
    private int current = -1;
    private boolean failed;

    /**
     * @param nanoClock where timing lines read the time from ({@code System::nanoTime} for real runs, a
     *                  fixed step for reproducible output)
     */
    public IoSession(Syscalls sys, PrintWriter out, PrintWriter err, LongSupplier nanoClock) {
        this.sys = Objects.requireNonNull(sys);
        this.out = Objects.requireNonNull(out);
        this.err = Objects.requireNonNull(err);
        this.nanoClock = Objects.requireNonNull(nanoClock);
        for (IoCmd c : IoCommands.all()) {
            commands.put(c.name(), c);
            if (c.altname() != null) {
                commands.put(c.altname(), c);
            }
        }
    }

    /**
     * Opens the file the session starts with, as xfs_io does for its file argument; prints
     * "{@code path: strerror}" and returns false when that fails.
     */
    public boolean openInitial(String path, int flags, int mode) {
        try {
            files.add(new OpenedFile(sys.open(path, flags, mode), path, flags));
            return true;
        } catch (ErrnoException e) {
            err.println(path + ": " + e.errno().text());
            failed = true;
            return false;
        }
    }

    /** Runs each command line in order; returns the exit status. */
    public int run(List<String> commandLines) {
        try {
            for (String line : commandLines) {
                runOne(line);
            }
        } catch (SignalDeath d) {
            out.flush();
            err.println(d.getMessage());
            err.flush();
            return d.exitStatus();
        } finally {
            for (Mapping m : mappings) {
                m.map().close();
            }
            mappings.clear();
        }
        out.flush();
        err.flush();
        return failed ? 1 : 0;
    }

    private void runOne(String line) {
        // breakline(): words separated by single spaces, empty words dropped.
        List<String> argv = new ArrayList<>(Arrays.stream(line.split(" ")).filter(w -> !w.isEmpty()).toList());
        if (argv.isEmpty()) {
            return;
        }
        // libxcmd's command loop refuses these before the command runs; like xfs_io it prints the
        // message and goes on without touching the exit status.
        IoCmd c = commands.get(argv.getFirst());
        if (c == null) {
            err.println("command \"" + argv.getFirst() + "\" not found");
            return;
        }
        if (c.needsFile() && files.isEmpty()) {
            err.println("no files are open, try 'help open'");
            return;
        }
        if (c.needsMapping() && current < 0) {
            err.println("no mapped regions, try 'help mmap'");
            return;
        }
        int n = argv.size() - 1;
        if (n < c.argmin() || (c.argmax() != -1 && n > c.argmax())) {
            if (c.argmax() == -1) {
                err.println("bad argument count " + n + " to " + argv.getFirst() + ", expected at least "
                        + c.argmin() + " arguments");
            } else if (c.argmin() == c.argmax()) {
                err.println("bad argument count " + n + " to " + argv.getFirst() + ", expected " + c.argmin()
                        + " arguments");
            } else {
                err.println("bad argument count " + n + " to " + argv.getFirst() + ", expected between "
                        + c.argmin() + " and " + c.argmax() + " arguments");
            }
            return;
        }
        try {
            c.handler().run(this, argv);
        } catch (ErrnoException e) {
            perror(e.op(), e);
        }
        out.flush();
    }

    // ---- what commands use ----

    Syscalls sys() {
        return sys;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    long now() {
        return nanoClock.getAsLong();
    }

    boolean hasFile() {
        return !files.isEmpty();
    }

    /** The current file (the most recently opened one still open). */
    OpenedFile file() {
        return files.getLast();
    }

    /** open: the new file becomes current; the others stay open, as in xfs_io's file table. */
    void addFile(OpenedFile f) {
        files.add(f);
    }

    /** close: the current file goes; the previously opened one becomes current. */
    OpenedFile removeCurrentFile() {
        return files.removeLast();
    }

    /** The current mapping. */
    Mapping mapping() {
        return mappings.get(current);
    }

    List<Mapping> mappings() {
        return mappings;
    }

    int currentMapping() {
        return current;
    }

    void selectMapping(int i) {
        current = i;
    }

    void addMapping(Mapping m) {
        mappings.add(m);
        current = mappings.size() - 1;
    }

    /** munmap: drops the current mapping; the one after it (or the new last) becomes current. */
    void removeCurrentMapping() {
        mappings.remove(current).map().close();
        if (current >= mappings.size()) {
            current = mappings.size() - 1;
        }
    }

    /** {@code perror(label)}: "label: strerror" on stderr; the session fails. */
    void perror(String label, ErrnoException e) {
        out.flush();
        err.println(label + ": " + e.errno().text());
        failed = true;
    }

    /** A message on stdout that marks the command as failed (xfs_io prints its argument errors there). */
    void failOut(String message) {
        out.println(message);
        failed = true;
    }

    /** A message on stderr that marks the command as failed. */
    void failErr(String message) {
        out.flush();
        err.println(message);
        failed = true;
    }

    /** {@code command_usage}. */
    void usage(String name) {
        failOut(commands.get(name).usage());
    }

    /** Getopt that prints usage after an option error, as the commands' default: branches do. */
    Getopt.Parsed getopt(List<String> argv, String optstring, String cmd) {
        Getopt.Parsed p = Getopt.parse(argv, optstring, err);
        if (p == null) {
            usage(cmd);
        }
        return p;
    }
}
