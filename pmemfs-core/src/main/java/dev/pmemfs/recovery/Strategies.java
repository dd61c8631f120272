package dev.pmemfs.recovery;

import dev.pmemfs.fs.MountOptions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The recovery designs pmemfs knows, by name, and which one a mount makes best. */
public final class Strategies {
    private static final List<Strategy> ALL = List.of(
            new PunchPwrite(), new PunchFalloc(), new FiemapBlkzeroout(), new UnmountClear(),
            new ZeroRange(), new Zeroinit(), new RecoveryWrite(), new Salvage());

    private Strategies() {}

    /** Every strategy, in the order of the design table (oldest workaround first). */
    public static List<Strategy> all() {
        return ALL;
    }

    public static Optional<Strategy> byName(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** "punch-pwrite|punch-falloc|..." for messages. */
    public static String names() {
        return ALL.stream().map(Strategy::name).collect(Collectors.joining("|"));
    }

    /**
     * The best design the mount offers to an unprivileged user: the explicit zeroinit mode, else
     * recovery write, else ZERO_RANGE wired to zeroinit, else punch + pwrite. Each of the first three
     * repairs in place; the last moves the file.
     */
    public static Strategy best(MountOptions options) {
        String name;
        if (options.zeroinit()) {
            name = "zeroinit";
        } else if (options.recoveryWrite()) {
            name = "recovery-write";
        } else if (options.zeroRange() == MountOptions.ZeroRange.ZEROINIT) {
            name = "zero-range";
        } else {
            name = "punch-pwrite";
        }
        return byName(name).orElseThrow();
    }
}
