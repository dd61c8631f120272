package dev.pmemfs.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * mkfs parameters: inode count and journal size in blocks (0 picks the default), the mount options
 * stored in the superblock as defaults, the data parity stripe width (data blocks per parity
 * block, {@code -o data_parity=N}; 0 for none), and the number of copies of every metadata block
 * ({@code -o meta_replicas=N}, 1 or 2; see docs/FORMAT.md "Metadata replicas").
 */
public record MkfsOptions(long inodes, long journalBlocks, MountOptions defaults, int dataParity, int metaReplicas) {
    public static final MkfsOptions DEFAULTS = new MkfsOptions(0, 0, MountOptions.DEFAULTS);

    public MkfsOptions {
        if (inodes < 0 || journalBlocks < 0) {
            throw new IllegalArgumentException("negative inodes or journal size");
        }
        if (dataParity < 0 || dataParity > Superblock.MAX_DATA_PARITY) {
            throw new IllegalArgumentException("data_parity=" + dataParity + " is out of range (0 for none, 1.."
                    + Superblock.MAX_DATA_PARITY + " data blocks per parity block)");
        }
        if (metaReplicas < 1 || metaReplicas > Geometry.MAX_REPLICAS) {
            throw new IllegalArgumentException("meta_replicas takes 1 or 2, not " + metaReplicas);
        }
        java.util.Objects.requireNonNull(defaults, "defaults");
    }

    public MkfsOptions(long inodes, long journalBlocks, MountOptions defaults, int dataParity) {
        this(inodes, journalBlocks, defaults, dataParity, 1);
    }

    public MkfsOptions(long inodes, long journalBlocks, MountOptions defaults) {
        this(inodes, journalBlocks, defaults, 0);
    }

    /** The same options with {@code n} data blocks per parity block. */
    public MkfsOptions withDataParity(int n) {
        return new MkfsOptions(inodes, journalBlocks, defaults, n, metaReplicas);
    }

    /** The same options with {@code n} copies of every metadata block. */
    public MkfsOptions withMetaReplicas(int n) {
        return new MkfsOptions(inodes, journalBlocks, defaults, dataParity, n);
    }

    /** The same format with {@code d} stored as the default mount options. */
    public MkfsOptions withDefaults(MountOptions d) {
        return new MkfsOptions(inodes, journalBlocks, d, dataParity, metaReplicas);
    }

    private static final String DATA_PARITY = "data_parity=";
    private static final String META_REPLICAS = "meta_replicas=";

    /**
     * Parses mkfs's {@code -o} text over {@code base}: the format options ({@code data_parity=N},
     * {@code meta_replicas=1|2}) are taken here, every other word is a mount option stored as a default
     * ({@link MountOptions#parse}).
     *
     * @throws IllegalArgumentException naming the bad word and what is accepted
     */
    public static MkfsOptions parse(String text, MkfsOptions base) {
        MkfsOptions o = java.util.Objects.requireNonNull(base, "base");
        if (text == null || text.isBlank()) {
            return o;
        }
        List<String> mount = new ArrayList<>();
        for (String word : text.split(",", -1)) {
            String w = word.trim().toLowerCase(Locale.ROOT);
            if (w.startsWith(DATA_PARITY)) {
                o = o.withDataParity(parseDataParity(w.substring(DATA_PARITY.length())));
            } else if (w.startsWith(META_REPLICAS) || w.equals("meta_replicas")) {
                String v = w.substring(Math.min(w.length(), META_REPLICAS.length()));
                if (!v.equals("1") && !v.equals("2")) {
                    throw new IllegalArgumentException("mkfs option meta_replicas takes 1 or 2, not '" + v + "'");
                }
                o = o.withMetaReplicas(Integer.parseInt(v));
            } else {
                mount.add(word);
            }
        }
        return o.withDefaults(MountOptions.parse(String.join(",", mount), o.defaults()));
    }

    /** N of {@code data_parity=N}: 0 (none) or 1..64 data blocks per parity block. */
    private static int parseDataParity(String v) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad data_parity value '" + v + "' (expected 0 for none, or 1.."
                    + Superblock.MAX_DATA_PARITY + " data blocks per parity block, e.g. data_parity=8)");
        }
        if (n < 0 || n > Superblock.MAX_DATA_PARITY) {
            throw new IllegalArgumentException("data_parity=" + n + " is out of range (0 for none, 1.."
                    + Superblock.MAX_DATA_PARITY + " data blocks per parity block)");
        }
        return n;
    }

    /** The format options as {@link #parse} reads them ("" when every one has its default). */
    public String formatText() {
        List<String> out = new ArrayList<>();
        if (dataParity > 0) {
            out.add(DATA_PARITY + dataParity);
        }
        if (metaReplicas > 1) {
            out.add(META_REPLICAS + metaReplicas);
        }
        return String.join(",", out);
    }
}
