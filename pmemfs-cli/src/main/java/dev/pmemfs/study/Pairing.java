package dev.pmemfs.study;

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
 * and pmemfs's own salvage on the {@code pmemfs} profile (no Linux kernel has it).
 *
 * @param strategy the recovery design
 * @param profile  the mount profile of the filesystem it runs on
 */
public record Pairing(Strategy strategy, Profile profile) {
    public Pairing {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(profile, "profile");
    }

    /** The default table, in the design table's order (9 runs). */
    public static List<Pairing> defaults() {
        List<Pairing> out = new ArrayList<>();
        for (Strategy s : Strategies.all()) {
            for (Profile p : defaultProfiles(s.name())) {
                out.add(new Pairing(s, p));
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
     * profiles) or {@code NAME@PROFILE} (that one pairing). Duplicates are dropped, order kept.
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
        LinkedHashSet<Pairing> out = new LinkedHashSet<>();
        for (String word : words) {
            if (word.isBlank()) {
                throw new IllegalArgumentException("empty strategy name in '" + text + "' " + valid);
            }
            String w = word.strip().toLowerCase(Locale.ROOT);
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
            out.add(new Pairing(s, p));
        }
        return List.copyOf(out);
    }

    private static String profileNames() {
        return Arrays.stream(Profile.values()).map(Profile::text).collect(Collectors.joining("|"));
    }

    public MountOptions options() {
        return profile.options();
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

    /** "zero-range @ rfc-zero-range". */
    public String text() {
        return strategy.name() + " @ " + profile.text();
    }
}
