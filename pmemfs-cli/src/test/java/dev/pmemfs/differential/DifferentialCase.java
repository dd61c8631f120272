package dev.pmemfs.differential;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.testing.Gen;
import dev.pmemfs.testing.fileops.FileOp;
import dev.pmemfs.testing.fileops.FileTarget;
import dev.pmemfs.testing.fileops.OpGenerator;
import dev.pmemfs.testing.xfs.NativeFile;
import dev.pmemfs.testing.xfs.XfsScratch;
import dev.pmemfs.vfs.Syscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs seeded {@link DifferentialSequence}s on fresh files of the reference and the subject, and turns
 * a failure into a report a developer can act on: the sequence is replayed with a whole-state check
 * after every op to find the exact first op after which the two sides differ, then shrunk (delta
 * debugging, within a time budget) to a short sequence that still diverges, which is replayed once
 * more for its own message.
 */
final class DifferentialCase {
    /** Where the files of one side live. */
    interface Files {
        FileTarget create(String name) throws ErrnoException;

        /** Opens the existing file {@code name} read-write. */
        FileTarget open(String name) throws ErrnoException;

        void remove(String name) throws ErrnoException;

        /** Files in the root of a scratch XFS. */
        static Files onXfs(XfsScratch xfs) {
            return new Files() {
                @Override
                public FileTarget create(String name) throws ErrnoException {
                    return xfs.createFile(name);
                }

                @Override
                public FileTarget open(String name) throws ErrnoException {
                    return NativeFile.open("xfs", xfs.root().resolve(name));
                }

                @Override
                public void remove(String name) {
                    try {
                        java.nio.file.Files.delete(xfs.root().resolve(name));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        }

        /** Files in the root directory of a pmemfs, through the syscalls of the current mount. */
        static Files onPmemfs(Supplier<Syscalls> sys) {
            return new Files() {
                @Override
                public FileTarget create(String name) throws ErrnoException {
                    return PmemfsFile.create(sys.get(), "/" + name);
                }

                @Override
                public FileTarget open(String name) throws ErrnoException {
                    return PmemfsFile.open(sys.get(), "/" + name);
                }

                @Override
                public void remove(String name) throws ErrnoException {
                    sys.get().unlink("/" + name);
                }
            };
        }
    }

    private final Files reference;
    private final Files subject;
    private final int blockSize;
    private final OpGenerator ops;
    private final long minimizeBudgetNanos;
    private final Remount remount;
    private int files;

    /** Unmounts and mounts the subject's filesystem again (its open files must be closed first). */
    interface Remount {
        void run() throws ErrnoException;
    }

    /** {@code subject} may be null (XFS against the model only). */
    DifferentialCase(Files reference, Files subject, int blockSize, OpGenerator ops, long minimizeBudgetMillis) {
        this(reference, subject, blockSize, ops, minimizeBudgetMillis, null);
    }

    private DifferentialCase(Files reference, Files subject, int blockSize, OpGenerator ops, long minimizeBudgetMillis,
                             Remount remount) {
        this.reference = Objects.requireNonNull(reference, "reference");
        this.subject = subject;
        this.blockSize = blockSize;
        this.ops = Objects.requireNonNull(ops, "ops");
        this.minimizeBudgetNanos = minimizeBudgetMillis * 1_000_000L;
        this.remount = remount;
    }

    /**
     * The same comparison, but at the end of every sequence (and replay) the subject's file is closed,
     * its filesystem unmounted and mounted again, the file reopened and the whole states compared once
     * more.
     */
    DifferentialCase remountingAtEnd(Remount hook) {
        if (subject == null) {
            throw new IllegalStateException("no subject to remount");
        }
        return new DifferentialCase(reference, subject, blockSize, ops, minimizeBudgetNanos / 1_000_000L,
                Objects.requireNonNull(hook, "hook"));
    }

    /**
     * Runs {@code count} ops generated from {@code g}, checking whole states every {@code checkEvery};
     * returns the reference's outcome tally, or throws an {@link AssertionError} with the full report.
     */
    Map<String, Integer> run(Gen g, int count, int checkEvery) {
        Outcome outcome = explore(g, count, checkEvery);
        if (outcome instanceof Outcome.Diverged d) {
            throw new AssertionError(d.report(), d.cause());
        }
        return ((Outcome.Agreed) outcome).outcomes();
    }

    /** How a seeded run ended. */
    sealed interface Outcome {
        /** Both sides agreed throughout; the reference's outcome tally. */
        record Agreed(Map<String, Integer> outcomes) implements Outcome {}

        /**
         * They diverged: the verdict, the minimized sequence and its one-line reason (empty when the
         * divergence did not reproduce), and the full report.
         */
        record Diverged(DifferentialSequence.Verdict verdict, List<FileOp> minimal, String reason, String report,
                        DifferentialSequence.Divergence cause) implements Outcome {}
    }

    /** Runs like {@link #run} but returns a divergence, pinpointed and minimized, instead of throwing. */
    Outcome explore(Gen g, int count, int checkEvery) {
        String label = "seed " + g.seed();
        DifferentialSequence.Divergence found;
        try {
            return new Outcome.Agreed(withFiles(label, seq -> seq.run(g, ops, count, checkEvery)));
        } catch (DifferentialSequence.Divergence d) {
            found = d;
        }
        DifferentialSequence.Divergence first = found;
        String note = "";
        if (found.ops().size() > 1) {
            Optional<DifferentialSequence.Divergence> exact = replay(label + " (replayed, state checked after every op)",
                    found.ops(), 1);
            if (exact.isEmpty()) {
                return new Outcome.Diverged(found.verdict(), found.ops(), "",
                        found.getMessage() + "\n\nNOT REPRODUCIBLE: replaying these ops on fresh files did not diverge", found);
            }
            first = exact.get();
            if (first.ops().size() != found.ops().size()) {
                note = "\n(the periodic check saw it after op #" + found.ops().size() + "; replayed with a check after every"
                        + " op, it first shows after op #" + first.ops().size() + ")";
            }
        }
        StringBuilder sb = new StringBuilder(first.getMessage()).append(note);
        List<FileOp> minimal = minimize(first.verdict(), first.ops());
        String reason = first.reason();
        if (minimal.size() < first.ops().size()) {
            Optional<DifferentialSequence.Divergence> small = replay(label + " (minimized)", minimal, 1);
            reason = small.map(DifferentialSequence.Divergence::reason).orElse("(no longer diverges)");
            sb.append("\n\nminimized to ").append(minimal.size()).append(" of ").append(first.ops().size()).append(" ops: ")
                    .append(reason);
            for (FileOp op : minimal) {
                sb.append("\n  ").append(op);
            }
        }
        return new Outcome.Diverged(first.verdict(), minimal, reason, sb.toString(), first);
    }

    /** Replays {@code list} on fresh files; the divergence it ends in, if any. */
    Optional<DifferentialSequence.Divergence> replay(String label, List<FileOp> list, int checkEvery) {
        try {
            withFiles(label, seq -> seq.replay(list, checkEvery));
            return Optional.empty();
        } catch (DifferentialSequence.Divergence d) {
            return Optional.of(d);
        }
    }

    /**
     * Shrinks a diverging sequence by removing chunks of ops (halving the chunk size when nothing
     * more can go) while a replay, with whole states compared only at its end, still diverges with
     * the same verdict. The last op is where the original divergence was seen, so it is kept.
     */
    List<FileOp> minimize(DifferentialSequence.Verdict verdict, List<FileOp> failing) {
        long deadline = System.nanoTime() + minimizeBudgetNanos;
        List<FileOp> current = new ArrayList<>(failing);
        int chunk = Math.max(1, current.size() / 2);
        while (System.nanoTime() < deadline) {
            boolean removed = false;
            for (int start = 0; start < current.size() - 1 && System.nanoTime() < deadline; ) {
                int end = Math.min(start + chunk, current.size() - 1);
                List<FileOp> candidate = new ArrayList<>(current.subList(0, start));
                candidate.addAll(current.subList(end, current.size()));
                Optional<DifferentialSequence.Divergence> d = replay("minimizing", candidate, Integer.MAX_VALUE);
                if (d.isPresent() && d.get().verdict() == verdict) {
                    current = new ArrayList<>(d.get().ops());
                    removed = true;
                } else {
                    start += chunk;
                }
            }
            if (!removed) {
                if (chunk == 1) {
                    break;
                }
                chunk = Math.max(1, chunk / 2);
            }
        }
        return List.copyOf(current);
    }

    private interface Body {
        void accept(DifferentialSequence seq);
    }

    private Map<String, Integer> withFiles(String label, Body body) {
        String name = "diff-" + files++;
        FileTarget ref = null;
        FileTarget sub = null;
        Throwable failure = null;
        try {
            ref = reference.create(name);
            sub = subject == null ? null : subject.create(name);
            DifferentialSequence seq = new DifferentialSequence(label, blockSize, ref, sub);
            body.accept(seq);
            if (remount != null) {
                FileTarget closing = sub;
                sub = null;
                try {
                    closing.close();
                    remount.run();
                } catch (ErrnoException | RuntimeException e) {
                    throw seq.subjectFailed("unmounting and mounting " + closing.name() + " failed: " + e, e);
                }
                try {
                    sub = subject.open(name);
                } catch (ErrnoException e) {
                    throw seq.subjectFailed("reopening " + name + " after the remount failed: " + e, e);
                }
                seq.reopened(sub, "unmount and mount");
            }
            return seq.outcomes();
        } catch (ErrnoException e) {
            failure = new IllegalStateException("creating the files " + name + " of " + label + " failed: " + e, e);
            throw (IllegalStateException) failure;
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            cleanUp(ref, reference, name, failure);
            cleanUp(sub, subject, name, failure);
        }
    }

    /** Closes and removes one side's file; a failure here is suppressed into one already in flight. */
    private static void cleanUp(FileTarget t, Files side, String name, Throwable inFlight) {
        if (t == null) {
            return;
        }
        try {
            t.close();
            side.remove(name);
        } catch (ErrnoException | RuntimeException e) {
            IllegalStateException cleanup = new IllegalStateException("removing " + name + " from " + t.name() + " failed: " + e, e);
            if (inFlight == null) {
                throw cleanup;
            }
            inFlight.addSuppressed(cleanup);
        }
    }
}
