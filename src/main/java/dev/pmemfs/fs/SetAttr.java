package dev.pmemfs.fs;

/** An attribute change; null fields stay as they are. Time fields in nanoseconds. */
public record SetAttr(Integer mode, Integer uid, Integer gid, Integer flags, Long mtimeNs, Long atimeNs) {
    public static SetAttr mode(int mode) {
        return new SetAttr(mode, null, null, null, null, null);
    }

    public static SetAttr owner(Integer uid, Integer gid) {
        return new SetAttr(null, uid, gid, null, null, null);
    }

    public static SetAttr flags(int flags) {
        return new SetAttr(null, null, null, flags, null, null);
    }
}
