package dev.pmemfs.differential;

import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.testing.Gen;
import dev.pmemfs.testing.fileops.FileOp;
import dev.pmemfs.testing.fileops.FileState;
import dev.pmemfs.testing.fileops.FileTarget;
import dev.pmemfs.testing.fileops.ModelFile;
import dev.pmemfs.testing.fileops.OpGenerator;
import dev.pmemfs.testing.fileops.OpResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One sequence of file operations run in lockstep on the reference (a file on real XFS), the
 * in-memory {@link ModelFile} and optionally a subject (a pmemfs file). After every op the answers
 * are compared; every {@code checkEvery} ops and at the end the whole {@link FileState} is.
 *
 * <p>Failures are {@link Divergence}s that tell two verdicts apart: the model disagreeing with XFS
 * means the harness (model or driver) is wrong; the subject disagreeing with XFS is a finding about
 * pmemfs. The message names the seed, the op number, the op as an xfs_io command, every side's
 * answer, both sides' current state and the ops that led there.
 */
final class DifferentialSequence {
    private static final int HISTORY_SHOWN = 60;

    private final String label;
    private final int blockSize;
    private final FileTarget reference;
    private FileTarget subject;
    private final ModelFile model;
    /** What happened since the last op, for messages: empty, or " (after remount)". */
    private String phase = "";
    private final List<FileOp> history = new ArrayList<>();
    private final Map<String, Integer> outcomes = new TreeMap<>();

    /** Who is wrong when a sequence fails. */
    enum Verdict {
        /** The reference model and XFS disagree, or XFS contradicts itself: the harness is wrong. */
        HARNESS,
        /** The subject answers or looks different from XFS: a finding about the subject. */
        SUBJECT
    }

    /** A failed sequence: the verdict, a one-line reason and the ops run up to and including the failing one. */
    static final class Divergence extends AssertionError {
        private static final long serialVersionUID = 1L;
        private final Verdict verdict;
        private final String reason;
        private final transient List<FileOp> ops;

        Divergence(Verdict verdict, String reason, List<FileOp> ops, String message, Throwable cause) {
            super(message, cause);
            this.verdict = verdict;
            this.reason = reason;
            this.ops = List.copyOf(ops);
        }

        Verdict verdict() {
            return verdict;
        }

        String reason() {
            return reason;
        }

        List<FileOp> ops() {
            return ops;
        }
    }

    /**
     * @param label names the run in failure messages ("seed 42")
     * @param subject may be null: then XFS is checked against the model alone (the harness self-test)
     */
    DifferentialSequence(String label, int blockSize, FileTarget reference, FileTarget subject) {
        this.label = Objects.requireNonNull(label, "label");
        this.blockSize = blockSize;
        this.reference = Objects.requireNonNull(reference, "reference");
        this.subject = subject;
        this.model = new ModelFile(blockSize);
    }

    /** Runs {@code count} generated ops, comparing whole states every {@code checkEvery} ops and at the end. */
    void run(Gen gen, OpGenerator ops, int count, int checkEvery) {
        for (int i = 0; i < count; i++) {
            perform(ops.next(gen, model.size()), i, count, checkEvery);
        }
    }

    /** Runs the given ops, comparing whole states every {@code checkEvery} ops and at the end. */
    void replay(List<FileOp> ops, int checkEvery) {
        for (int i = 0; i < ops.size(); i++) {
            perform(ops.get(i), i, ops.size(), checkEvery);
        }
    }

    /**
     * Replaces the subject by its file opened again after {@code event} (an unmount and mount) and
     * compares whole states once more: what pmemfs made durable must still match XFS.
     */
    void reopened(FileTarget again, String event) {
        subject = Objects.requireNonNull(again, "again");
        phase = " (after " + event + ")";
        compareStates();
    }

    /** A failure of the subject outside any op (a failed unmount or mount), with this run's context. */
    Divergence subjectFailed(String what, Throwable cause) {
        return failure(Verdict.SUBJECT, what, List.of(), cause);
    }

    /**
     * How often each kind of op ended how on the reference: keys like "Fcollapse ok" or
     * "Finsert EINVAL", so a test can check the generator reaches every case.
     */
    Map<String, Integer> outcomes() {
        return Map.copyOf(outcomes);
    }

    private void perform(FileOp op, int i, int count, int checkEvery) {
        history.add(op);
        step(op);
        if ((i + 1) % checkEvery == 0 || i == count - 1) {
            compareStates();
        }
    }

    private void step(FileOp op) {
        OpResult ref = op.run(reference);
        String outcome = ref instanceof OpResult.Failed(var errno) ? errno.name() : "ok";
        outcomes.merge(op.getClass().getSimpleName() + " " + outcome, 1, Integer::sum);
        Optional<OpResult> expected = model.apply(op);
        if (expected.isPresent() && !expected.get().equals(ref)) {
            throw failure(Verdict.HARNESS, "the reference model disagrees with " + reference.name()
                    + " (harness bug: model or driver)", List.of(side(reference.name(), ref), side("model", expected.get())), null);
        }
        if (expected.isEmpty()) {
            Optional<String> bad = model.checkSeek(op, ref);
            if (bad.isPresent()) {
                throw failure(Verdict.HARNESS, reference.name() + "'s seek answer is inconsistent with the model's contents: "
                        + bad.get(), List.of(side(reference.name(), ref)), null);
            }
        }
        if (subject == null) {
            return;
        }
        OpResult sub;
        try {
            sub = op.run(subject);
        } catch (RuntimeException e) {
            throw failure(Verdict.SUBJECT, subject.name() + " threw " + e, List.of(side(reference.name(), ref)), e);
        }
        if (!sub.equals(ref)) {
            throw failure(Verdict.SUBJECT, subject.name() + " answers differently from " + reference.name() + ": "
                    + OpResult.describeDifference(sub, ref), List.of(side(subject.name(), sub), side(reference.name(), ref)), null);
        }
    }

    private void compareStates() {
        FileState ref = capture(reference, Verdict.HARNESS);
        if (ref.size() != model.size() || !Arrays.equals(ref.contents(), model.contents())) {
            int at = Arrays.mismatch(ref.contents(), model.contents());
            throw failure(Verdict.HARNESS, reference.name() + " state differs from the reference model (harness bug): size "
                    + ref.size() + " vs model " + model.size() + ", first differing byte " + at, List.of(), null);
        }
        Optional<String> refBad = ref.selfInconsistency(blockSize);
        if (refBad.isPresent()) {
            throw failure(Verdict.HARNESS, reference.name() + " state is inconsistent: " + refBad.get(), List.of(), null);
        }
        if (subject == null) {
            return;
        }
        FileState sub = capture(subject, Verdict.SUBJECT);
        Optional<String> diff = sub.firstDifference(ref);
        if (diff.isPresent()) {
            throw failure(Verdict.SUBJECT, subject.name() + " state differs from " + reference.name() + ": " + diff.get()
                    + " (" + subject.name() + " first)", List.of(), null);
        }
        Optional<String> subBad = sub.selfInconsistency(blockSize);
        if (subBad.isPresent()) {
            throw failure(Verdict.SUBJECT, subject.name() + " state is inconsistent: " + subBad.get(), List.of(), null);
        }
    }

    private FileState capture(FileTarget t, Verdict blame) {
        try {
            return FileState.capture(t, blockSize);
        } catch (ErrnoException | RuntimeException e) {
            throw failure(blame, "capturing the state of " + t.name() + " failed: " + e, List.of(), e);
        }
    }

    private static String side(String name, OpResult r) {
        return String.format("%-7s %s", name + ":", r);
    }

    private Divergence failure(Verdict verdict, String what, List<String> answers, Throwable cause) {
        StringBuilder sb = new StringBuilder();
        int n = history.size();
        sb.append(label).append(", op #").append(n).append(" (").append(history.getLast()).append(")").append(phase)
                .append(": ").append(what);
        for (String a : answers) {
            sb.append("\n  ").append(a);
        }
        sb.append("\n  model:   size ").append(model.size());
        sb.append("\n  ").append(stateLine(reference));
        if (subject != null) {
            sb.append("\n  ").append(stateLine(subject));
        }
        sb.append("\nops (xfs_io syntax)").append(n > HISTORY_SHOWN ? ", last " + HISTORY_SHOWN + " of " + n : "").append(':');
        for (int i = Math.max(0, n - HISTORY_SHOWN); i < n; i++) {
            sb.append("\n  #").append(i + 1).append(' ').append(history.get(i));
        }
        String reason = "op #" + n + " (" + history.getLast() + ")" + phase + ": " + what;
        return new Divergence(verdict, reason, history, sb.toString(), cause);
    }

    private String stateLine(FileTarget t) {
        try {
            return String.format("%-7s %s", t.name() + ":", FileState.capture(t, blockSize).describe());
        } catch (ErrnoException | RuntimeException e) {
            return t.name() + ": state unavailable (" + e + ")";
        }
    }
}
