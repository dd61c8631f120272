package dev.pmemfs.cli.bench;

import dev.pmemfs.block.BlockDevice;
import dev.pmemfs.dax.DaxAccessMode;
import dev.pmemfs.dax.DaxDevice;
import dev.pmemfs.dax.DaxWindow;
import dev.pmemfs.errno.ErrnoException;
import dev.pmemfs.media.Namespace;
import dev.pmemfs.media.NamespaceConfig;
import dev.pmemfs.media.NamespaceMode;
import dev.pmemfs.pmem.Pmem;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The JMH micro benchmarks of {@code pmemfs bench micro}, on the pmem driver's faces over one raw
 * namespace: the range-set lookups every I/O pays ({@code is_bad_pmem} over the driver's badblocks,
 * and the media's poison set that machine-check-safe copies consult), and the copy paths: sequential
 * 1 MiB copies to and from the mapping through DAX ({@code dax_direct_access} + window copy) and
 * through the block path ({@code pmem_submit_bio}), against a plain {@link MemorySegment} copy over a
 * second mapping of the same image file (the same page-cache pages); and a 4 KiB recovery write over
 * a poisoned page ({@code dax_recovery_write}: clear the poison, then write).
 *
 * <p>{@link Device#ranges} puts that many badblock ranges and as many latent poison ranges outside the
 * working set (one bad sector in every two), so the same cases measure what a million ranges cost.
 * Every page of every mapping under test is written once before measuring, so no case pays
 * first-touch page faults. Public, with public fields, because JMH's generated code subclasses them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MicroBench {
    static final int IO = 1 << 20;
    static final int PAGE = 4096;

    /** A namespace with a working set and, past it, {@link #ranges} badblock and poison ranges. */
    @State(Scope.Thread)
    public static class Device {
        /** Bytes copied over, sequentially, wrapping at the end (a multiple of 1 MiB). */
        @Param("67108864")
        public long workingSet;

        /** Badblock ranges, and as many latent poison ranges, outside the working set. */
        @Param({"0", "1000000"})
        public long ranges;

        /** Where the temporary image goes (a tmpfs such as /dev/shm). */
        @Param("/dev/shm")
        public String dir;

        Path image;
        Namespace ns;
        Pmem pmem;
        BlockDevice block;
        DaxDevice dax;
        Arena arena;
        FileChannel channel;
        MemorySegment plain;
        final byte[] buf = new byte[IO];
        long offset;
        long sector;

        @Setup(Level.Trial)
        public void open() throws IOException, ErrnoException {
            image = tempImage(dir);
            long zone = Math.max(IO, ranges * 1024);
            long raw = NamespaceConfig.ALIGN * ((workingSet + zone) / NamespaceConfig.ALIGN + 2);
            // Room in each log area for every badblock and poison record (two per range), plus slack.
            long logBytes = ((ranges * 128 + (1 << 20)) + 4095) & ~4095L;
            ns = Namespace.create(image, NamespaceConfig.of(raw, NamespaceMode.RAW).withErrorLogBytes(logBytes));
            arena = Arena.ofShared();
            channel = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
            plain = channel.map(FileChannel.MapMode.READ_WRITE, channel.size() - ns.size() + ns.dataOffset(), workingSet, arena);
            pmem = Pmem.attach(ns);
            block = pmem.block();
            dax = pmem.dax();
            for (int i = 0; i < IO; i++) {
                buf[i] = (byte) i;
            }
            for (long off = 0; off < workingSet; off += IO) {
                MemorySegment.copy(buf, 0, plain, ValueLayout.JAVA_BYTE, off, IO);
                block.submitWrite(off >>> 9, buf, 0, IO);
            }
            long firstBad = (ns.dataOffset() + workingSet + IO) >>> 9;
            for (long i = 0; i < ranges; i++) {
                ns.badblocksSet(firstBad + 2 * i, 1);
                ns.injectError((firstBad + 2 * i) << 9, 512, false);
            }
            if (ns.badblockRanges() != ranges) {
                throw new IllegalStateException("expected " + ranges + " badblock ranges, have " + ns.badblockRanges());
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException, ErrnoException {
            try {
                pmem.detach();
            } finally {
                try {
                    arena.close();
                    channel.close();
                    ns.close();
                } finally {
                    Files.deleteIfExists(image);
                }
            }
        }

        /** The next 1 MiB of the working set. */
        long next() {
            long off = offset;
            offset = (offset + IO) % workingSet;
            return off;
        }

        /** The next healthy 1 MiB range's first sector on the device, for the lookups. */
        long nextSector() {
            sector = (sector + (IO >>> 9)) % (workingSet >>> 9);
            return (ns.dataOffset() >>> 9) + sector;
        }
    }

    /** A small namespace with one page that is poisoned again before every recovery write. */
    @State(Scope.Thread)
    public static class Recovery {
        @Param("/dev/shm")
        public String dir;

        Path image;
        Namespace ns;
        Pmem pmem;
        DaxDevice dax;
        final byte[] page = new byte[PAGE];

        @Setup(Level.Trial)
        public void open() throws IOException, ErrnoException {
            image = tempImage(dir);
            ns = Namespace.create(image, NamespaceConfig.of(NamespaceConfig.ALIGN * 2, NamespaceMode.RAW));
            pmem = Pmem.attach(ns);
            dax = pmem.dax();
            java.util.Arrays.fill(page, (byte) 0x5a);
            dax.directAccess(0, 1, DaxAccessMode.ACCESS).write(0, page, 0, PAGE);
        }

        /** Poison one sector of page 0, known to the driver, as after a scrub (not part of the timing). */
        @Setup(Level.Invocation)
        public void poison() throws ErrnoException {
            ns.injectError(ns.dataOffset() + 1024, 512, true);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException, ErrnoException {
            try {
                pmem.detach();
            } finally {
                try {
                    ns.close();
                } finally {
                    Files.deleteIfExists(image);
                }
            }
        }
    }

    static Path tempImage(String dir) throws IOException {
        Path p = Files.createTempFile(Path.of(dir), "pmemfs-bench-micro-", ".img");
        Files.delete(p);
        return p;
    }

    /** The baseline of the writes: a plain copy into the same pages. */
    @Benchmark
    public void memsegmentWrite1m(Device d) {
        MemorySegment.copy(d.buf, 0, d.plain, ValueLayout.JAVA_BYTE, d.next(), IO);
    }

    @Benchmark
    public void daxWrite1m(Device d) throws ErrnoException {
        long off = d.next();
        d.dax.directAccess(off >>> 12, IO >>> 12, DaxAccessMode.ACCESS).write(0, d.buf, 0, IO);
    }

    @Benchmark
    public void blockWrite1m(Device d) throws ErrnoException {
        d.block.submitWrite(d.next() >>> 9, d.buf, 0, IO);
    }

    /** The baseline of the reads: a plain copy out of the same pages. */
    @Benchmark
    public void memsegmentRead1m(Device d) {
        MemorySegment.copy(d.plain, ValueLayout.JAVA_BYTE, d.next(), d.buf, 0, IO);
    }

    @Benchmark
    public boolean daxRead1m(Device d) throws ErrnoException {
        long off = d.next();
        return d.dax.directAccess(off >>> 12, IO >>> 12, DaxAccessMode.ACCESS).read(0, d.buf, 0, IO).isComplete();
    }

    @Benchmark
    public void blockRead1m(Device d) throws ErrnoException {
        d.block.submitRead(d.next() >>> 9, d.buf, 0, IO);
    }

    /** {@code is_bad_pmem}: the driver's badblocks set asked about a healthy 1 MiB range. */
    @Benchmark
    public boolean badblocksLookup(Device d) {
        return d.ns.badblocksCheck(d.nextSector(), IO >>> 9);
    }

    /** The media's poison set asked about a healthy 1 MiB range, as a machine-check-safe copy asks it. */
    @Benchmark
    public boolean poisonLookup(Device d) {
        return d.ns.poisoned(d.nextSector() << 9, IO);
    }

    /** {@code dax_recovery_write} of one page over poison: the driver clears it, then writes. */
    @Benchmark
    public long recoveryWrite4k(Recovery r) throws ErrnoException {
        DaxWindow w = r.dax.directAccess(0, 1, DaxAccessMode.RECOVERY_WRITE);
        long n = r.dax.recoveryWrite(w, 0, r.page, 0, PAGE);
        if (n != PAGE) {
            throw new IllegalStateException("recovery write wrote " + n + " of " + PAGE + " bytes");
        }
        return n;
    }
}
