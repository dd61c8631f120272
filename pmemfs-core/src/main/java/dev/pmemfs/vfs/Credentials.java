package dev.pmemfs.vfs;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who a process is: uid, gid, supplementary groups and capabilities (the subset pmemfs checks).
 * Root (uid 0) gets every capability, as a root shell has.
 */
public record Credentials(int uid, int gid, Set<Integer> groups, Set<Capability> caps) {
    /** The capabilities pmemfs checks, with Linux's names. */
    public enum Capability {
        CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_FSETID,
        CAP_LINUX_IMMUTABLE, CAP_MKNOD, CAP_SYS_RAWIO, CAP_SYS_ADMIN
    }

    public Credentials {
        groups = Set.copyOf(groups);
        caps = caps.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(caps));
    }

    public static final Credentials ROOT = new Credentials(0, 0, Set.of(), EnumSet.allOf(Capability.class));

    /** An unprivileged user with no capabilities. */
    public static Credentials user(int uid, int gid) {
        return new Credentials(uid, gid, Set.of(), Set.of());
    }

    public Credentials withCaps(Set<Capability> more) {
        EnumSet<Capability> all = caps.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(caps);
        all.addAll(more);
        return new Credentials(uid, gid, groups, all);
    }

    public boolean has(Capability cap) {
        return caps.contains(Objects.requireNonNull(cap));
    }

    public boolean inGroup(int g) {
        return gid == g || groups.contains(g);
    }
}
