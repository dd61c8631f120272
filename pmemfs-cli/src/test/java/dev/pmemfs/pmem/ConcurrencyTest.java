package dev.pmemfs.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.errno.Errno;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceConfig;
import dev.pmemfs.testing.TestNamespaces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers and writers on one namespace at once: block and DAX writers each own a region, readers read
 * everywhere, and a poisoner injects, stores and clears errors in its own zone while the media error
 * log compacts. Reads outside the poison zone never fail; every writer finds its own data; the error
 * log reopens to the same badblocks.
 */
class ConcurrencyTest {
    private static final int PAGE = DaxDevice.PAGE_SIZE;
    private static final int REGION_PAGES = 64;

    @TempDir
    Path dir;

    @Test
    void readersWritersAndPoisoner_onOneNamespace() throws Exception {
        Path image;
        String badblocksAtEnd;
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try (Namespace ns = TestNamespaces.create(dir, NamespaceConfig.of(32 * TestNamespaces.MIB).withErrorLogBytes(8192))) {
            image = ns.image();
            Pmem pmem = Pmem.attach(ns);
            DaxDevice dax = pmem.dax();
            BlockDevice bdev = pmem.block();
            int writers = 4;
            long poisonFirstPage = writers * REGION_PAGES;
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong reads = new AtomicLong();
            CountDownLatch writersDone = new CountDownLatch(writers);
            List<Thread> threads = new ArrayList<>();
            byte[][] last = new byte[writers][];
            for (int w = 0; w < writers; w++) {
                int id = w;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        SplittableRandom rnd = new SplittableRandom(id);
                        long first = (long) id * REGION_PAGES;
                        byte[] page = new byte[PAGE];
                        for (int i = 0; i < 300; i++) {
                            long p = first + rnd.nextInt(REGION_PAGES);
                            Arrays.fill(page, (byte) (id * 16 + i % 16));
                            if (id % 2 == 0) {
                                bdev.submitWrite(p * 8, page, 0, PAGE);
                            } else {
                                dax.directAccess(p, 1, DaxAccessMode.ACCESS).write(0, page, 0, PAGE);
                            }
                            byte[] back = new byte[PAGE];
                            bdev.submitRead(p * 8, back, 0, PAGE);
                            assertArrayEquals(page, back, "writer " + id + " reads its own page " + p);
                        }
                        last[id] = page.clone();
                        for (long p = first; p < first + REGION_PAGES; p++) {
                            bdev.submitWrite(p * 8, page, 0, PAGE);
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    } finally {
                        writersDone.countDown();
                    }
                }));
            }
            for (int r = 0; r < 3; r++) {
                int id = r;
                threads.add(Thread.ofPlatform().start(() -> {
                    SplittableRandom rnd = new SplittableRandom(100 + id);
                    byte[] buf = new byte[2 * PAGE];
                    while (!stop.get()) {
                        long p = rnd.nextLong(poisonFirstPage + 16 - 1);
                        try {
                            bdev.submitRead(p * 8, buf, 0, buf.length);
                            reads.incrementAndGet();
                        } catch (ErrnoException e) {
                            if (e.errno() != Errno.EIO || p + 2 <= poisonFirstPage) {
                                failures.add(new AssertionError("read of pages " + p + "+2 failed outside the poison zone", e));
                            }
                        } catch (Throwable t) {
                            failures.add(t);
                        }
                    }
                }));
            }
            threads.add(Thread.ofPlatform().start(() -> {
                SplittableRandom rnd = new SplittableRandom(7);
                try {
                    while (!stop.get()) {
                        long p = poisonFirstPage + rnd.nextInt(16);
                        long dataOff = ns.dataOffset() + p * PAGE;
                        switch (rnd.nextInt(4)) {
                            case 0 -> ns.injectError(dataOff + rnd.nextInt(16) * 256L, 256, true);
                            case 1 -> bdev.badblocksStore(p * 8 + rnd.nextInt(8) + " 1");
                            case 2 -> bdev.submitWrite(p * 8, new byte[PAGE], 0, PAGE);
                            default -> dax.zeroPageRange(p, 1);
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
            writersDone.await();
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            if (!failures.isEmpty()) {
                AssertionError e = new AssertionError(failures.size() + " failures, first: " + failures.peek());
                failures.forEach(e::addSuppressed);
                throw e;
            }
            assertTrue(reads.get() > 0, "readers made progress");
            for (int w = 0; w < writers; w++) {
                byte[] back = new byte[PAGE];
                for (long p = (long) w * REGION_PAGES; p < (w + 1L) * REGION_PAGES; p++) {
                    bdev.submitRead(p * 8, back, 0, PAGE);
                    assertArrayEquals(last[w], back, "writer " + w + " page " + p);
                }
            }
            badblocksAtEnd = bdev.badblocksShow();
        }
        try (Namespace again = Namespace.open(image)) {
            assertEquals(badblocksAtEnd, Pmem.attach(again).block().badblocksShow(), "the error log reopens to the same badblocks");
        }
    }
}
