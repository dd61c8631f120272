package dev.pmemfs.fs;

import dev.pmemfs.errno.ErrnoException;
import java.util.Arrays;

/**
 * The last pass of fsck on a filesystem with metadata replicas ({@code meta_replicas=2}): both copies
 * of every replicated block must verify and hold the same bytes (Btrfs's scrub compares mirrors the
 * same way). A damaged copy whose partner verifies is rewritten from it; when both are damaged the
 * structure's own pass has already reported it and its repair writes both. A block with a committed
 * image in the journal is skipped: replay rewrites both copies. The earlier passes read through the
 * same fallback a mount uses, so the copies a read had to avoid are reported here, once.
 */
final class FsckReplicaPass {
    private FsckReplicaPass() {}

    static void run(FsckScan s) {
        Geometry g = s.g;
        if (g.replicas() < 2) {
            return;
        }
        check(s, Geometry.ORPHAN_BLOCK);
        for (long b = g.bbmStart(); b < g.mirrorStart(); b++) {
            check(s, b);
        }
        for (long b : s.metaBlocks) {
            if (g.metadataHome(b)) {
                check(s, b);
            } else {
                s.error("metadata block " + b + " lies outside the lower half of the data area, so it has no copy",
                        null);
            }
        }
    }

    /** Compares primary {@code p} with its copy and plans the rewrite of the damaged one. */
    static void check(FsckScan s, long p) {
        if (s.meta.isDirty(p)) {
            return;
        }
        Geometry g = s.g;
        long r = g.replicaOf(p);
        String structure = g.structureOf(p);
        String[] why = new String[2];
        byte[][] img = new byte[2][];
        long[] at = {p, r};
        for (int i = 0; i < 2; i++) {
            try {
                img[i] = DaxSeam.readBlock(s.dax, at[i], structure);
                MetaBlock.verify(img[i], g.magicOf(p, img[i]), p, s.sb.fsid(), structure, g.lazy(p));
            } catch (ErrnoException e) {
                why[i] = e.getMessage();
            }
        }
        if (why[0] != null && why[1] != null) {
            return;
        }
        if (why[0] != null) {
            s.error(structure + " block " + p + ": " + why[0] + "; rewritten from its copy in block " + r,
                    new Repair.CopyReplica(r, p));
        } else if (why[1] != null) {
            s.error(structure + " block " + p + ": its copy in block " + r + " is damaged (" + why[1]
                    + "); rewritten from the primary", new Repair.CopyReplica(p, r));
        } else if (!Arrays.equals(img[0], img[1]) && !(empty(s, p, img[0]) && empty(s, p, img[1]))) {
            s.error(structure + " block " + p + ": its copy in block " + r + " differs from it; rewritten from "
                    + "the primary", new Repair.CopyReplica(p, r));
        }
    }

    /** Whether a verified image of a lazily initialised block reads as empty. */
    private static boolean empty(FsckScan s, long p, byte[] img) {
        try {
            return !MetaBlock.verify(img, s.g.magicOf(p, img), p, s.sb.fsid(), "", s.g.lazy(p));
        } catch (FsCorruptedException e) {
            return false;
        }
    }
}
