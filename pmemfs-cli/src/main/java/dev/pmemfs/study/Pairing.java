package dev.pmemfs.study;

import dev.pmemfs.fs.MkfsOptions;
import dev.pmemfs.fs.MountOptions;
import dev.pmemfs.fs.MountOptions.Profile;
import dev.pmemfs.recovery.Privilege;
import dev.pmemfs.recovery.Strategies;
import dev.pmemfs.recovery.Strategy;
import dev.pmemfs.vfs.Credentials;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A strategy and the kernel it runs under: the mount profile that offers the design as a user of that
 * kernel would have it. The default table ({@link #defaults()}) is what {@code pmemfs study} runs:
 * every design on Linux 5.19 (where ZERO_RANGE means unwritten extents), the explicit ZEROINIT mode on
 * the reviewer's {@code rfc-zeroinit}, ZERO_RANGE a second time on the seed's {@code rfc-zero-range},
 * pmemfs's own salvage on the {@code pmemfs} profile (no Linux kernel has it), and clear at unmount and
 * salvage once more on a pmemfs made with {@code meta_replicas=2} (self-healing metadata; the
 * {@code linux-*} rows keep Linux's one copy, so the comparison stays honest).
 *
 * @param strategy the recovery design
 * @param profile  the mount profile of the filesystem it runs on
 * @param format   mkfs's format options ({@code meta_replicas=2}), "" for the defaults
 */
public record Pairing(Strategy strategy, Profile profile, String format) {
    public Pairing {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(format, "format");
        // Refuses what mkfs would refuse, and mount options: the profile alone says how the filesystem mounts.
        if (!MkfsOptions.parse(format, MkfsOptions.DEFAULTS).defaults().equals(MkfsOptions.DEFAULTS.defaults())) {
            throw new IllegalArgumentException("'" + format + "' is not a format option (meta_replicas=1|2)");
        }
    }

    public Pairing(Strategy strategy, Profile profile) {
        this(strategy, profile, "");
    }

    /** Replicated metadata, the pmemfs format option the extra default rows run on. */
    static final String REPLICAS = "meta_replicas=2";

    /** The default table, in the design table's order (11 runs). */
    public static List<Pairing> defaults() {
        List<Pairing> out = new ArrayList<>();
        for (Strategy s : Strategies.all()) {
            for (Profile p : defaultProfiles(s.name())) {
                out.add(new Pairing(s, p));
            }
            if (s.name().equals("unmount-clear") || s.name().equals("salvage")) {
                out.add(new Pairing(s, Profile.PMEMFS, REPLICAS));
            }
        }
        return out;
    }

    private static List<Profile> defaultProfiles(String strategy) {
        return switch (strategy) {
            case "zeroinit" -> List.of(Profile.RFC_ZEROINIT);
            case "salvage" -> List.of(Profile.PMEMFS);
            case "zero-range" -> List.of(Profile.LINUX_5_19, Profile.RFC_ZERO_RANGE);
            default -> List.of(Profile.LINUX_5_19);
        };
    }

    /**
     * Parses {@code --strategies}: {@code all}, or a comma list of strategy names (each with its default
     * profiles) or {@code NAME@PROFILE} (that one pairing). A word with {@code =} that follows
     * {@code NAME@PROFILE} is a format option of that pairing's mkfs ({@code salvage@pmemfs,meta_replicas=2}).
     * Duplicates are dropped, order kept.
     *
     * @throws IllegalArgumentException one line naming the bad word and the valid names; also for a list
     *     that names no strategy at all (empty, blank, or only commas) or has an empty word
     */
    public static List<Pairing> parse(String text) {
        String valid = "(valid: " + Strategies.names() + ", all)";
        // split with limit -1 keeps every empty word, so "a,,b" and ",,," are seen for what they are.
        String[] words = text == null ? new String[0] : text.split(",", -1);
        if (Arrays.stream(words).allMatch(String::isBlank)) {
            throw new IllegalArgumentException("no strategies given" + (text == null || text.isEmpty() ? " "
                    : " in '" + text + "' ") + valid);
        }
        List<Pairing> out = new ArrayList<>();
        Pairing last = null;
        for (String word : words) {
            if (word.isBlank()) {
                throw new IllegalArgumentException("empty strategy name in '" + text + "' " + valid);
            }
            String w = word.strip().toLowerCase(Locale.ROOT);
            if (w.contains("=") && !w.contains("@")) {
                if (last == null) {
                    throw new IllegalArgumentException("format option '" + word.strip() + "' in '" + text
                            + "' follows no NAME@PROFILE (write e.g. salvage@pmemfs," + word.strip() + ")");
                }
                if (last.profile().text().startsWith("linux-")) {
                    throw new IllegalArgumentException("format option '" + word.strip() + "' on " + last.text()
                            + ": the linux-* profiles keep Linux's format (use the pmemfs profile)");
                }
                Pairing with;
                try {
                    with = new Pairing(last.strategy(), last.profile(),
                            last.format().isEmpty() ? w : last.format() + "," + w);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("format option '" + word.strip() + "' in '" + text + "': "
                            + e.getMessage());
                }
                out.set(out.size() - 1, with);
                last = with;
                continue;
            }
            last = null;
            if (w.equals("all")) {
                out.addAll(defaults());
                continue;
            }
            int at = w.indexOf('@');
            String name = at < 0 ? w : w.substring(0, at);
            Strategy s = Strategies.byName(name).orElseThrow(() -> new IllegalArgumentException(
                    "unknown strategy '" + word.strip() + "' (valid: " + Strategies.names() + ", all; optionally NAME@PROFILE)"));
            if (at < 0) {
                defaultProfiles(name).forEach(p -> out.add(new Pairing(s, p)));
                continue;
            }
            String profile = w.substring(at + 1);
            Profile p = Arrays.stream(Profile.values()).filter(x -> x.text().equals(profile)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown mount profile '" + profile + "' in '"
                            + word.strip() + "' (valid: " + profileNames() + ")"));
            last = new Pairing(s, p);
            out.add(last);
        }
        return List.copyOf(new LinkedHashSet<>(out));
    }

    private static String profileNames() {
        return Arrays.stream(Profile.values()).map(Profile::text).collect(Collectors.joining("|"));
    }

    public MountOptions options() {
        return profile.options();
    }

    /** What mkfs makes for this run: the format options over the defaults. */
    public MkfsOptions mkfsOptions() {
        return MkfsOptions.parse(format, MkfsOptions.DEFAULTS);
    }

    /** The profile as tables show it: "pmemfs", or "pmemfs,meta_replicas=2" with format options. */
    public String profileText() {
        return format.isEmpty() ? profile.text() : profile.text() + "," + format;
    }

    /**
     * Who runs the recovery: the file's owner (an ordinary user) for designs that need only write
     * access, the owner with CAP_SYS_RAWIO for the raw device, root for the offline clear.
     */
    public Credentials credentials() {
        return switch (strategy.privilege()) {
            case FILE_WRITE -> Testbed.OWNER;
            case RAW_DEVICE -> Testbed.OWNER.withCaps(EnumSet.of(Credentials.Capability.CAP_SYS_RAWIO));
            case ADMIN -> Credentials.ROOT;
        };
    }

    public Privilege privilege() {
        return strategy.privilege();
    }

    /** "zero-range @ rfc-zero-range", "salvage @ pmemfs,meta_replicas=2". */
    public String text() {
        return strategy.name() + " @ " + profileText();
    }
}
