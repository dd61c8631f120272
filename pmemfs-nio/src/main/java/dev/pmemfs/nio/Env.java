package dev.pmemfs.nio;

import dev.pmemfs.vfs.Credentials;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The environment map of {@code FileSystems.newFileSystem}, read once: where the namespace image
 * lives, whether (and how big) to create it, the mount options, and who the opener is.
 *
 * @param home    the directory holding {@code namespaceN.0.img}; null for a temporary namespace
 * @param create  bytes to create the namespace with when it does not exist; 0 to require it to exist
 * @param profile mount-option text over the superblock's defaults ("linux-5.19", "zeroinit=off"); may be null
 * @param cred    the opener's credentials (default root, as a root shell)
 */
record Env(Path home, long create, String profile, Credentials cred) {
    /** What a temporary namespace is created with when the map gives no size. */
    static final long DEFAULT_TEMP_SIZE = 64L << 20;

    static Env parse(Map<String, ?> env) {
        Set<String> known = Set.of("home", "create", "profile", "uid", "gid", "groups", "caps");
        for (String k : env.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unknown pmemfs option '" + k + "' (accepted: " + String.join(", ",
                        new java.util.TreeSet<>(known)) + ")");
            }
        }
        Object h = env.get("home");
        Path home = h == null ? null : h instanceof Path p ? p : Path.of(h.toString());
        Object c = env.get("create");
        long create = c == null ? 0 : c instanceof Number n ? n.longValue() : size(c.toString());
        Object prof = env.get("profile");
        if (prof != null) {
            try {
                dev.pmemfs.fs.MountOptions.parse(prof.toString(), dev.pmemfs.fs.MountOptions.DEFAULTS);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pmemfs option profile: " + e.getMessage(), e);
            }
        }
        int uid = intOf(env, "uid", 0);
        int gid = intOf(env, "gid", uid == 0 ? 0 : uid);
        Set<Integer> groups = new HashSet<>();
        Object g = env.get("groups");
        if (g != null) {
            for (String s : g.toString().split(",")) {
                if (!s.isBlank()) {
                    groups.add(parseInt("groups", s.trim()));
                }
            }
        }
        EnumSet<Credentials.Capability> caps = EnumSet.noneOf(Credentials.Capability.class);
        Object cs = env.get("caps");
        if (cs != null) {
            for (String s : cs.toString().split(",")) {
                if (s.isBlank()) {
                    continue;
                }
                String name = s.trim().toUpperCase(Locale.ROOT);
                try {
                    caps.add(Credentials.Capability.valueOf(name.startsWith("CAP_") ? name : "CAP_" + name));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown capability '" + s.trim() + "' (accepted: "
                            + EnumSet.allOf(Credentials.Capability.class) + ")");
                }
            }
        }
        Credentials cred = uid == 0 && cs == null ? new Credentials(0, gid, groups, Credentials.ROOT.caps())
                : new Credentials(uid, gid, groups, caps);
        return new Env(home, create, prof == null ? null : prof.toString(), cred);
    }

    private static int intOf(Map<String, ?> env, String key, int dflt) {
        Object v = env.get(key);
        if (v == null) {
            return dflt;
        }
        return v instanceof Number n ? n.intValue() : parseInt(key, v.toString().trim());
    }

    private static int parseInt(String key, String s) {
        try {
            int v = Integer.parseInt(s);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("pmemfs option " + key + "=" + s + " is not a non-negative number");
        }
    }

    /** "256m", "1g", "4096": bytes, with binary k/m/g/t suffixes as ndctl's --size takes them. */
    static long size(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int shift = 0;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                case 't' -> shift = 40;
                default -> { }
            }
        }
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(digits);
            if (v <= 0 || v > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return v << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("pmemfs option create=" + text
                    + " is not a size (a positive number with an optional k, m, g or t suffix)");
        }
    }
}
