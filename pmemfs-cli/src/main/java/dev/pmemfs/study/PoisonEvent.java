package dev.pmemfs.study;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One poison event of the study's plan: what kind of place it hits, whether the platform reports it at
 * once, and the random numbers that pick the place. The plan is drawn once from the seed and is the
 * same for every strategy; the place is resolved against each run's own layout when the event comes
 * (a file event hits the same file offset in every run, wherever the strategy has put that block).
 *
 * @param index   1-based event number
 * @param kind    where it hits
 * @param known   true: known at once (injected with notify); false: latent until the scrub that follows
 * @param pick    seeds the choice of the place
 * @param blocks  adjacent 4 KiB device blocks poisoned whole (clusters); 1 otherwise
 * @param sector  512-byte sector of the block poisoned (single-block events)
 */
record PoisonEvent(int index, Kind kind, boolean known, long pick, int blocks, int sector) {
    /** Where an event lands. */
    enum Kind {
        /** One 512-byte sector in one block of a workload file (file and offset chosen by bytes). */
        FILE_SECTOR("file sector"),
        /** 2-16 adjacent device blocks, whole, starting at a block of a workload file. */
        FILE_CLUSTER("file cluster"),
        /** One sector of a free block. */
        FREE("free space"),
        /** One sector of a metadata block outside the journal (superblocks, bitmaps, inode table, rmap, ...). */
        METADATA("metadata");

        final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    /** The share of each kind, in {@link Kind} order; latent events are a quarter of all. */
    static final double[] MIX = {0.45, 0.25, 0.20, 0.10};
    static final double LATENT = 0.25;

    /**
     * The plan of {@code errors} events for {@code seed}: the kinds in the proportions of {@link #MIX}
     * (rounded; at least one metadata event from 8 events on), a quarter of them latent, in seeded order.
     */
    static List<PoisonEvent> plan(int errors, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int metadata = errors >= 8 ? Math.max(1, (int) Math.round(errors * MIX[3])) : (int) Math.round(errors * MIX[3]);
        int free = (int) Math.round(errors * MIX[2]);
        int cluster = (int) Math.round(errors * MIX[1]);
        List<Kind> kinds = new ArrayList<>();
        for (int i = 0; i < metadata; i++) {
            kinds.add(Kind.METADATA);
        }
        for (int i = 0; i < free && kinds.size() < errors; i++) {
            kinds.add(Kind.FREE);
        }
        for (int i = 0; i < cluster && kinds.size() < errors; i++) {
            kinds.add(Kind.FILE_CLUSTER);
        }
        while (kinds.size() < errors) {
            kinds.add(Kind.FILE_SECTOR);
        }
        shuffle(kinds, r);
        int latent = (int) Math.round(errors * LATENT);
        List<Boolean> notify = new ArrayList<>();
        for (int i = 0; i < errors; i++) {
            notify.add(i >= latent);
        }
        shuffle(notify, r);
        List<PoisonEvent> plan = new ArrayList<>();
        for (int i = 0; i < errors; i++) {
            Kind k = kinds.get(i);
            plan.add(new PoisonEvent(i + 1, k, notify.get(i), r.nextLong(),
                    k == Kind.FILE_CLUSTER ? 2 + r.nextInt(15) : 1, r.nextInt(FileModel.BLOCK / 512)));
        }
        return plan;
    }

    private static <T> void shuffle(List<T> list, SplittableRandom r) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
