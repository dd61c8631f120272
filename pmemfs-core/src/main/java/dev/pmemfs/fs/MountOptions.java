package dev.pmemfs.fs;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The behaviour switches a mount runs with, so one image can act as different kernels: recovery
 * write (Linux 5.19+), what ZERO_RANGE does to written blocks of a DAX file, whether the explicit
 * FALLOC_FL_ZEROINIT_RANGE mode exists, and what FALLOC_FL_WRITE_ZEROES (Linux 6.17) is. Parsed once from mount-option text
 * ({@code "linux-5.15"}, {@code "recovery_write=on,zero_range=unwritten"}); illegal text is rejected
 * at parse time with a message that lists what is accepted.
 */
public record MountOptions(boolean recoveryWrite, ZeroRange zeroRange, boolean zeroinit, WriteZeroes writeZeroes) {
    /** What FALLOC_FL_ZERO_RANGE does to written blocks of a DAX file. */
    public enum ZeroRange {
        /** Linux: punch and preallocate unwritten extents; media untouched, poison stays. */
        UNWRITTEN,
        /** The Aug 2021 RFC: reset the blocks to zeros in place through dax_zeroinit_range. */
        ZEROINIT
    }

    /** What FALLOC_FL_WRITE_ZEROES (0x80) is on this mount. */
    public enum WriteZeroes {
        /** A kernel before 6.17: 0x80 is an unknown bit (EOPNOTSUPP before any other check). */
        ABSENT,
        /**
         * Linux 6.17+ on pmem: vfs knows the mode and checks it in its order, then the filesystem answers
         * EOPNOTSUPP, because the device offers no unmapping write-zeroes (XFS and ext4 on pmem, and XFS on
         * a loop device, answer so).
         */
        NO_OFFLOAD,
        /**
         * pmemfs: the range is zeroed in place through the block path (which clears poison) and mapped as
         * written extents, holes and unwritten extents allocated and zeroed, as the mode's contract says.
         */
        ZERO
    }

    /** Named kernel behaviours; {@link #PMEMFS} is the default. */
    public enum Profile {
        /** Linux 5.15: no recovery write; ZERO_RANGE converts to unwritten; no ZEROINIT mode. */
        LINUX_5_15("linux-5.15", new MountOptions(false, ZeroRange.UNWRITTEN, false, WriteZeroes.ABSENT)),
        /** Linux 5.19+: page-aligned pwrite over poison clears it in place (DAX_RECOVERY_WRITE). */
        LINUX_5_19("linux-5.19", LINUX),
        /** The August 2021 RFC: ZERO_RANGE on DAX files resets blocks in place via dax_zeroinit_range. */
        RFC_ZERO_RANGE("rfc-zero-range", new MountOptions(false, ZeroRange.ZEROINIT, false, WriteZeroes.ABSENT)),
        /** The reviewer's request: an explicit FALLOC_FL_ZEROINIT_RANGE mode plus a dax_operations method. */
        RFC_ZEROINIT("rfc-zeroinit", new MountOptions(false, ZeroRange.UNWRITTEN, true, WriteZeroes.ABSENT)),
        /** Linux 6.17+: as 5.19, and FALLOC_FL_WRITE_ZEROES is a known mode that pmem cannot offload. */
        LINUX_6_17("linux-6.17", new MountOptions(true, ZeroRange.UNWRITTEN, false, WriteZeroes.NO_OFFLOAD)),
        /** Everything on. */
        PMEMFS("pmemfs", DEFAULTS);

        private final String text;
        private final MountOptions options;

        Profile(String text, MountOptions options) {
            this.text = text;
            this.options = options;
        }

        public String text() {
            return text;
        }

        public MountOptions options() {
            return options;
        }
    }

    /** Everything on: the pmemfs profile and the default. */
    public static final MountOptions DEFAULTS = new MountOptions(true, ZeroRange.ZEROINIT, true, WriteZeroes.ZERO);

    /** Linux's behaviour as of 5.19 and later (what the XFS differential tests compare against). */
    public static final MountOptions LINUX = new MountOptions(true, ZeroRange.UNWRITTEN, false, WriteZeroes.ABSENT);

    public MountOptions {
        Objects.requireNonNull(zeroRange, "zeroRange");
        Objects.requireNonNull(writeZeroes, "writeZeroes");
    }

    /** The switches of kernels before 6.17 (FALLOC_FL_WRITE_ZEROES absent). */
    public MountOptions(boolean recoveryWrite, ZeroRange zeroRange, boolean zeroinit) {
        this(recoveryWrite, zeroRange, zeroinit, WriteZeroes.ABSENT);
    }

    /**
     * Parses comma-separated options over {@code base}: a profile name replaces everything so far,
     * {@code recovery_write=on|off}, {@code zero_range=unwritten|zeroinit}, {@code zeroinit=on|off},
     * {@code write_zeroes=absent|nooffload|zero} change one switch. Empty text gives {@code base}.
     *
     * @throws IllegalArgumentException naming the bad word and what is accepted
     */
    public static MountOptions parse(String text, MountOptions base) {
        MountOptions o = Objects.requireNonNull(base, "base");
        if (text == null || text.isBlank()) {
            return o;
        }
        for (String word : text.split(",")) {
            String w = word.trim().toLowerCase(Locale.ROOT);
            if (w.isEmpty()) {
                continue;
            }
            Profile p = profile(w);
            if (p != null) {
                o = p.options();
                continue;
            }
            int eq = w.indexOf('=');
            String key = eq < 0 ? w : w.substring(0, eq);
            String value = eq < 0 ? "" : w.substring(eq + 1);
            o = switch (key) {
                case "recovery_write" -> new MountOptions(onOff(key, value), o.zeroRange, o.zeroinit, o.writeZeroes);
                case "zeroinit" -> new MountOptions(o.recoveryWrite, o.zeroRange, onOff(key, value), o.writeZeroes);
                case "zero_range" -> new MountOptions(o.recoveryWrite, zeroRange(value), o.zeroinit, o.writeZeroes);
                case "write_zeroes" -> new MountOptions(o.recoveryWrite, o.zeroRange, o.zeroinit, writeZeroes(value));
                default -> throw new IllegalArgumentException("unknown mount option '" + word.trim()
                        + "' (accepted: a profile " + profileNames()
                        + ", recovery_write=on|off, zero_range=unwritten|zeroinit, zeroinit=on|off, "
                        + "write_zeroes=absent|nooffload|zero)");
            };
        }
        return o;
    }

    /** The option text that {@link #parse} turns back into this value. */
    public String toText() {
        return "recovery_write=" + (recoveryWrite ? "on" : "off")
                + ",zero_range=" + zeroRange.name().toLowerCase(Locale.ROOT)
                + ",zeroinit=" + (zeroinit ? "on" : "off")
                + ",write_zeroes=" + switch (writeZeroes) {
                    case ABSENT -> "absent";
                    case NO_OFFLOAD -> "nooffload";
                    case ZERO -> "zero";
                };
    }

    /** The profile with exactly these switches, if one has them. */
    public Profile profile() {
        for (Profile p : Profile.values()) {
            if (p.options().equals(this)) {
                return p;
            }
        }
        return null;
    }

    /** {@code name -> options} of every profile, in declaration order. */
    public static Map<String, MountOptions> profiles() {
        Map<String, MountOptions> m = new LinkedHashMap<>();
        for (Profile p : Profile.values()) {
            m.put(p.text(), p.options());
        }
        return m;
    }

    private static Profile profile(String w) {
        for (Profile p : Profile.values()) {
            if (p.text().equals(w)) {
                return p;
            }
        }
        return null;
    }

    private static String profileNames() {
        return Arrays.stream(Profile.values()).map(Profile::text).collect(Collectors.joining("|"));
    }

    private static boolean onOff(String key, String value) {
        return switch (value) {
            case "on", "1", "yes", "true" -> true;
            case "off", "0", "no", "false" -> false;
            default -> throw new IllegalArgumentException(
                    "mount option " + key + " takes on or off, not '" + value + "'");
        };
    }

    private static WriteZeroes writeZeroes(String value) {
        return switch (value) {
            case "absent" -> WriteZeroes.ABSENT;
            case "nooffload" -> WriteZeroes.NO_OFFLOAD;
            case "zero" -> WriteZeroes.ZERO;
            default -> throw new IllegalArgumentException(
                    "mount option write_zeroes takes absent, nooffload or zero, not '" + value + "'");
        };
    }

    private static ZeroRange zeroRange(String value) {
        return switch (value) {
            case "unwritten" -> ZeroRange.UNWRITTEN;
            case "zeroinit" -> ZeroRange.ZEROINIT;
            default -> throw new IllegalArgumentException(
                    "mount option zero_range takes unwritten or zeroinit, not '" + value + "'");
        };
    }
}
