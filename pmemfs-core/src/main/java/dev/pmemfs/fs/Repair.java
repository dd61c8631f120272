package dev.pmemfs.fs;

/**
 * One repair fsck decided on: the typed entries of a {@link FsckPlan}. Each says what will be written,
 * so the plan can be printed, tested and applied in a fixed order (e2fsck's "Fix? yes" answers, made
 * values).
 */
sealed interface Repair {
    /** Rewrite superblock copy {@code copy} (0 primary, 1 backup) from the good one. */
    record RewriteSuperblock(int copy) implements Repair {}

    /** Rewrite copy {@code to} of a replicated metadata block from its good copy {@code from}. */
    record CopyReplica(long from, long to) implements Repair {}

    /** Replay the committed journal records in place. */
    record ReplayJournal() implements Repair {}

    /**
     * Reset a whole block to zeros through the block path (which clears poison): the zero page, or an
     * unreadable block of a lazily initialised structure (inode table, rmap), which then reads empty.
     */
    record ZeroBlock(long block, String structure) implements Repair {}

    /** Rewrite directory block {@code fileBlock} of {@code dirIno} from the entries fsck kept (none if lost). */
    record RewriteDirBlock(long dirIno, long fileBlock) implements Repair {}

    /** Remove entry {@code name} from directory {@code dirIno}. */
    record DropEntry(long dirIno, String name) implements Repair {}

    /** Write inode {@code ino} as fsck corrected it (block count, link count, parent, extent list). */
    record RewriteInode(long ino) implements Repair {}

    /** Give inode {@code ino} a fresh extent list (the old one lost an unreadable block). */
    record RebuildExtentList(long ino) implements Repair {}

    /** Free inode {@code ino} and its blocks (allocated, no links, not an orphan). */
    record FreeInode(long ino) implements Repair {}

    /** Zero the slot of an inode whose fields cannot be trusted (it is lost). */
    record ClearInode(long ino) implements Repair {}

    /** Make a new, empty root directory (the old one is lost). */
    record RecreateRoot() implements Repair {}

    /** Link inode {@code ino}, which no directory names, into /lost+found as "#ino". */
    record Reconnect(long ino) implements Repair {}

    /** Rewrite the block bitmap from what the inodes own. */
    record RebuildBlockBitmap() implements Repair {}

    /** Rewrite the inode bitmap from the inodes found. */
    record RebuildInodeBitmap() implements Repair {}

    /** Rewrite every reverse-map entry from the extents. */
    record RebuildRmap() implements Repair {}

    /** Rewrite the orphan list from the link counts: every allocated inode with no links. */
    record RebuildOrphanList() implements Repair {}

    /** Recompute the data parity of every stripe and clear the intent bitmap (md's "repair" action). */
    record RecomputeParity() implements Repair {}
}
