package dev.pmemfs.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Media errors in Java terms, told as ndctl's test/pmem-errors.sh tells them: write a file, poison a
 * range of it, see reads fail with the bad range, recover, see it read as zeros.
 */
class MediaErrorTest {
    private static final int BLOCK = 4096;

    private static FileSystem temp(String profile) throws IOException {
        return FileSystems.newFileSystem(URI.create("pmemfs:/namespace0.0"), Map.of("create", "64m", "profile", profile));
    }

    private static byte[] pattern(int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (i % 251 + 1);
        }
        return b;
    }

    @Test
    void aReadThatMeetsPoisonThrowsTheBadRange() throws IOException {
        try (FileSystem fs = temp("linux-5.19")) {
            Path f = Files.write(fs.getPath("/data"), pattern(16 * BLOCK));
            assertEquals(List.of(), PmemFiles.badRanges(f));
            PmemFiles.inject(f, 5 * BLOCK + 100, 10);
            assertEquals(List.of(new PmemFiles.BadRange(5 * BLOCK, BLOCK)), PmemFiles.badRanges(f));
            assertEquals(PmemFiles.badRanges(f), Files.getAttribute(f, "pmem:badRanges"));

            MediaErrorException e = assertThrows(MediaErrorException.class, () -> Files.readAllBytes(f));
            assertEquals(5 * BLOCK, e.offset());
            assertEquals(BLOCK, e.length());
            assertEquals(5, e.errno(), "EIO");
            assertEquals("/data", e.file());

            try (FileChannel ch = FileChannel.open(f)) {
                ByteBuffer good = ByteBuffer.allocate(BLOCK);
                assertEquals(BLOCK, ch.read(good, 0), "the blocks around the poison still read");
                assertEquals(BLOCK, ch.read(good.clear(), 6 * BLOCK));
                MediaErrorException at = assertThrows(MediaErrorException.class, () -> ch.read(ByteBuffer.allocate(64), 5 * BLOCK + 4000));
                assertEquals(5 * BLOCK, at.offset());
            }
        }
    }

    @Test
    void recoveryRepairsInPlaceAndTheRangeReadsAsZeros() throws IOException {
        try (FileSystem fs = temp("pmemfs")) {
            byte[] data = pattern(8 * BLOCK);
            Path f = Files.write(fs.getPath("/db"), data);
            List<PmemFiles.Extent> before = PmemFiles.extents(f);
            PmemFiles.inject(f, 2 * BLOCK, BLOCK);
            assertThrows(MediaErrorException.class, () -> Files.readAllBytes(f));

            PmemFiles.Recovery r = PmemFiles.recover(f);
            assertEquals("zeroinit", r.strategy(), "the best design the pmemfs profile offers");
            assertEquals(List.of(new PmemFiles.BadRange(2 * BLOCK, BLOCK)), r.lost());
            assertFalse(r.undefinedContent());
            assertEquals(List.of(), PmemFiles.badRanges(f));
            assertEquals(before, PmemFiles.extents(f), "zeroinit repairs in place: FIEMAP is unchanged");
            java.util.Arrays.fill(data, 2 * BLOCK, 3 * BLOCK, (byte) 0);
            assertArrayEquals(data, Files.readAllBytes(f));
            assertEquals("nothing to do", PmemFiles.recover(f).note().replaceAll(".*; ", ""));
        }
    }

    @Test
    void everyUserLevelDesignRunsThroughTheProvider() throws IOException {
        for (String strategy : List.of("punch-pwrite", "punch-falloc", "fiemap-blkzeroout", "recovery-write")) {
            try (FileSystem fs = temp("linux-5.19")) {
                Path f = Files.write(fs.getPath("/f"), pattern(4 * BLOCK));
                PmemFiles.inject(f, BLOCK, 512);
                PmemFiles.Recovery r = PmemFiles.recover(f, strategy);
                assertEquals(strategy, r.strategy());
                byte[] back = Files.readAllBytes(f);
                assertEquals(4 * BLOCK, back.length, strategy);
                assertArrayEquals(new byte[BLOCK], java.util.Arrays.copyOfRange(back, BLOCK, 2 * BLOCK), strategy);
            }
        }
    }

    @Test
    void aDesignTheMountLacksIsRefusedWithTheReason() throws IOException {
        try (FileSystem fs = temp("linux-5.15")) {
            Path f = Files.write(fs.getPath("/f"), pattern(4 * BLOCK));
            PmemFiles.inject(f, 0, 512);
            FileSystemException e = assertThrows(FileSystemException.class, () -> PmemFiles.recover(f, "zeroinit"));
            assertTrue(e.getMessage().contains("not offered by this mount"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> PmemFiles.recover(f, "magic"));
            assertEquals(1, PmemFiles.badRanges(f).size(), "nothing changed");
        }
    }

    @Test
    void unmountClearNeedsNoOpenChannel() throws IOException {
        try (FileSystem fs = temp("linux-5.19")) {
            Path f = Files.write(fs.getPath("/f"), pattern(4 * BLOCK));
            PmemFiles.inject(f, 0, 512);
            try (FileChannel busy = FileChannel.open(f)) {
                FileSystemException e = assertThrows(FileSystemException.class, () -> PmemFiles.recover(f, "unmount-clear"));
                assertTrue(e.getMessage().contains("Device or resource busy"), e.getMessage());
                assertTrue(busy.isOpen());
            }
            PmemFiles.Recovery r = PmemFiles.recover(f, "unmount-clear");
            assertTrue(r.undefinedContent());
            assertEquals(List.of(), PmemFiles.badRanges(f));
            assertEquals(4 * BLOCK, Files.readAllBytes(f).length, "readable again after the remount");
        }
    }

    @Test
    void injectNeedsWrittenData() throws IOException {
        try (FileSystem fs = temp("linux-5.19")) {
            Path f = fs.getPath("/sparse");
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[BLOCK]), 4 * BLOCK);
            }
            assertThrows(FileSystemException.class, () -> PmemFiles.inject(f, 0, 10));
            assertThrows(FileSystemException.class, () -> PmemFiles.inject(f, 4 * BLOCK, 2 * BLOCK));
            PmemFiles.inject(f, 4 * BLOCK, BLOCK);
            assertEquals(List.of(new PmemFiles.BadRange(4 * BLOCK, BLOCK)), PmemFiles.badRanges(f));
        }
    }

    @Test
    void fallocateModes() throws IOException {
        try (FileSystem fs = temp("pmemfs")) {
            Path f = Files.write(fs.getPath("/f"), pattern(4 * BLOCK));
            PmemFiles.punchHole(f, 0, BLOCK);
            PmemFiles.zeroRange(f, BLOCK, BLOCK);
            PmemFiles.zeroinit(f, 2 * BLOCK, BLOCK);
            byte[] back = Files.readAllBytes(f);
            assertArrayEquals(new byte[3 * BLOCK], java.util.Arrays.copyOf(back, 3 * BLOCK));
            assertEquals(pattern(4 * BLOCK)[3 * BLOCK + 7], back[3 * BLOCK + 7]);
            assertEquals(4 * BLOCK, Files.size(f));
            assertTrue(PmemFiles.extents(f).stream().noneMatch(e -> e.logical() == 0), "the punched block is a hole");
        }
        try (FileSystem fs = temp("linux-5.19")) {
            Path f = Files.write(fs.getPath("/f"), pattern(BLOCK));
            FileSystemException e = assertThrows(FileSystemException.class, () -> PmemFiles.zeroinit(f, 0, BLOCK));
            assertEquals("Operation not supported", e.getReason());
        }
    }

    @Test
    void aMappingsLoadOverPoisonIsSigbus() throws IOException {
        try (FileSystem fs = temp("linux-5.19")) {
            Path f = Files.write(fs.getPath("/m"), pattern(4 * BLOCK));
            try (PmemMapping m = PmemFiles.map(f, true)) {
                assertEquals(4 * BLOCK, m.length());
                assertEquals(pattern(10)[3], m.getByte(3));
                m.putLong(8, 0x1122334455667788L);
                assertEquals(0x1122334455667788L, m.getLong(8));
                PmemFiles.inject(f, 3 * BLOCK, 256);
                MediaErrorException e = assertThrows(MediaErrorException.class, () -> m.getByte(3 * BLOCK + 1));
                assertEquals(133, e.errno(), "EHWPOISON: SIGBUS BUS_MCEERR_AR");
                assertEquals(3 * BLOCK, e.offset());
                assertEquals(BLOCK, e.length());
                assertThrows(IndexOutOfBoundsException.class, () -> m.getByte(5 * BLOCK), "outside the mapping");
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                    ch.truncate(2 * BLOCK);
                }
                IOException past = assertThrows(IOException.class, () -> m.getByte(3 * BLOCK + 1));
                assertTrue(past.getMessage().contains("BUS_ADRERR"), "mapped but past EOF: " + past.getMessage());
            }
            ByteBuffer b = ByteBuffer.allocate(8);
            try (FileChannel ch = FileChannel.open(f)) {
                ch.read(b, 8);
            }
            assertEquals(0x1122334455667788L, b.order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0), "stores reached the file");
            assertThrows(UnsupportedOperationException.class, () -> {
                try (FileChannel ch = FileChannel.open(f)) {
                    ch.map(FileChannel.MapMode.READ_ONLY, 0, 10);
                }
            });
        }
    }
}
