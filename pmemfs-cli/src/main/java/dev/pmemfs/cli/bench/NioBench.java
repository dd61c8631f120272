package dev.pmemfs.cli.bench;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * The JMH benchmarks of {@code pmemfs bench nio}: one FileChannel per provider over one file of
 * {@link #size} bytes, with the same code and heap ByteBuffers for all three providers (pmemfs, the
 * default provider on a file in {@link #dir}, jimfs): 4 KiB reads at seeded random aligned offsets,
 * 1 MiB sequential reads and 1 MiB sequential overwrites, wrapping at the end of the file.
 *
 * <p>Public, with public fields, because JMH's generated code subclasses and sets them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NioBench {
    static final int SMALL = 4096;
    static final int LARGE = 1 << 20;

    /** "pmemfs", "default" or "jimfs". */
    @Param({"pmemfs", "default", "jimfs"})
    public String provider;

    /** Bytes in the file (a multiple of 1 MiB). */
    @Param("67108864")
    public long size;

    /** Where the default provider's file and pmemfs's namespace image go (a tmpfs such as /dev/shm). */
    @Param("/dev/shm")
    public String dir;

    private FileSystem fs;
    private Path scratch;
    private FileChannel ch;
    private final ByteBuffer small = ByteBuffer.allocate(SMALL);
    private final ByteBuffer large = ByteBuffer.allocate(LARGE);
    private long[] offsets;
    private int next;
    private long seq;

    @Setup(Level.Trial)
    public void open() throws IOException {
        Path file;
        switch (provider) {
            case "pmemfs" -> {
                scratch = Files.createTempDirectory(Path.of(dir), "pmemfs-bench-nio-");
                long ns = ((size * 2 + (64L << 20)) + (2L << 20) - 1) / (2L << 20) * (2L << 20);
                fs = FileSystems.newFileSystem(URI.create("pmemfs:/namespace0.0"),
                        Map.of("home", scratch, "create", Long.toString(ns)));
                file = fs.getPath("/bench");
            }
            case "default" -> {
                scratch = Files.createTempDirectory(Path.of(dir), "pmemfs-bench-nio-");
                file = scratch.resolve("bench");
            }
            case "jimfs" -> {
                fs = Jimfs.newFileSystem(Configuration.unix());
                file = fs.getPath("/bench");
            }
            default -> throw new IllegalArgumentException("provider " + provider);
        }
        ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        byte[] chunk = new byte[LARGE];
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) rnd.nextInt(256);
        }
        for (long pos = 0; pos < size; pos += LARGE) {
            ByteBuffer b = ByteBuffer.wrap(chunk);
            while (b.hasRemaining()) {
                ch.write(b, pos + b.position());
            }
        }
        ch.force(true);
        offsets = new long[1 << 16];
        long blocks = size / SMALL;
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = rnd.nextLong(blocks) * SMALL;
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        try {
            ch.close();
            if (fs != null) {
                fs.close();
            }
        } finally {
            if (scratch != null) {
                try (Stream<Path> s = Files.walk(scratch)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    @Benchmark
    public int randomRead4k() throws IOException {
        small.clear();
        return ch.read(small, offsets[next++ & (offsets.length - 1)]);
    }

    @Benchmark
    public int sequentialRead1m() throws IOException {
        large.clear();
        int n = ch.read(large, seq);
        seq = (seq + LARGE) % size;
        return n;
    }

    @Benchmark
    public int sequentialWrite1m() throws IOException {
        large.clear();
        int n = ch.write(large, seq);
        seq = (seq + LARGE) % size;
        return n;
    }
}
